"""Backups (decision 021): `backup` writes one archive of the database and of var/; `restore` gives back every
row and file in a new instance, and refuses a damaged archive, a non-empty target and an archive from newer
code before it writes anything. Every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, text
from support.databases import PG_URL, drop_schema, make_database, new_schema

from peaceops.access.users import add_user
from peaceops.errors import NotFound, ValidationFailed
from peaceops.platform import REFERENCE_TABLES, import_file
from peaceops.settings import Settings
from peaceops.store import Database, upgrade
from peaceops.store.backup import backup, instance_contents, restore
from peaceops.store.database import current_revision
from peaceops.store.events import events_table

PASSWORD = "a long enough password"
# A loaded-ish instance: the register, personnel and fatality figures, allegations (JSON columns), one
# country's UCDP events (the Parquet event store, coverage rows) and the agreements with their provisions
# (SQLite's full-text tables, PostgreSQL's tsvector table). Some 5 seconds on PostgreSQL.
FILES = [
    ("missions", ("un_peacekeeping", "missions", "DPPADPOSS-PKO.csv")),
    ("mission-totals", ("un_peacekeeping", "personnel", "IPI_mission_monthly_totals_1990-11_to_2017-03.csv")),
    ("world-totals", ("un_peacekeeping", "personnel", "IPI_global_monthly_summary_1990-11_to_2017-03.csv")),
    ("fatalities", ("un_peacekeeping", "fatalities", "DPPADPOSS-FATALITIES.csv")),
    ("allegations", ("un_peacekeeping", "conduct", "table_of_allegations_as_of_july_2024.xlsx")),
    ("ucdp-ged", ("ucdp", "ged", "ged_central_african_republic.csv.gz")),
    ("pax-agreements", ("pax", "metadata_v10", "pax.csv")),
    ("pax-provisions", ("pax", "provision_texts", "pax_provisions_mapped_to_constitutions.csv")),
    ("ucdp-peace-agreements", ("ucdp", "peace_agreements", "ucdp-peace-agreements-221.csv")),
]


def fill_var(var_dir: Path) -> None:
    """What var/ holds besides the event store: the generated secret key, the embeddings cache, trained
    models (told apart by their times), and what a backup leaves out: downloads and half-written files."""
    Settings(var_dir=var_dir, secret_key="").session_secret  # noqa: B018  (generates <var_dir>/secret_key)
    (var_dir / "embeddings").mkdir(parents=True)
    (var_dir / "embeddings" / "use-multilingual-v3-1.0.npz").write_bytes(os.urandom(3000))
    models = var_dir / "comms" / "models"
    models.mkdir(parents=True)
    for i, name in enumerate(("harm-en-aaa", "harm-en-bbb")):
        (models / f"{name}.joblib").write_bytes(os.urandom(500))
        (models / f"{name}.json").write_text(json.dumps({"version": name}))
        for suffix in (".joblib", ".json"):
            os.utime(models / f"{name}{suffix}", (1_700_000_000 + i, 1_700_000_000.25 + i))
    (var_dir / "downloads").mkdir()
    (var_dir / "downloads" / "ged251-csv.zip").write_bytes(b"a release, fetched again when needed")
    (var_dir / "embeddings" / "use-multilingual-v3-1.0.tmp.npz").write_bytes(b"being written")


@pytest.fixture
def loaded(db: Database, tmp_path: Path, data_dir: Path) -> tuple[Database, Path]:
    """The test's database with real files imported and a user added, and its var/ folder."""
    var_dir = tmp_path / "source-var"
    for kind, parts in FILES:
        import_file(db, kind, data_dir.joinpath(*parts), "test", var_dir=var_dir)
    with db.write() as session:
        add_user(session, "leila", PASSWORD, "analyst", actor="test")
    fill_var(var_dir)
    return db, var_dir


@pytest.fixture
def small(db: Database, tmp_path: Path) -> tuple[Database, Path]:
    """The test's database with one user (and its audit entry) and a var/ folder; no shared data needed."""
    var_dir = tmp_path / "source-var"
    with db.write() as session:
        add_user(session, "leila", PASSWORD, "analyst", actor="test")
    partition = var_dir / "events" / "ucdp-ged" / "year=2020" / "part-0.parquet"
    partition.parent.mkdir(parents=True)
    partition.write_bytes(os.urandom(2000))
    fill_var(var_dir)
    return db, var_dir


@pytest.fixture
def target(db: Database, tmp_path: Path) -> Iterator[tuple[Database, Path]]:
    """A new instance on the same backend: no database yet (SQLite: no file in its var/; PostgreSQL: a
    schema without tables) and no var/ folder."""
    var_dir = tmp_path / "target" / "var"
    if db.dialect == "sqlite":
        empty = Database(f"sqlite:///{var_dir / 'peaceops.sqlite'}")
        yield empty, var_dir
        empty.dispose()
        return
    admin = create_engine(PG_URL)
    schema = new_schema(admin)
    empty = Database(PG_URL, schema=schema)
    try:
        yield empty, var_dir
    finally:
        empty.dispose()
        drop_schema(admin, schema)
        admin.dispose()


def table_rows(db: Database) -> dict[str, list[str]]:
    """Every table's rows, sorted, as the database itself prints them (PostgreSQL's row text; SQLite's
    values), the full-text indexes included."""
    with db.engine.connect() as conn:
        metadata = MetaData()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            metadata.reflect(conn)
        rows = {}
        for name in sorted(metadata.tables):
            if name == "alembic_version":
                continue
            if db.dialect == "postgresql":
                query = f'SELECT CAST(t AS text) FROM "{name}" AS t'
                rows[name] = sorted(row[0] for row in conn.execute(text(query)))
            else:
                rows[name] = sorted(repr(tuple(row)) for row in conn.exec_driver_sql(f'SELECT * FROM "{name}"'))
        return rows


def sequences(db: Database) -> dict[str, int | None]:
    """PostgreSQL's sequences (SQLite's ids follow the largest one stored: the rows say it all)."""
    if db.dialect != "postgresql":
        return {}
    with db.engine.connect() as conn:
        query = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
        return {name: value for name, value in conn.execute(text(query))}


def files(var_dir: Path) -> dict[str, tuple[bytes, float]]:
    """Each file under var/ with its bytes and modification time, the SQLite database aside."""
    return {
        path.relative_to(var_dir).as_posix(): (path.read_bytes(), round(path.stat().st_mtime, 3))
        for path in sorted(var_dir.rglob("*"))
        if path.is_file() and not path.name.startswith("peaceops.sqlite")
    }


def backed_up(var_dir: Path) -> dict[str, tuple[bytes, float]]:
    """The files of ``files`` a backup takes: not the downloads, not the half-written ones, not the dot files
    (the event store's lock)."""
    return {
        k: v
        for k, v in files(var_dir).items()
        if not k.startswith("downloads/") and ".tmp" not in k and not Path(k).name.startswith(".")
    }


prepared_database = contextmanager(make_database)


def nothing_in(db: Database, var_dir: Path) -> bool:
    """No table at all in the database (no SQLite file) and no file under var/."""
    if db.dialect == "sqlite":
        no_tables = not Path(str(db.engine.url.database)).exists()
    else:
        with db.engine.connect() as conn:
            no_tables = not conn.execute(
                text("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
            ).scalar()
    return no_tables and not [p for p in var_dir.rglob("*") if p.is_file() and not p.name.startswith("peaceops.")]


def test_backup_then_restore_gives_back_every_row_and_file(loaded, target, tmp_path):
    source, source_var = loaded
    restored, restored_var = target
    archive = tmp_path / "backup.tar"

    report = backup(source, source_var, archive)

    manifest = report.manifest
    assert manifest.database == source.dialect and manifest.alembic_revision == current_revision(source)
    names = {m.name for m in manifest.members}
    assert "var/secret_key" in names and "var/comms/models/harm-en-bbb.joblib" in names
    assert "var/embeddings/use-multilingual-v3-1.0.npz" in names
    assert any(n.startswith("var/events/ucdp-ged/year=") for n in names)
    assert not any("downloads" in n or ".tmp" in n for n in names)
    with tarfile.open(archive) as tar:
        assert tar.getnames()[-2:] == ["manifest.json", "manifest.json.sha256"]
        for member in manifest.members:
            data = tar.extractfile(member.name).read()  # type: ignore[union-attr]
            assert (len(data), hashlib.sha256(data).hexdigest()) == (member.size, member.sha256)

    result = restore(archive, restored, restored_var, seeded=REFERENCE_TABLES)

    assert result.revision == current_revision(source)
    before, after = table_rows(source), table_rows(restored)
    assert set(after) == set(before)
    for name, rows in before.items():
        assert after[name] == rows, name
    assert sum(map(len, before.values())) > 20_000  # loaded-ish indeed
    assert sequences(restored) == sequences(source)
    assert files(restored_var) == backed_up(source_var)
    # The instance works: the event store reads, new rows get new ids, the restored user can be found.
    assert events_table(restored_var).count().execute() == events_table(source_var).count().execute()
    with restored.write() as session:
        add_user(session, "omar", PASSWORD, "viewer", actor="test")
    with restored.session() as session:
        users = session.execute(text("SELECT username FROM app_user ORDER BY id")).scalars().all()
    assert users == ["leila", "omar"]


def test_a_compressed_archive_restores_into_an_instance_prepare_already_set_up(small, tmp_path):
    source, source_var = small
    archive = tmp_path / "backup.tar.gz"
    backup(source, source_var, archive)
    with prepared_database(source.dialect, tmp_path / "prepared") as prepared:
        var_dir = tmp_path / "prepared-var"
        result = restore(archive, prepared, var_dir, seeded=REFERENCE_TABLES)
        assert result.files == len(files(var_dir)) == 7
        assert files(var_dir) == backed_up(source_var)
        assert table_rows(prepared) == table_rows(source)


@pytest.fixture
def older(db: Database, tmp_path: Path) -> Iterator[Database]:
    """A database of the test's backend one migration behind the newest, with a user."""
    if db.dialect == "sqlite":
        old = Database(f"sqlite:///{tmp_path / 'old.sqlite'}")
        schema, admin = None, None
    else:
        admin = create_engine(PG_URL)
        schema = new_schema(admin)
        old = Database(PG_URL, schema=schema)
    try:
        upgrade(old, "0014")
        with old.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO app_user (username, password_hash, role, active, created_at) "
                    "VALUES ('leila', 'x', 'analyst', true, '2024-01-01 00:00:00')"
                )
            )
        yield old
    finally:
        old.dispose()
        if admin is not None and schema is not None:
            drop_schema(admin, schema)
            admin.dispose()


def test_an_older_archive_restores_and_is_migrated_to_the_newest_schema(older, tmp_path):
    archive = tmp_path / "old.tar"
    assert backup(older, tmp_path / "old-var", archive).manifest.alembic_revision == "0014"
    with prepared_database(older.dialect, tmp_path / "prepared") as prepared:  # at the newest revision already
        result = restore(archive, prepared, tmp_path / "new-var", seeded=REFERENCE_TABLES)
        assert result.revision == current_revision(prepared) != "0014"
        with prepared.session() as session:
            assert session.execute(text("SELECT username FROM app_user")).scalars().all() == ["leila"]
            assert session.execute(text("SELECT count(*) FROM world_strength")).scalar() == 0  # 0015's table


def flip_byte(archive: Path, where: str) -> None:
    """Change one byte: inside a member's data (the first non-empty database member, or ``where``), or in
    the middle of a compressed archive."""
    if where == "gzip":
        offset = archive.stat().st_size // 2
    else:
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if m.size and m.name.startswith(where)]
            offset = members[0].offset_data + members[0].size // 2
    data = bytearray(archive.read_bytes())
    data[offset] ^= 0x01
    archive.write_bytes(bytes(data))


@pytest.mark.parametrize("where", ["database/", "var/secret_key", "var/events/", "manifest.json", "gzip"])
def test_a_changed_byte_is_refused_before_anything_is_written(small, target, tmp_path, where):
    source, source_var = small
    restored, restored_var = target
    archive = tmp_path / ("backup.tar.gz" if where == "gzip" else "backup.tar")
    backup(source, source_var, archive)
    flip_byte(archive, where)

    with pytest.raises(ValidationFailed, match=r"is damaged \(.*\); nothing was restored") as refused:
        restore(archive, restored, restored_var, seeded=REFERENCE_TABLES)

    assert "\n" not in str(refused.value)
    assert nothing_in(restored, restored_var)


@pytest.mark.parametrize("name", ["backup.tar", "backup.tar.gz"])
def test_no_changed_byte_goes_unnoticed(small, target, tmp_path, name):
    """Wherever one byte that carries something changes (a tar header, a member's data, the end of the
    archive; anywhere in a compressed one), the archive is refused. The zero padding between members of an
    uncompressed archive carries nothing and is not read."""
    source, source_var = small
    restored, restored_var = target
    archive = tmp_path / name
    backup(source, source_var, archive)
    original = archive.read_bytes()
    size = len(original)
    if name.endswith(".gz"):
        spots = [*range(0, size, max(1, size // 60)), size - 8, size - 1]  # the deflate stream, its checksum
    else:
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
        spots = [size - 512, size - 1]  # the end-of-archive blocks
        for m in members:  # each header (a PAX one first, where it has one), its data's first, middle, last byte
            spots += [m.offset, m.offset + 100, m.offset + 511, m.offset_data - 512, m.offset_data + 7]
            spots += [m.offset_data, m.offset_data + m.size // 2, m.offset_data + m.size - 1] if m.size else []
    for offset in sorted(set(spots)):
        changed = bytearray(original)
        changed[offset] ^= 0x20
        archive.write_bytes(bytes(changed))
        with pytest.raises(ValidationFailed, match="is damaged|is not a peaceops backup"):
            restore(archive, restored, restored_var, seeded=REFERENCE_TABLES)
    assert nothing_in(restored, restored_var)


def test_restore_refuses_an_instance_that_holds_data(small, target, tmp_path):
    source, source_var = small
    restored, restored_var = target
    archive = tmp_path / "backup.tar"
    backup(source, source_var, archive)
    before = table_rows(source), files(source_var)

    with pytest.raises(ValidationFailed, match=r"not empty: its database holds rows \(app_user, audit_log\) and "):
        restore(archive, source, source_var, seeded=REFERENCE_TABLES)
    assert (table_rows(source), files(source_var)) == before

    stray = restored_var / "events" / "acled" / "year=2020" / "part-0.parquet"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"someone's events")
    with pytest.raises(ValidationFailed, match=r"its var folder .* holds files \(events/acled/year=2020/part-0"):
        restore(archive, restored, restored_var, seeded=REFERENCE_TABLES)
    assert stray.read_bytes() == b"someone's events"
    stray.unlink()
    assert nothing_in(restored, restored_var)


def test_a_freshly_set_up_instance_counts_as_empty(db, tmp_path):
    var_dir = tmp_path / "var"
    Settings(var_dir=var_dir, secret_key="").session_secret  # noqa: B018  (a first start writes the key)
    (var_dir / "downloads").mkdir()
    (var_dir / "downloads" / "release.zip").write_bytes(b"zip")
    assert instance_contents(db, var_dir, REFERENCE_TABLES) == ([], [])
    tables, _ = instance_contents(db, var_dir)  # without the reference tables, prepare's rows count
    assert set(tables) == set(REFERENCE_TABLES)


def rewrite_manifest(archive: Path, **changes: object) -> None:
    """The archive with its manifest changed and its checksum made to match (a consistent archive)."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    manifest = json.loads(dict((m.name, data) for m, data in members)["manifest.json"])
    data = json.dumps({**manifest, **changes}).encode()
    replaced = {
        "manifest.json": data,
        "manifest.json.sha256": f"{hashlib.sha256(data).hexdigest()}  manifest.json\n".encode(),
    }
    with tarfile.open(archive, "w") as tar:
        for member, content in members:
            content = replaced.get(member.name, content)
            member.size = len(content)
            tar.addfile(member, io.BytesIO(content))


def test_an_archive_from_newer_code_or_another_database_is_refused(small, target, tmp_path):
    source, source_var = small
    restored, restored_var = target
    archive = tmp_path / "backup.tar"
    backup(source, source_var, archive)

    rewrite_manifest(archive, alembic_revision="0099_future", peaceops_version="9.0")
    with pytest.raises(ValidationFailed, match=r"at schema revision 0099_future, newer than .* install peaceops 9.0"):
        restore(archive, restored, restored_var, seeded=REFERENCE_TABLES)
    assert nothing_in(restored, restored_var)

    other = "postgresql" if source.dialect == "sqlite" else "sqlite"
    rewrite_manifest(archive, alembic_revision=current_revision(source), database=other)
    with pytest.raises(ValidationFailed, match=f"holds a {other} database but this instance uses {source.dialect}"):
        restore(archive, restored, restored_var, seeded=REFERENCE_TABLES)
    assert nothing_in(restored, restored_var)


def test_backup_refuses_to_overwrite_and_names_it_cannot_write(small, tmp_path):
    source, source_var = small
    taken = tmp_path / "taken.tar"
    taken.write_bytes(b"keep me")
    with pytest.raises(ValidationFailed, match="already exists"):
        backup(source, source_var, taken)
    assert taken.read_bytes() == b"keep me"
    with pytest.raises(ValidationFailed, match=r"Name the archive FILE.tar or FILE.tar.gz \(got backup.zip\)"):
        backup(source, source_var, tmp_path / "backup.zip")
    with pytest.raises(ValidationFailed, match="does not exist; create it first"):
        backup(source, source_var, tmp_path / "nowhere" / "backup.tar")
    with pytest.raises(NotFound, match="There is no file"):
        restore(tmp_path / "missing.tar", source, source_var)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no partial archive left
