"""The support package's public names, pinned; its period spans."""

from __future__ import annotations

from datetime import date

import pytest

from peaceops import support
from peaceops.support.spans import parse_span, span_label


def test_public_names():
    assert sorted(support.__all__) == [
        "deliveries", "financing", "milestones", "operation_support", "request_counts", "requests", "services",
        "supported_operations",
    ]  # fmt: skip
    assert all(hasattr(support, name) for name in support.__all__)


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30), "2026-Q2"),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "2026-02"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026"),
        ("2025-07-01/2026-06-30", date(2025, 7, 1), date(2026, 6, 30), "2025/26"),
        ("2025/26", date(2025, 7, 1), date(2026, 6, 30), "2025/26"),
        ("1999/00", date(1999, 7, 1), date(2000, 6, 30), "1999/00"),
        ("2026-07-01/2026-12-31", date(2026, 7, 1), date(2026, 12, 31), "2026-07-01/2026-12-31"),
        ("2026-01-01/2026-03-31", date(2026, 1, 1), date(2026, 3, 31), "2026-Q1"),
    ],
)
def test_a_period_is_a_key_or_two_dates(text, first, last, label):
    assert parse_span(text) == (first, last)
    assert span_label(first, last) == label


@pytest.mark.parametrize(
    "text", ["", "soon", "2026-13", "2026-01-01/2025-01-01", "2020-01-01/2026-01-01", "a/b", "2025/27"]
)
def test_a_bad_period_says_how_to_write_it(text):
    with pytest.raises(ValueError, match="period"):
        parse_span(text)
