"""Pictures and data of a note: its timeline, its charts and its data downloads (issue 15)."""
