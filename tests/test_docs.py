"""The README is the user's manual: every command and every setting must appear in it."""

import re
from pathlib import Path

import typer.main

from peaceops.cli import app
from peaceops.platform import IMPORT_KINDS
from peaceops.settings import Settings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _command_paths(group, prefix=""):
    for name, command in group.commands.items():
        path = f"{prefix} {name}".strip()
        if hasattr(command, "commands"):
            yield from _command_paths(command, path)
        else:
            yield path


def test_readme_starts_with_the_two_commands():
    head = "\n".join(README.splitlines()[:6])
    assert "make demo" in head and "make test" in head


def test_every_cli_command_is_documented():
    paths = sorted(_command_paths(typer.main.get_command(app)))
    assert {"demo", "serve", "db upgrade", "import", "user add", "get"} <= set(paths)
    missing = [p for p in paths if f"peaceops {p}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_every_setting_is_documented():
    missing = [f"PEACEOPS_{name.upper()}" for name in Settings.model_fields if f"PEACEOPS_{name.upper()}" not in README]
    assert not missing, f"settings missing from README.md: {missing}"


def test_the_readme_lists_exactly_the_registered_import_kinds():
    row = next(line for line in README.splitlines() if line.startswith("| `peaceops import KIND FILE`"))
    kinds = re.search(r"import one file \(([^)]*)\)", row)
    assert kinds, "the `peaceops import KIND FILE` row has no list of kinds: import one file (`kind`, ...)"
    listed = re.findall(r"`([a-z0-9-]+)`", kinds.group(1))
    assert listed, "the `peaceops import KIND FILE` row lists no kinds"
    assert sorted(listed) == sorted(IMPORT_KINDS), f"README kinds {listed} differ from the registry {IMPORT_KINDS}"
