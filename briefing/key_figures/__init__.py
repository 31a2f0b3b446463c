"""key_figures"""
