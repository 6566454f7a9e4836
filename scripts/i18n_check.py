"""Fail (exit 1, naming each) when a text marked for translation has no French translation, or when the
French catalogue is out of date with the code: ``make lint`` runs it; ``make i18n`` brings the catalogues up
to date for the translator.

Extracts with Babel exactly as ``make i18n`` does (``babel.cfg``, keywords ``_l``, ``_n``, ``N_``) into a
temporary template, and compares it with ``src/peaceops/locale/fr/LC_MESSAGES/messages.po``. Updates
nothing.

    python scripts/i18n_check.py [--root DIR] [--catalogue FILE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
FRENCH = Path("src/peaceops/locale/fr/LC_MESSAGES/messages.po")
# The keywords beyond Babel's own (_, gettext, ngettext, N_...): lazy texts and the short plural.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "_n": (1, 2), "N_": None}


def extract(root: Path) -> Catalog:
    """The texts marked in the code and the templates under ``root``, as ``pybabel extract`` finds them,
    written to a temporary .pot and read back (the same round trip ``make i18n`` makes)."""
    with (root / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog(project="peaceops")
    for filename, lineno, message, comments, context in extract_from_dir(
        root, method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    with tempfile.TemporaryFile() as pot:
        write_po(pot, catalog)
        pot.seek(0)
        return read_po(pot)


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(strings)


def _key(message: Message) -> tuple[object, str | None]:
    return (message.id, message.context)


def problems(root: Path, catalogue: Path) -> list[str]:
    """Every text that is not translated (missing, empty or fuzzy) and every stale entry, one line each."""
    wanted = extract(root)
    with catalogue.open("rb") as po:
        french = read_po(po, locale="fr")
    found = {_key(m): m for m in french if m.id}
    lines: list[str] = []
    for message in wanted:
        if not message.id:
            continue
        where = ", ".join(f"{name}:{line}" for name, line in message.locations[:2])
        have = found.get(_key(message))
        if have is None:
            lines.append(f"not in the catalogue: {message.id!r} ({where})")
        elif not _translated(have):
            lines.append(f"{'fuzzy' if have.fuzzy else 'not translated'}: {message.id!r} ({where})")
    extracted = {_key(m) for m in wanted if m.id}
    for key, message in found.items():
        if key not in extracted:
            lines.append(f"no longer in the code (run make i18n): {message.id!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (where babel.cfg is)")
    parser.add_argument("--catalogue", type=Path, help="the French .po to check (default: the package's)")
    args = parser.parse_args(argv)
    catalogue = args.catalogue or args.root / FRENCH
    found = problems(args.root, catalogue)
    if found:
        print(f"{catalogue}: {len(found)} problem(s); run `make i18n`, then translate in the .po:", file=sys.stderr)
        for line in found:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"{catalogue}: every marked text has its French translation.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
