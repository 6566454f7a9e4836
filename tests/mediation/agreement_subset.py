"""The PA-X and UCDP files the agreements tests load, and the subset of agreements with known content (a module
with its own name: several test folders have a ``conftest``, so ``from conftest import`` is ambiguous)."""

from __future__ import annotations

from pathlib import Path

from peaceops.platform import import_file
from peaceops.store import Database

FILES = {
    "coded": ("pax-agreements", ("pax", "coded_v4", "pax_all_agreements_data.csv")),
    "metadata": ("pax-agreements", ("pax", "metadata_v10", "pax.csv")),
    "provisions": ("pax-provisions", ("pax", "provision_texts", "pax_provisions_mapped_to_constitutions.csv")),
    "ucdp": ("ucdp-peace-agreements", ("ucdp", "peace_agreements", "ucdp-peace-agreements-221.csv")),
}
# A subset with known content: refugee protocols (516, 524), ceasefires, women's participation, agreements
# with a few provision texts (409 Islamabad Accord, 482 Peshawar Accord), and PA-X agreements that UCDP
# also lists (482 <-> paid 1565).
SUBSET_PAX = (
    516, 524, 505, 409, 482, 319, 320, 259, 694, 751, 978, 202, 640, 1547, 2069, 431, 295, 168, 589, 1433,
)  # fmt: skip
SUBSET_PAIDS = (1565, 1566, 1116, 1521)


def load(db: Database, files: dict[str, tuple[str, Path]], order: tuple[str, ...] = tuple(FILES)) -> list:
    return [import_file(db, files[name][0], files[name][1], "test") for name in order]
