"""The training importers read their files with the one reader of the domains' import templates
(``sources.spreadsheet``)."""

from peaceops.sources.spreadsheet import MAX_ROWS, Row, read_table

__all__ = ["MAX_ROWS", "Row", "read_table"]
