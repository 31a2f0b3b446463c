"""site_policy"""
