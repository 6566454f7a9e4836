"""The package's public names, and the command line over the real data."""

from __future__ import annotations

from typer.testing import CliRunner

import peaceops.performance as performance
from peaceops.cli import app
from peaceops.platform import import_file, prepare
from peaceops.store import Database


def test_public_names_are_pinned():
    assert sorted(performance.__all__) == sorted(
        [
            "DERIVATIONS", "PENDING", "FormulaError", "Period", "PeriodLocked", "apply_upload", "approve",
            "assessment_view", "compute_derived", "compute_evidence", "create_framework", "current_framework",
            "framework_at", "framework_tree", "grid", "objective_rating", "open_assessment", "override_rating",
            "parse_expression", "parse_formula", "parse_period", "provision", "register_derivation",
            "renew_framework", "reopen", "return_to_draft", "save_value", "set_baseline", "set_narrative",
            "set_target", "submit", "template_library", "template_rows", "value_history", "write_csv", "write_xlsx",
        ]
    )  # fmt: skip
    assert all(hasattr(performance, name) for name in performance.__all__)


def test_refresh_and_renew_from_the_command_line(data_dir, monkeypatch, tmp_path):
    """The CLI reads its database from the environment, so this runs on an SQLite file of its own."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    db = Database(url)
    prepare(db)
    import_file(db, "missions", data_dir / "un_peacekeeping" / "missions" / "DPPADPOSS-PKO.csv", "test")
    db.dispose()
    monkeypatch.setenv("PEACEOPS_DATABASE_URL", url)
    monkeypatch.setenv("PEACEOPS_VAR_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    result = runner.invoke(app, ["performance", "refresh", "--mission", "UNMISS"])
    assert result.exit_code == 0, result.output
    assert "created for UNMISS" in result.output
    again = runner.invoke(app, ["performance", "refresh", "--mission", "UNMISS"])
    assert "none created" in again.output
    args = ["performance", "renew", "UNMISS", "--mandate", "S/RES/2729 (2024)", "--from", "2024-05-01"]
    renewed = runner.invoke(app, args)
    assert renewed.exit_code == 0 and "framework version 2 from 2024-05-01" in renewed.output
    bad = runner.invoke(app, ["performance", "renew", "UNMISS", "--mandate", "x", "--from", "May"])
    assert bad.exit_code == 1 and "--from must be a date" in bad.output
