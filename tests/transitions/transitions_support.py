"""What the transition tests share besides fixtures (a module with its own name: ``conftest`` is ambiguous
when several test folders are collected together)."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
KINDS = ("transition-plans", "transition-benchmarks", "transition-tasks", "transition-drawdown", "transition-bases")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
