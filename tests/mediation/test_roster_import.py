"""Importing the roster from CSV: each rejected line comes back with its number and reason, good lines are
kept, the same file imported again changes nothing (upsert by email), a changed line updates the expert,
and every change is in the audit log (the upload form and API: test_helpdesk_web.py)."""

from __future__ import annotations

import pytest
from roster_support import ANALYST, VIEWER
from sqlalchemy import func, select

from peaceops.errors import ImportFileError, PermissionDenied
from peaceops.platform import import_file
from peaceops.roster.experts import import_experts
from peaceops.roster.models import Expert, ExpertAvailability
from peaceops.store.audit import AuditEntry

GOOD_AND_BAD = """\
name,email,affiliation,phone,clearance,expertise,languages,regions,availability,notes
Aminata Diallo,Aminata@Example.org,Bamako Land Institute,+223 1234,confidential,land; power sharing,fr:native; en:fluent,MLI,2026-12-01..2027-02-28,
No Email,,,,,land,,,,
Bad Area,bad-area@example.org,,,,astrology,,,,
Bad Language,bad-lang@example.org,,,,land,xx:native,,,
Bad Window,bad-window@example.org,,,,land,,,2027-03-01..2027-01-01,
Bad Region,bad-region@example.org,,,,land,,Atlantis,,
Bad Clearance,bad-clear@example.org,,,cosmic,land,,,,
Chen Wei,chen@example.org,,,none,Natural resources,fr:working,Western Africa;NER,2026-11-01..2027-06-30;2027-09-01..2027-09-30,
Chen Again,CHEN@example.org,,,,land,,,,
"""  # noqa: E501
EXPECTED_REJECTIONS = {
    3: "email '' is not an email address",
    4: "'astrology' is not an expertise area",
    5: "'xx' is not an ISO 639-1 language code",
    6: "ends before it starts",
    7: "'Atlantis' is neither an ISO 3166 alpha-3 country code",
    8: "the clearance 'cosmic' is not one the roster records; use none (None), confidential (UN confidential) or "
    "strictly_confidential (UN strictly confidential).",
    10: "email chen@example.org is already on line 9 of this file",
}


def _counts(db) -> tuple[int, int]:
    with db.session() as s:
        return s.scalar(select(func.count(Expert.id))), s.scalar(select(func.count(ExpertAvailability.id)))


def test_import_reports_bad_rows_keeps_good_ones_and_reimport_is_idempotent(db, tmp_path):
    with db.session() as s:
        report = import_experts(s, ANALYST, GOOD_AND_BAD, "roster.csv")
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert {r["line"]: r["reason"] for r in report.rejected}.keys() == EXPECTED_REJECTIONS.keys()
    for row in report.rejected:
        assert row["reason"].startswith(f"Line {row['line']}: ")
        assert EXPECTED_REJECTIONS[row["line"]] in row["reason"], row
    assert _counts(db) == (2, 3)
    with db.session() as s:
        chen = s.scalar(select(Expert).where(Expert.email == "chen@example.org"))
        assert chen.expertise == ["natural_resources"]
        assert chen.regions == ["NER", "Western Africa"]
        assert chen.languages == [{"code": "fr", "level": "working"}]
        assert s.scalar(select(Expert.email).where(Expert.name == "Aminata Diallo")) == "aminata@example.org"

    with db.session() as s:
        again = import_experts(s, ANALYST, GOOD_AND_BAD, "roster.csv")
    assert (again.created, again.updated, again.unchanged, len(again.rejected)) == (0, 0, 2, 7)
    assert _counts(db) == (2, 3)

    changed = GOOD_AND_BAD.replace("2026-11-01..2027-06-30;", "")
    with db.session() as s:
        third = import_experts(s, ANALYST, changed, "roster.csv")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert _counts(db) == (2, 2)
    with db.session() as s:
        actions = list(
            s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "expert").order_by(AuditEntry.id))
        )
        update = s.scalar(select(AuditEntry).where(AuditEntry.action == "expert.updated"))
    assert actions == ["expert.created", "expert.created", "expert.import", "expert.import", "expert.updated",
                       "expert.import"]  # fmt: skip
    assert len(update.before["availability"]) == 2 and len(update.after["availability"]) == 1

    # The same file as `peaceops import experts FILE` (platform.import_file): an import run with its rejections.
    path = tmp_path / "roster.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    run = import_file(db, "experts", path, "cli-user")
    assert (run.inserted, run.updated, run.unchanged, run.rejected, run.rows_read) == (0, 1, 1, 7, 9)
    assert run.rejections[0].line == 3 and run.run_id is not None
    assert _counts(db) == (2, 3)

    with db.session() as s:
        with pytest.raises(PermissionDenied, match="can read the expert roster but not change it"):
            import_experts(s, VIEWER, GOOD_AND_BAD)
        with pytest.raises(ImportFileError, match="lacks the column"):
            import_experts(s, ANALYST, "name,mail\nA,a@b.org\n", "wrong.csv")


def test_a_line_that_cannot_be_read_is_rejected_alone_and_the_experts_around_it_are_kept(db, tmp_path):
    header = "name,email,expertise,notes\n"
    content = (
        header.encode()
        + "Awa Traoré,awa@example.org,land,\n".encode()
        + "Awa Traoré,latin@example.org,land,\n".encode("latin-1")  # not UTF-8
        + f"Huge Note,huge@example.org,land,{'x' * 200_000}\n".encode()
        + b'Stray Quote,stray@example.org,land,"never closed\n'
        + b"Koffi Mensah,koffi@example.org,land,note\n"
    )
    path = tmp_path / "mixed.csv"
    path.write_bytes(content)
    run = import_file(db, "experts", path, "cli-user")
    assert (run.inserted, run.rejected, run.rows_read) == (2, 3, 5)
    reasons = {r.line: r.reason for r in run.rejections}
    assert reasons[3].startswith("Line 3 is not UTF-8 text (byte 0xe9)")
    assert reasons[4].startswith("Line 4 has a value longer than 131,072 characters")
    assert reasons[5].startswith("Line 5 opens a quote that is never closed (the quoted value ran on to the end")
    with db.session() as s:
        names = dict(s.execute(select(Expert.email, Expert.name).where(Expert.email.like("%@example.org"))).all())
    assert names["awa@example.org"] == "Awa Traoré" and names["koffi@example.org"] == "Koffi Mensah"
    assert "latin@example.org" not in names and "stray@example.org" not in names
