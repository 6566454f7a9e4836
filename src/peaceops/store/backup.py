"""Backups: one tar archive of the database and of what ``var/`` holds that cannot be recomputed, and its
restore into an empty instance (decision 021).

An archive (``.tar``, or ``.tar.gz`` / ``.tgz`` compressed) holds, in this order:

- ``database/peaceops.sqlite``: on SQLite, a copy made with the online backup API (``sqlite3``'s
  ``Connection.backup``), consistent while the server runs.
- ``database/<table>.jsonl``: on PostgreSQL, every table of the schema (the one ``search_path`` names)
  except ``alembic_version``, in dependency order, one JSON array per row holding each column's
  PostgreSQL text form (what ``COPY`` reads and writes, so every type goes back exactly as it was), all
  read in one read-only repeatable-read transaction. Sequences are recorded in the manifest.
- ``var/<path>``: every file under ``var/`` except what is recomputed or fetched again (``EXCLUDED``): the
  secret key, the Parquet event store, the embeddings cache, the trained models.
- ``manifest.json``: format, peaceops version, Alembic revision, database kind, when it was made, each
  member's size and SHA-256; on PostgreSQL each table's columns and rows and each sequence's value.
- ``manifest.json.sha256``: the manifest's own checksum, so that no byte of the archive goes unchecked.

``restore`` refuses a target that holds data, then unpacks the archive into a folder of its own inside
``var/`` checking every member against the manifest, and only then writes: the database (on SQLite with
the backup API again; on PostgreSQL the schema is migrated to the archive's revision and the rows copied in
one transaction), then the files, then migrates to the newest schema.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import uuid
import warnings
import zlib
from collections.abc import Callable, Collection, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO, Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Connection, MetaData, inspect, text

from peaceops.errors import ConfigurationError, NotFound, ValidationFailed
from peaceops.store import generation
from peaceops.store.database import Database, current_revision, known_revision, migrate_to, upgrade
from peaceops.store.event_import import held_still

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.json.sha256"
SQLITE_MEMBER = "database/peaceops.sqlite"
SECRET_KEY = "secret_key"
# What var/ holds that is not backed up, and why (decision 021): releases downloaded from their publisher
# (fetched again by `peaceops fetch`; their events are in the event store already), and the panels the
# analytics engine derives from the event store.
EXCLUDED = {
    "downloads": "downloaded releases: fetched again from the publisher; their events are in events/",
    "panels": "monthly panels: rebuilt from events/ by every monitoring run (decision 052)",
}
STAGING = ".peaceops-restore-"  # restore unpacks into <var_dir>/.peaceops-restore-*/ first
WORK = ".peaceops-backup-"  # backup dumps the database into <archive's folder>/.peaceops-backup-*/ first
TEMPORARY = (".tmp", ".tmp.npz", ".part")  # files being written (atomic writes rename them when done)
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")
CHUNK = 1 << 20

# A step of a long job: called with a label and the amount of work it will do (None: unknown); returns the
# callback that reports work done.
Step = Callable[[str, int | None], Callable[[int], None]]


class Member(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    size: int
    sha256: str
    mtime: float | None = None  # the file's modification time (models are told apart by theirs)


class TableDump(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    columns: list[str]
    rows: int


class Manifest(BaseModel):
    """What an archive holds; written as ``manifest.json``."""

    model_config = ConfigDict(frozen=True)

    format: int
    peaceops_version: str
    alembic_revision: str
    database: str
    created_at: str
    members: list[Member]
    tables: list[TableDump] = []
    sequences: dict[str, int | None] = {}
    excluded: dict[str, str] = {}

    def var_members(self) -> list[Member]:
        return [m for m in self.members if m.name.startswith("var/")]


@dataclass(frozen=True)
class BackupReport:
    path: Path
    manifest: Manifest
    size: int  # bytes of the archive

    @property
    def files(self) -> int:
        return len(self.manifest.var_members())

    @property
    def file_bytes(self) -> int:
        return sum(m.size for m in self.manifest.var_members())


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    revision: str | None  # the schema's revision after the restore (the newest this code knows)
    files: int


def _no_step(_label: str, _total: int | None) -> Callable[[int], None]:
    return lambda _n: None


def peaceops_version() -> str:
    try:
        return version("peaceops")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- what an instance holds -------------------------------------------------------------------------------


def _sqlite_path(db: Database) -> Path | None:
    if db.dialect != "sqlite":
        return None
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise ConfigurationError("An in-memory SQLite database cannot be backed up or restored; use a file.")
    return Path(database).resolve()


def _ignored(path: Path, var_dir: Path, db_file: Path | None, *, backing_up: bool) -> bool:
    """Whether a file under var/ is left out: the SQLite database (copied with the backup API), what
    EXCLUDED names, files being written, this job's own folders."""
    rel = path.relative_to(var_dir)
    if rel.parts[0] in EXCLUDED or rel.parts[0].startswith((STAGING, WORK)):
        return True
    if path.name.endswith(TEMPORARY) or path.name.startswith("."):
        return True
    if db_file is not None and any(path == Path(f"{db_file}{s}") for s in SQLITE_COMPANIONS):
        return True
    # A database file of the default name left in var/ while another database is configured is not data.
    if len(rel.parts) == 1 and any(rel.name == f"peaceops.sqlite{s}" for s in SQLITE_COMPANIONS):
        return True
    return not backing_up and rel.as_posix() == SECRET_KEY


def var_files(var_dir: Path, db_file: Path | None, *, backing_up: bool = True) -> list[Path]:
    """The files under ``var_dir`` a backup takes (``backing_up``), or that make a restore target not empty."""
    if not var_dir.is_dir():
        return []
    root = var_dir.resolve()
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink() and not _ignored(path, root, db_file, backing_up=backing_up):
                found.append(path)
    return found


def _user_tables(conn: Connection, seeded: Collection[str]) -> list[str]:
    """The tables a restore would overwrite: all but Alembic's, the data generation (raised by any first
    write, decision 026), the reference tables ``prepare`` fills, and SQLite's own (full-text indexes'
    shadow tables are counted through their virtual table)."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("SELECT name, type FROM pragma_table_list WHERE schema = 'main'").all()
        names = [name for name, kind in rows if kind in ("table", "virtual") and not name.startswith("sqlite_")]
    else:
        names = inspect(conn).get_table_names()
    return sorted(n for n in names if n not in ("alembic_version", generation.TABLE) and n not in seeded)


def database_contents(db: Database, seeded: Collection[str] = ()) -> list[str]:
    """The tables that hold rows, apart from the reference rows ``prepare`` writes (``seeded``)."""
    db_file = _sqlite_path(db)
    if db_file is not None and (not db_file.exists() or db_file.stat().st_size == 0):
        return []  # not created yet: connecting would create it
    with db.engine.connect() as conn:
        tables = _user_tables(conn, seeded)
        if not tables:
            return []
        query = " UNION ALL ".join(
            f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {_quote(name)})" for name in tables if "'" not in name
        )
        return [row[0] for row in conn.execute(text(query))]


def instance_contents(db: Database, var_dir: Path, seeded: Collection[str] = ()) -> tuple[list[str], list[str]]:
    """(tables holding rows, files under var/) that make an instance a target restore refuses.

    An instance is empty when its database has no schema yet, or only the reference rows ``prepare``
    writes (the tables named in ``seeded``), and ``var/`` holds nothing a backup would hold, apart from the
    secret key a first start generates."""
    files = var_files(var_dir, _sqlite_path(db), backing_up=False)
    return database_contents(db, seeded), [p.relative_to(var_dir.resolve()).as_posix() for p in files]


def _listed(names: list[str], noun: str, limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    more = f" and {len(names) - limit} more {noun}" if len(names) > limit else ""
    return shown + more


# --- backup -----------------------------------------------------------------------------------------------


def _compressed(path: Path) -> bool:
    """Whether the archive is gzip-compressed, by its name (.tar or .tar.gz / .tgz; any other is refused)."""
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return True
    if name.endswith(".tar"):
        return False
    raise ValidationFailed(f"Name the archive FILE.tar or FILE.tar.gz (got {path.name}).")


class _Hashing:
    """A file object that hashes and counts what is read through it (tarfile reads members through it)."""

    def __init__(self, raw: IO[bytes], advance: Callable[[int], None]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.advance = advance

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.advance(len(data))
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str, advance: Callable[[int], None]) -> Member:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as f:
        hashing = _Hashing(f, advance)
        try:
            tar.addfile(info, hashing)  # type: ignore[arg-type]  # tarfile only calls read()
        except OSError as exc:  # the file shrank while it was read
            raise ValidationFailed(f"{path} changed while it was backed up; run the backup again.") from exc
    return Member(name=name, size=info.size, sha256=hashing.digest.hexdigest(), mtime=info.mtime)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o644
    tar.addfile(info, _BytesReader(data))  # type: ignore[arg-type]


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        return chunk


def _dump_sqlite(db: Database, work: Path, step: Step) -> tuple[str, list[Path]]:
    """A consistent copy of the SQLite file with the online backup API (one step: one read transaction)."""
    source = _sqlite_path(db)
    assert source is not None
    if not source.exists():
        raise ConfigurationError(f"There is no database at {source} to back up; run `peaceops db upgrade` first.")
    target = work / "peaceops.sqlite"
    src = sqlite3.connect(source)
    try:
        src.execute("PRAGMA busy_timeout=10000")
        pages = int(src.execute("PRAGMA page_count").fetchone()[0])
        advance = step("database", pages)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, progress=lambda _status, remaining, total: advance(total - remaining))
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            revision = _sqlite_revision(dst)
        finally:
            dst.close()
    finally:
        src.close()
    if revision is None:
        raise ConfigurationError(f"The database at {source} has no schema yet; there is nothing to back up.")
    return revision, [target]


def _sqlite_revision(conn: sqlite3.Connection) -> str | None:
    try:
        heads = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.OperationalError:
        return None
    return ",".join(sorted(heads)) or None


def _sorted_tables(metadata: MetaData) -> list[Any]:
    with warnings.catch_warnings():  # a cycle of foreign keys would only make the order approximate
        warnings.simplefilter("ignore")
        return [t for t in metadata.sorted_tables if t.name != "alembic_version"]


def _dump_postgresql(
    db: Database, work: Path, step: Step
) -> tuple[str, list[Path], list[TableDump], dict[str, int | None]]:
    """Every table as JSON lines of PostgreSQL text values, in one read-only repeatable-read transaction."""
    engine = db.engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    files, tables = [], []
    with engine.connect() as conn, conn.begin():
        heads = [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
        metadata = MetaData()
        with warnings.catch_warnings():  # types SQLAlchemy does not model (tsvector is) only warn
            warnings.simplefilter("ignore")
            metadata.reflect(conn)
        ordered = _sorted_tables(metadata)
        advance = step("database", len(ordered))
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for table in ordered:
            columns = [c.name for c in table.columns]
            keys = [c.name for c in table.primary_key.columns] or []
            order = f" ORDER BY {', '.join(map(_quote, keys))}" if keys else ""
            query = f"COPY (SELECT {', '.join(map(_quote, columns))} FROM {_quote(table.name)}{order}) TO STDOUT"
            path = work / f"{table.name}.jsonl"
            rows = 0
            with path.open("w", encoding="utf-8") as out, cursor.copy(query) as copy:
                for row in copy.rows():
                    out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
                    rows += 1
            files.append(path)
            tables.append(TableDump(name=table.name, columns=columns, rows=rows))
            advance(1)
        sequences = {
            name: value
            for name, value in conn.execute(
                text("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()")
            )
        }
    if not heads:
        raise ConfigurationError("The database has no schema yet; there is nothing to back up.")
    return ",".join(sorted(heads)), files, tables, sequences


def backup(db: Database, var_dir: Path, archive: Path, *, step: Step | None = None) -> BackupReport:
    """Write ``archive``: the database, the files under ``var_dir`` a backup takes, and the manifest.

    The archive appears only when it is complete (written beside it under a temporary name, then renamed).
    The database is copied first and the files after it, so the files are at least as new as the database:
    the copy is made with the event store settled and held still, so no event import is between committing
    its run and renaming its files into place (decision 023)."""
    step = step or _no_step
    archive = archive.expanduser().absolute()
    compressed = _compressed(archive)
    if archive.exists():
        raise ValidationFailed(f"{archive} already exists; choose another file name or remove it first.")
    if not archive.parent.is_dir():
        raise ValidationFailed(f"The folder {archive.parent} does not exist; create it first.")
    if db.dialect not in ("sqlite", "postgresql"):
        raise ConfigurationError(f"Backups support SQLite and PostgreSQL, not {db.dialect}.")
    partial = archive.with_name(f".{archive.name}.{uuid.uuid4().hex}.tmp")
    with tempfile.TemporaryDirectory(prefix=WORK, dir=archive.parent) as folder:
        work = Path(folder)
        tables: list[TableDump] = []
        sequences: dict[str, int | None] = {}
        store = var_dir.expanduser()
        with held_still(db, store) if store.is_dir() else nullcontext():
            if db.dialect == "sqlite":
                revision, dumped = _dump_sqlite(db, work, step)
                names = [SQLITE_MEMBER]
            else:
                revision, dumped, tables, sequences = _dump_postgresql(db, work, step)
                names = [f"database/{path.name}" for path in dumped]
        root = var_dir.expanduser().resolve()
        files = [p for p in var_files(root, _sqlite_path(db)) if p not in (archive, partial)]
        advance = step("archive", sum(p.stat().st_size for p in [*dumped, *files]))
        try:
            with tarfile.open(partial, "w:gz" if compressed else "w", format=tarfile.PAX_FORMAT) as tar:
                members = [_add_file(tar, path, name, advance) for path, name in zip(dumped, names, strict=True)]
                for path in files:
                    members.append(_add_file(tar, path, f"var/{path.relative_to(root).as_posix()}", advance))
                manifest = Manifest(
                    format=FORMAT,
                    peaceops_version=peaceops_version(),
                    alembic_revision=revision,
                    database=db.dialect,
                    created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    members=members,
                    tables=tables,
                    sequences=sequences,
                    excluded=EXCLUDED,
                )
                data = manifest.model_dump_json(indent=2).encode()
                _add_bytes(tar, MANIFEST, data)
                _add_bytes(tar, MANIFEST_SUM, f"{hashlib.sha256(data).hexdigest()}  {MANIFEST}\n".encode())
            os.replace(partial, archive)
        finally:
            partial.unlink(missing_ok=True)
    return BackupReport(path=archive, manifest=manifest, size=archive.stat().st_size)


# --- restore ----------------------------------------------------------------------------------------------


def _damaged(archive: Path, why: str) -> ValidationFailed:
    return ValidationFailed(
        f"The archive {archive} is damaged ({why}); nothing was restored: use another copy of the backup."
    )


def _member_path(staging: Path, name: str) -> Path | None:
    """Where a member is unpacked; None for a name no backup writes (absolute, '..', other folders)."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or len(pure.parts) < 2 or pure.parts[0] not in ("database", "var"):
        return None
    return staging.joinpath(*pure.parts)


def _unpack(archive: Path, staging: Path, step: Step) -> Manifest:
    """Unpack every member into ``staging``, hashing it; check each against the manifest."""
    found: dict[str, tuple[int, str, float, int]] = {}
    manifest_bytes = checksum = None
    advance = step("verify", None if _compressed(archive) else archive.stat().st_size)
    try:
        with tarfile.open(archive, "r:*") as tar:
            for info in tar:
                if info.name in (MANIFEST, MANIFEST_SUM) and info.isfile():
                    data = _read(tar, info)
                    if info.name == MANIFEST:
                        manifest_bytes = data
                    else:
                        checksum = data
                    continue
                target = _member_path(staging, info.name)
                if target is None or not info.isfile():
                    raise ValidationFailed(
                        f"{archive} is not a peaceops backup: it holds {info.name!r}, which no backup writes."
                    )
                if info.name in found:
                    raise _damaged(archive, f"it holds {info.name} twice")
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                source = tar.extractfile(info)
                assert source is not None
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        advance(len(chunk))
                found[info.name] = (info.size, digest.hexdigest(), info.mtime, info.mode)
            # Only zero blocks may follow: tarfile stops without a word at a damaged header, and a compressed
            # archive's checksum is checked when its end is read.
            assert tar.fileobj is not None
            while chunk := tar.fileobj.read(CHUNK):
                if chunk.strip(b"\0"):
                    raise _damaged(archive, "it cannot be read to its end")
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise _damaged(archive, f"it cannot be read as a tar archive: {exc}") from None
    if manifest_bytes is None:
        raise ValidationFailed(f"{archive} is not a peaceops backup: it holds no {MANIFEST}.")
    if checksum is None:
        raise _damaged(archive, f"it holds no {MANIFEST_SUM}")
    if checksum != f"{hashlib.sha256(manifest_bytes).hexdigest()}  {MANIFEST}\n".encode():
        raise _damaged(archive, f"{MANIFEST} does not match its checksum")
    try:
        manifest = Manifest.model_validate_json(manifest_bytes)
    except ValidationError:
        raise ValidationFailed(f"{archive} is not a peaceops backup: its {MANIFEST} is not one.") from None
    listed = {m.name: m for m in manifest.members}
    for name in sorted(set(listed) | set(found)):
        if name not in found:
            raise _damaged(archive, f"{name} is missing")
        if name not in listed:
            raise _damaged(archive, f"{name} is not in the manifest")
        size, sha, mtime, _ = found[name]
        if (size, sha) != (listed[name].size, listed[name].sha256):
            raise _damaged(archive, f"{name} does not match its checksum")
        if listed[name].mtime is not None and mtime != listed[name].mtime:
            raise _damaged(archive, f"{name} does not have the time the manifest gives")
    for name, (_, _, mtime, mode) in found.items():  # model files are told apart by their times
        path = _member_path(staging, name)
        assert path is not None
        path.chmod(mode & 0o777 or 0o600)
        os.utime(path, (mtime, mtime))
    return manifest


def _read(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    source = tar.extractfile(info)
    assert source is not None
    return source.read()


def _check_compatible(archive: Path, manifest: Manifest, db: Database) -> None:
    made_by = f"peaceops {manifest.peaceops_version}"
    if manifest.format > FORMAT:
        raise ValidationFailed(
            f"{archive} was written by {made_by} in a newer backup format ({manifest.format}); "
            f"install {made_by} or newer to restore it."
        )
    if manifest.database != db.dialect:
        raise ValidationFailed(
            f"{archive} holds a {manifest.database} database but this instance uses {db.dialect}; restore it "
            f"into an instance whose PEACEOPS_DATABASE_URL points at a {manifest.database} database."
        )
    unknown = [r for r in manifest.alembic_revision.split(",") if not known_revision(r)]
    if unknown:
        raise ValidationFailed(
            f"{archive} was made by {made_by} at schema revision {manifest.alembic_revision}, newer than this "
            f"peaceops ({peaceops_version()}) knows; install {made_by} or newer to restore it."
        )


def _restore_sqlite(staged: Path, db: Database) -> None:
    target = _sqlite_path(db)
    assert target is not None
    db.dispose()
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(staged)
    try:
        dst = sqlite3.connect(target)
        try:
            dst.execute("PRAGMA busy_timeout=10000")
            dst.execute("PRAGMA journal_mode=DELETE")  # lets the copy set its own page size
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _rows(path: Path) -> Iterator[list[str | None]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def _restore_postgresql(folder: Path, manifest: Manifest, db: Database, step: Step) -> None:
    """Schema at the archive's revision, then every table's rows with COPY and the sequences, in one
    transaction: a failure leaves the target as it was."""
    migrate_to(db, manifest.alembic_revision)
    advance = step("database", sum(t.rows for t in manifest.tables))
    with db.write() as session:
        conn = session.connection()
        present = set(inspect(conn).get_table_names()) - {"alembic_version"}
        missing = [t.name for t in manifest.tables if t.name not in present]
        if missing:
            raise ConfigurationError(
                f"The schema at revision {manifest.alembic_revision} has no table {', '.join(missing)}; "
                "the archive does not fit this peaceops."
            )
        if present:  # the reference rows `prepare` wrote, if it ran: the archive holds its own
            conn.exec_driver_sql(f"TRUNCATE {', '.join(map(_quote, sorted(present)))}")
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for table in manifest.tables:
            query = f"COPY {_quote(table.name)} ({', '.join(map(_quote, table.columns))}) FROM STDIN"
            with cursor.copy(query) as copy:
                for row in _rows(folder / f"{table.name}.jsonl"):
                    copy.write_row(row)
            advance(table.rows)
        for name, value in manifest.sequences.items():
            conn.execute(
                text("SELECT setval(CAST(format('%I.%I', current_schema(), CAST(:name AS text)) AS regclass), :v, :c)"),
                {"name": name, "v": value if value is not None else 1, "c": value is not None},
            )


def _place_files(staged: Path, var_dir: Path, step: Step) -> int:
    files = sorted(p for p in staged.rglob("*") if p.is_file()) if staged.is_dir() else []
    advance = step("files", len(files))
    for path in files:
        target = var_dir / path.relative_to(staged)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        advance(1)
    return len(files)


def restore(
    archive: Path, db: Database, var_dir: Path, *, seeded: Collection[str] = (), step: Step | None = None
) -> RestoreReport:
    """Restore ``archive`` into the instance of ``db`` and ``var_dir``, which must be empty (``seeded``: the
    reference tables ``prepare`` fills, which may hold rows). Nothing is written until every member has
    been checked against the manifest; the schema is migrated to the newest revision at the end."""
    step = step or _no_step
    archive = archive.expanduser().absolute()
    if not archive.is_file():
        raise NotFound(f"There is no file {archive}.")
    _compressed(archive)
    var_dir = var_dir.expanduser().absolute()
    tables, files = instance_contents(db, var_dir, seeded)
    if tables or files:
        held = []
        if tables:
            held.append(f"its database holds rows ({_listed(tables, 'tables')})")
        if files:
            held.append(f"its var folder {var_dir} holds files ({_listed(files, 'files')})")
        raise ValidationFailed(
            f"The target instance is not empty: {' and '.join(held)}; restore into a new instance, with an empty "
            "database (PEACEOPS_DATABASE_URL) and an empty var folder (PEACEOPS_VAR_DIR)."
        )
    created = not var_dir.exists()
    var_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=var_dir))
    try:
        manifest = _unpack(archive, staging, step)
        _check_compatible(archive, manifest, db)
        if manifest.database == "sqlite":
            step("database", None)
            _restore_sqlite(staging / SQLITE_MEMBER, db)
        else:
            _restore_postgresql(staging / "database", manifest, db, step)
        placed = _place_files(staging / "var", var_dir, step)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not any(var_dir.iterdir()):
            var_dir.rmdir()
        raise
    shutil.rmtree(staging, ignore_errors=True)
    step("migrate", None)
    upgrade(db)
    return RestoreReport(manifest=manifest, revision=current_revision(db), files=placed)
