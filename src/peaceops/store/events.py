"""The event store: Parquet partitioned by source and year, idempotent to re-import, queried with DuckDB.

Layout: ``<var_dir>/events/<source>/year=YYYY/part-0.parquet`` in EVENT_SCHEMA. A write rewrites only
the year partitions it changes, each one atomically (temp file, then rename), so readers never see a
half-written partition. Imports write through ``event_import``: staged files and a journal, renamed into
place once the database has committed the import run (decision 023, ``event_journal``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from peaceops.errors import ImportFileError
from peaceops.sources.acled import acled_rows
from peaceops.sources.columnar import csv_columns
from peaceops.sources.records import SourceRows
from peaceops.sources.tabular import read_raw
from peaceops.sources.ucdp import ged_rows
from peaceops.store.event_schema import EVENT_SCHEMA

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

PART = "part-0.parquet"


def events_dir(var_dir: Path) -> Path:
    return var_dir / "events"


def to_table(rows: SourceRows) -> pa.Table:
    """The accepted records of a reader as an Arrow table in EVENT_SCHEMA (from its columns when it read
    column-wise: no Python object per event)."""
    if rows.table is not None and rows._records is None:
        return rows.table.select(EVENT_SCHEMA.names).cast(EVENT_SCHEMA)
    return pa.Table.from_pylist([record for _, record in rows.records], schema=EVENT_SCHEMA)


def _partition(root: Path, year: int) -> Path:
    return root / f"year={year}" / PART


def _stored_years(root: Path) -> dict[int, pa.Array]:
    """The event ids in each stored year partition of one source (reads one column per file)."""
    return {
        int(path.parent.name.removeprefix("year=")): pq.read_table(path, columns=["event_id"]).column("event_id")
        for path in sorted(root.glob(f"year=*/{PART}"))
    }


def _write_atomically(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class EventChanges:
    """What merging a file into the store would do: its counts, and each year partition's new content
    (None where the partition ends up empty and is removed)."""

    counts: dict[str, int]
    source: str = ""
    parts: dict[Path, pa.Table | None] = field(default_factory=dict)


def plan_events(var_dir: Path, rows: SourceRows) -> EventChanges:
    """Merge a reader's records with the stored ones by event_id, in memory: nothing is written.

    The counts say what changed against what is stored. A changed event replaces the stored one (also
    when it moved to another year); events the file does not mention stay, since files are often subsets
    (one country) of a release.
    """
    new = to_table(rows)
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    if new.num_rows == 0:
        return EventChanges(counts)
    sources = pc.unique(new.column("source")).to_pylist()
    if len(sources) != 1:
        raise ValueError(f"plan_events takes one source at a time, got {sorted(sources)}")
    root = events_dir(var_dir) / sources[0]
    ids = new.column("event_id")
    stored = _stored_years(root)
    touched = set(pc.unique(new.column("year")).to_pylist())
    touched |= {year for year, stored_ids in stored.items() if pc.any(pc.is_in(stored_ids, ids)).as_py()}
    old_parts = [pq.read_table(_partition(root, year), schema=EVENT_SCHEMA) for year in touched if year in stored]
    old = pa.concat_tables(old_parts) if old_parts else EVENT_SCHEMA.empty_table()
    changes = _changes(new, old)
    status = changes.column("status")
    for name, count in zip(*pc.value_counts(status).flatten(), strict=True):
        counts[name.as_py()] = count.as_py()
    is_changed = pc.not_equal(status, "unchanged")
    changed = changes.column("event_id").filter(is_changed)
    if not len(changed):
        return EventChanges(counts, sources[0])
    fresh = new.filter(pc.is_in(ids, changed))
    kept = old.filter(pc.invert(pc.is_in(old.column("event_id"), changed)))
    dirty = set(pc.unique(fresh.column("year")).to_pylist())
    dirty |= set(pc.unique(changes.column("year").filter(pc.equal(status, "updated"))).to_pylist())
    parts: dict[Path, pa.Table | None] = {}
    for year in sorted(dirty):
        part = pa.concat_tables(
            [kept.filter(pc.equal(kept.column("year"), year)), fresh.filter(pc.equal(fresh.column("year"), year))]
        ).sort_by([("date_end", "ascending"), ("event_id", "ascending")])
        parts[_partition(root, year)] = part if part.num_rows else None
    return EventChanges(counts, sources[0], parts)


def write_events(var_dir: Path, rows: SourceRows) -> dict[str, int]:
    """Merge a reader's records into the store at once, each partition atomically; the counts of ``plan_events``.

    For stores without a database beside them (tests, scratch stores). Imports go through
    ``event_import``, which writes the same partitions only once the import run is committed (decision 023).
    """
    changes = plan_events(var_dir, rows)
    for path, part in changes.parts.items():
        if part is not None:
            _write_atomically(part, path)
        elif path.exists():
            path.unlink()
            path.parent.rmdir()
    return changes.counts


def _changes(new: pa.Table, old: pa.Table) -> pa.Table:
    """For every incoming event: event_id, status ("inserted" | "updated" | "unchanged") and the stored
    year, as columns (a global release is 300,000 events: none of them becomes a Python object)."""
    differs = " OR ".join(f"n.{name} IS DISTINCT FROM o.{name}" for name in EVENT_SCHEMA.names)
    con = duckdb.connect()
    try:
        con.register("n", new)
        con.register("o", old)
        query = (
            "SELECT n.event_id, CASE WHEN o.event_id IS NULL THEN 'inserted' "
            f"WHEN {differs} THEN 'updated' ELSE 'unchanged' END AS status, o.year "
            "FROM n LEFT JOIN o ON n.event_id = o.event_id"
        )
        return con.sql(query).to_arrow_table()
    finally:
        con.close()


def event_files(var_dir: Path) -> list[Path]:
    return sorted(events_dir(var_dir).glob(f"*/year=*/{PART}"))


def events_table(var_dir: Path, con: BaseBackend | None = None) -> ir.Table:
    """All stored events of every source as an Ibis table (DuckDB by default, or ``con``: DuckDB or Spark),
    in EVENT_SCHEMA's types."""
    import ibis

    from peaceops.store.analytics import is_spark

    con = con if con is not None else ibis.duckdb.connect()
    schema = ibis.Schema.from_pyarrow(EVENT_SCHEMA)
    if not event_files(var_dir):
        return ibis.memtable(EVENT_SCHEMA.empty_table())
    if is_spark(con):
        # Every source's year partitions at once: partition discovery off (the files hold their year; two
        # sources' folders would look like conflicting partitionings), hidden staged and temp files skipped.
        table = con.read_parquet(str(events_dir(var_dir)), recursiveFileLookup="true", pathGlobFilter="*.parquet")
        return table.select(*(table[name].cast(dtype).name(name) for name, dtype in schema.items()))
    pattern = str(events_dir(var_dir) / "*" / "year=*" / "*.parquet").replace("'", "''")
    # The year partition comes back as a 64-bit integer: every column is cast to its declared type.
    # Passing the schema also spares ibis a DESCRIBE, which warns on DuckDB 2 (fetch_arrow_table).
    columns = ", ".join(f'CAST("{name}" AS {_DUCKDB_TYPES[str(dtype)]}) AS "{name}"' for name, dtype in schema.items())
    query = f"SELECT {columns} FROM read_parquet('{pattern}', hive_partitioning = true)"
    return con.sql(query, schema=schema, dialect="duckdb")


_DUCKDB_TYPES = {
    "string": "VARCHAR",
    "date": "DATE",
    "int8": "TINYINT",
    "int16": "SMALLINT",
    "int32": "INTEGER",
    "float64": "DOUBLE",
}


def read_event_file(path: Path) -> SourceRows:
    """Read a UCDP GED or ACLED file, telling them apart by the header."""
    raw, digest = read_raw(path)
    header = raw.split(b"\n", 1)[0]
    if b"event_id_cnty" in header:
        return acled_rows(csv_columns(raw, path.name), digest, path)
    if b"type_of_violence" in header:
        return ged_rows(csv_columns(raw, path.name), digest, path)
    raise ImportFileError(
        f"{path.name} is neither a UCDP GED file (no type_of_violence column) nor an ACLED export "
        "(no event_id_cnty column)."
    )


def load_events(paths: Iterable[Path]) -> pa.Table:
    """Events from raw source files straight into EVENT_SCHEMA, without the store (the forecast CLI's input).

    Rejected rows are left out; an event given by several files (a country file and a global sample) is
    kept once, from the last file that has it.
    """
    tables = [to_table(read_event_file(Path(path))) for path in paths]
    if not tables:
        return EVENT_SCHEMA.empty_table()
    table = pa.concat_tables(tables)
    numbered = table.select(["source", "event_id"]).append_column("i", pa.array(np.arange(table.num_rows)))
    last = numbered.group_by(["source", "event_id"], use_threads=False).aggregate([("i", "max")])
    if last.num_rows == table.num_rows:
        return table
    kept = last.column("i_max")
    return table.take(pc.take(kept, pc.sort_indices(kept)))
