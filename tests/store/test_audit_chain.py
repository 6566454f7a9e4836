"""The audit log is append-only and hash-chained (issue 15 part 4, decision 022): ``verify`` and
``peaceops audit verify`` name the first changed, removed or inserted entry; the table refuses UPDATE
and DELETE; a read's entries are appended after the read; each entry says where it came from."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from support.databases import make_database
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.store import audit
from peaceops.store.audit import AuditEntry


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    yield from make_database(request.param, tmp_path)


def write_entries(db, n: int = 5) -> None:
    with db.write() as s, audit.client("198.51.100.4"):
        for i in range(n):
            audit.record(s, "alice", "update", "thing", i, before={"n": i}, after={"n": i + 1, "note": "é"})


def raw(db, sql: str, **params) -> None:
    """What someone with database access, not the application, would do: triggers off where needed."""
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
            conn.execute(text(sql), params)
            conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
            conn.execute(text(sql), params)


def ids(db) -> list[int]:
    with db.session() as s:
        return [e.id for e in audit.recent(s, limit=100)][::-1]


def test_an_untouched_log_verifies_and_each_entry_records_its_client(db):
    write_entries(db)
    with db.session() as s:
        verdict = audit.verify(s)
        entries = audit.recent(s)
    assert verdict.ok and verdict.entries == 5
    assert {e.client for e in entries} == {"198.51.100.4"}
    assert entries[0].hash == verdict.head_hash
    assert entries[-1].prev_hash == audit.GENESIS


def test_the_table_refuses_update_and_delete(db):
    write_entries(db, 2)
    for sql in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(sql))
    with db.session() as s:
        assert audit.verify(s).entries == 2


def test_a_changed_entry_is_named(db):
    write_entries(db)
    third = ids(db)[2]
    raw(db, "UPDATE audit_log SET actor = 'mallory' WHERE id = :id", id=third)
    with db.session() as s:
        verdict = audit.verify(s)
    assert not verdict.ok and verdict.problem_id == third and "changed" in verdict.problem


def test_a_deleted_entry_is_found_at_the_next_one(db):
    write_entries(db)
    second, third = ids(db)[1:3]
    raw(db, "DELETE FROM audit_log WHERE id = :id", id=second)
    with db.session() as s:
        verdict = audit.verify(s)
    assert not verdict.ok and verdict.problem_id == third and "removed" in verdict.problem


def test_an_inserted_entry_is_named(db):
    write_entries(db)
    first = ids(db)[0]
    with db.session() as s:
        head = audit.verify(s).head_hash
    # A forged entry slipped in with a well-formed hash of its own.
    forged = AuditEntry(
        at=audit.utcnow(), actor="mallory", action="grant", entity="user", entity_id="1", prev_hash=head, client=None
    )
    forged.hash = audit.digest(forged)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, prev_hash, hash) "
                "VALUES (:id, :at, 'mallory', 'grant', 'user', '1', :prev, :hash)"
            ),
            {"id": first + 1000, "at": forged.at, "prev": "0" * 64, "hash": forged.hash},
        )
    with db.session() as s:
        verdict = audit.verify(s)
    assert not verdict.ok and verdict.problem_id == first + 1000 and "inserted" in verdict.problem


def test_an_anchor_catches_entries_cut_from_the_end(db):
    write_entries(db)
    with db.session() as s:
        verdict = audit.verify(s)
    anchor = (verdict.head_id, verdict.head_hash)
    raw(db, "DELETE FROM audit_log WHERE id = :id", id=verdict.head_id)
    with db.session() as s:
        assert audit.verify(s).ok  # a clean cut at the end leaves a valid shorter chain...
        cut = audit.verify(s, anchor=anchor)
    assert not cut.ok and "removed" in cut.problem  # ...which the noted head exposes


def test_a_reads_entries_are_appended_after_the_read_and_chain_on(db):
    write_entries(db, 1)
    with db.session(defer_audit=True) as s:
        audit.record(s, "bob", "read", "debrief", 3, after={"via": "page"})
        assert s.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1  # queued, not yet written
    with db.session() as s:
        assert audit.verify(s).entries == 2
        assert audit.recent(s, 1)[0].action == "read"


def test_the_cli_reports_a_whole_log_and_exits_1_on_a_tampered_one(tmp_path, monkeypatch):
    for db in make_database("sqlite", tmp_path):  # the command opens the database from its URL
        write_entries(db, 3)
        monkeypatch.setenv("PEACEOPS_DATABASE_URL", db.url)
        runner = CliRunner()
        whole = runner.invoke(app, ["audit", "verify"])
        assert whole.exit_code == 0, whole.output
        assert "whole: 3 entries" in whole.output
        head = whole.output.split("Head: ")[1].split()[0]
        raw(db, "UPDATE audit_log SET after = :after WHERE id = :id", after=json.dumps({"n": 99}), id=ids(db)[1])
        broken = runner.invoke(app, ["audit", "verify", "--anchor", head])
        assert broken.exit_code == 1
        assert "changed after it was written" in broken.output
