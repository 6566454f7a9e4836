"""Reports and briefs: one Jinja environment (shared with the web pages) and one way to make a PDF."""
