"""What the resources tests share besides fixtures (a module with its own name: ``conftest`` is ambiguous when
several test folders are collected together)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
KINDS = ("resources-milestones", "resources-requirements", "resources-orders", "resources-deliveries",
         "resources-budgets")  # fmt: skip
DAY = date(2026, 12, 1)  # the day the example files' lateness is judged on in the tests


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
