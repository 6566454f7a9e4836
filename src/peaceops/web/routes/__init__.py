"""One module per area; each exposes ``pages`` (HTML) and ``api`` (JSON, mounted under /api)."""
