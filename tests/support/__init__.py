"""Helpers every test directory shares (importable as ``support``: tests/ is on sys.path under pytest).

- ``support.requirements``: what a test needs beyond Python (the shared data, Chromium, WeasyPrint's
  libraries, PostgreSQL) and the skip-or-fail rule when it is missing;
- ``support.databases``: migrated databases from a per-worker template (SQLite file copy, truncated
  PostgreSQL schema);
- ``support.web``: signing in through the real login form and reading CSRF tokens.
"""
