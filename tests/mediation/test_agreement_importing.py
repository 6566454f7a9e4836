"""Agreement imports on SQLite and PostgreSQL: validation, the UCDP link, idempotence, file errors."""

from __future__ import annotations

import pytest
from agreement_subset import SUBSET_PAX, load
from sqlalchemy import func, select

from peaceops.agreements.models import Agreement, AgreementCode, AgreementCountry, Provision
from peaceops.errors import ImportFileError
from peaceops.platform import IMPORT_KINDS, import_file
from peaceops.store.provenance import ImportRun


def _count(session, model) -> int:
    return int(session.scalar(select(func.count()).select_from(model)))


def _state(db) -> dict:
    """What the agreements memory holds, independent of row ids."""
    with db.session() as s:
        agreements = {
            (a.pax_id, a.ucdp_paid, a.source, a.title, a.release, a.ucdp_type, a.stage)
            for a in s.scalars(select(Agreement))
        }
        codes = set(
            s.execute(
                select(
                    Agreement.pax_id, Agreement.ucdp_paid, AgreementCode.source, AgreementCode.code, AgreementCode.value
                ).join(Agreement, Agreement.id == AgreementCode.agreement_id)
            ).all()
        )
        provisions = _count(s, Provision)
    return {"agreements": agreements, "codes": codes, "provisions": provisions}


def test_the_import_kinds_are_registered():
    assert {"pax-agreements", "pax-provisions", "ucdp-peace-agreements"} <= set(IMPORT_KINDS)


def test_subset_import_merges_ucdp_into_pax_and_keeps_the_rest(subset_db):
    with subset_db.session() as s:
        assert _count(s, Agreement) == len(SUBSET_PAX) + 3  # 1565 merged into PA-X 482; 3 UCDP-only rows
        peshawar = s.scalar(select(Agreement).where(Agreement.pax_id == 482))
        assert peshawar.ucdp_paid == 1565 and peshawar.ucdp_type == "partial"
        assert {(c.source, c.code) for c in peshawar.codes if c.source == "ucdp"} == {
            ("ucdp", "PpsEx"),
            ("ucdp", "PolNewTemp"),
        }
        alone = s.scalar(select(Agreement).where(Agreement.source == "ucdp", Agreement.ucdp_paid == 1116))
        assert alone.pax_id is None and alone.title == "Abeche agreement"
        assert alone.stage in ("SubComp", "SubPar", "Pre") and alone.region == "Africa (excl MENA)"
        assert [c.iso3 for c in alone.countries] == ["TCD"]
        # v10 fields won: the description is there and the release says so.
        assert s.scalar(select(Agreement.release).where(Agreement.pax_id == 516)) == "v10"
        assert s.scalar(select(Agreement.description).where(Agreement.pax_id == 516)).startswith("Commits")
        assert _count(s, Provision) == 32


def test_ucdp_first_then_pax_gives_the_same_memory(second_db, subset_files, subset_db):
    """Import order does not matter: a UCDP-only row is merged once PA-X claims it."""
    reports = load(second_db, subset_files, order=("ucdp", "coded", "metadata", "provisions"))
    assert reports[0].inserted == 4, "first, all four UCDP rows stand alone"
    assert second_db is not subset_db
    assert _state(second_db) == _state(subset_db)


def test_reimport_changes_nothing_and_a_newer_row_updates(db, subset_files, tmp_path):
    first = load(db, subset_files)
    again = load(db, subset_files)
    assert [r.inserted for r in first] == [len(SUBSET_PAX), 0, 32, 3]
    assert all(r.inserted == r.updated == r.removed == 0 for r in again)
    assert [r.unchanged for r in again] == [len(SUBSET_PAX), len(SUBSET_PAX), 32, 4]
    # A re-release of the coded export does not overwrite the newer v10 fields.
    kind, coded = subset_files["coded"]
    edited = tmp_path / "coded.csv"
    edited.write_text(coded.read_text(encoding="utf-8").replace("Protocol on Refugee Issues", "Old title"))
    report = import_file(db, kind, edited, "test")
    assert (report.inserted, report.updated) == (0, 0)
    # A newer metadata release does.
    kind, metadata = subset_files["metadata"]
    edited.write_text(metadata.read_text(encoding="utf-8").replace("Protocol on Refugee Issues", "New title"))
    report = import_file(db, kind, edited, "test")
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, len(SUBSET_PAX) - 1)
    with db.session() as s:
        assert s.scalar(select(Agreement.title).where(Agreement.pax_id == 516)) == "New title"


def test_provisions_of_unknown_agreements_are_rejected_with_their_lines(db, subset_files, tmp_path):
    load(db, subset_files, order=("coded",))
    kind, provisions = subset_files["provisions"]
    text = provisions.read_text(encoding="utf-8")
    path = tmp_path / "provisions.csv"
    path.write_text(text + "Nowhere,None_1,99999,Unknown accord,20000101,1,A provision of no known agreement.,0\n")
    report = import_file(db, kind, path, "test")
    assert report.accepted == 32 and report.rejected == 1
    rejection = report.rejections[0]
    assert rejection.line == len(text.splitlines()) + 1
    assert "agreement 99999 is not in the agreements register" in rejection.reason
    with db.session() as s:
        run = s.get(ImportRun, report.run_id)
        assert run.rejected == 1 and run.rejections[0].line == rejection.line


def test_a_damaged_header_leaves_the_database_as_it_was(db, subset_files, tmp_path):
    load(db, subset_files, order=("coded",))
    before = _state(db)
    path = tmp_path / "pax.csv"
    path.write_bytes(b'"' + subset_files["metadata"][1].read_bytes())
    with pytest.raises(ImportFileError, match="cannot be read as CSV: its header row"):
        import_file(db, "pax-agreements", path, "test")
    assert _state(db) == before


def test_a_damaged_last_line_is_rejected_alone_and_the_other_agreements_are_imported(db, subset_files, tmp_path):
    whole = subset_files["metadata"][1].read_bytes()
    path = tmp_path / "pax.csv"
    path.write_bytes(whole[:-200] + b'"\x00')  # cut short in the last line, with a stray quote and a NUL
    report = import_file(db, "pax-agreements", path, "test")
    (rejection,) = report.rejections
    assert "quote" in rejection.reason and rejection.reason.startswith(f"Line {rejection.line} ")
    last = whole[:-200].decode().count("\n") + 1
    assert rejection.line <= last and (report.inserted, report.rows_read) == (19, 20)  # 20 agreements, 1 cut short


def test_full_files_reimport_is_idempotent(agreements_db, full_files):
    """The real files, second time round: nothing new, nothing updated, every count the same."""
    with agreements_db.session() as s:
        counts = [_count(s, m) for m in (Agreement, AgreementCode, AgreementCountry, Provision)]
    assert counts[0] == 2257 + 59 and counts[3] == 3903
    reports = load(agreements_db, full_files)
    assert [(r.inserted, r.updated, r.removed, r.rejected) for r in reports] == [(0, 0, 0, 0)] * 4
    assert [r.unchanged for r in reports] == [1868, 2257, 3903, 374]
    with agreements_db.session() as s:
        assert [_count(s, m) for m in (Agreement, AgreementCode, AgreementCountry, Provision)] == counts
