"""A communications items file that is not a CSV (an image picked by mistake) is told so by its own name,
not that it lacks a 'text' column (issue 17, part 3)."""

from __future__ import annotations

import pytest

from peaceops.comms import items
from peaceops.errors import ImportFileError
from peaceops.sources.tabular import decode
from peaceops.store import Database

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"


def test_a_png_uploaded_as_items_is_told_it_is_not_a_csv_file(db: Database):
    with db.session() as session, pytest.raises(ImportFileError) as refused:
        items.import_text(session, "analyst", decode(PNG), "csv", author_key=b"k" * 32, source="photo.png")
    message = str(refused.value)
    assert message.startswith("photo.png is a PNG image, not a CSV file.")
    assert "'text' column" not in message and "Choose a CSV file" in message


def test_a_csv_without_a_text_column_names_the_file_and_the_columns_expected():
    with pytest.raises(ImportFileError, match=r"^posts\.csv has no 'text' column; expected columns: text, "):
        items.parse("body,source\nhello,x\n", "csv", "posts.csv")
