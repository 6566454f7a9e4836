"""What the support-office tests share besides fixtures (a module with its own name: ``conftest`` and
``support`` are taken when several test folders are collected together)."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
# The example files, in the order they import (operations first: every other file names one).
KINDS = (
    "partner-operations",
    "support-services",
    "support-deliveries",
    "support-requests",
    "support-financing",
    "support-milestones",
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
