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


GED_COLUMNS = (
    "id,type_of_violence,conflict_new_id,side_a,side_b,where_prec,where_coordinates,adm_1,latitude,longitude,"
    "country,country_id,date_prec,date_start,date_end,deaths_civilians,best,low,high"
)


def ged_file(tmp_path: Path, events: list[tuple[str, float, float, int, int]]) -> Path:
    """A small UCDP GED file of the Central African Republic: (day, latitude, longitude, type of violence,
    civilian deaths) per event. Invented events, for the tests only."""
    lines = [GED_COLUMNS]
    for n, (day, lat, lon, violence, civilians) in enumerate(events, 1):
        best = max(civilians, 1)
        lines.append(f"{900000 + n},{violence},999,Side A,Side B,1,Test place,Test,{lat},{lon},"
                     f"Central African Republic,482,1,{day},{day},{civilians},{best},1,{best}")  # fmt: skip
    return write(tmp_path, "ged.csv", "\n".join(lines) + "\n")
