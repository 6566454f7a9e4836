"""``sync_rows`` for rows given as Arrow columns: compared column-wise, written in bulk (decision 053).

The result is ``sync_rows``' own, row for row (the tests hold it to that on both stores): new rows
inserted, changed rows updated, equal rows left alone, and with ``replace_within`` the stored rows of an
incoming scope that the file no longer lists deleted. What differs is the work: the stored rows are read
once through the driver into columns and matched with the incoming ones by their keys' codes, and new rows go in as one
``executemany`` of plain tuples on SQLite or one ``COPY`` on PostgreSQL, on the session's own connection
and transaction (so the write path, its lock and its commit are those of every other write).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
from sqlalchemy import Table, bindparam, delete, update
from sqlalchemy.orm import Session

from peaceops.sources.columnar import keys_of
from peaceops.store import generation
from peaceops.store.base import Base
from peaceops.store.sync import CHUNK, Progress, SyncResult

OLD = "__old"  # suffix of a stored value beside the incoming one
TOLERANCE = 1e-9  # as ``sync._same``: floats closer than this are equal


def sync_table(
    session: Session,
    model: type[Base],
    key: Sequence[str],
    table: pa.Table,
    *,
    replace_within: Sequence[str] | None = None,
    progress: Progress | None = None,
    keep_changes: int = 50,
) -> SyncResult:
    """Insert new rows, update changed ones, leave equal ones alone, as ``sync_rows`` does with ``table``'s
    rows (no null in ``key``); ``replace_within`` deletes as there."""
    target = cast(Table, model.__table__)
    result = SyncResult()
    if not table.num_rows:
        return result
    key = list(key)
    fields = [c for c in table.column_names if c not in key]
    stored = _stored(session, target, key, fields, table.schema)
    if stored.num_rows:
        incoming_codes, stored_codes = _codes(table, stored, key)
        at = np.full(int(max(incoming_codes.max(), stored_codes.max())) + 1, -1, dtype=np.int64)
        at[stored_codes] = np.arange(len(stored_codes))  # the natural key is unique among stored rows
        match = at[incoming_codes]  # each incoming row's stored row, or -1
    else:
        match = np.full(table.num_rows, -1, dtype=np.int64)
    new = match < 0
    where = pa.array(match, mask=new)
    differs = np.zeros(table.num_rows, dtype=bool)
    old: dict[str, pa.Array] = {}
    for name in fields:
        old[name] = stored.column(name).take(where)
        differs |= _differs(table.column(name).combine_chunks(), old[name])
    changed = ~new & differs
    result.unchanged = int(table.num_rows - np.count_nonzero(new) - np.count_nonzero(changed))

    inserts = table.filter(pa.array(new))
    for start in range(0, inserts.num_rows, CHUNK * 10):
        chunk = inserts.slice(start, CHUNK * 10)
        _insert(session, target, chunk)
        result.inserted += chunk.num_rows
        if progress:
            progress(chunk.num_rows)
    if changed.any():
        picked = pa.array(changed)
        ids = stored.column("id").take(pa.array(match[changed])).to_pylist()
        after = {name: table.column(name).filter(picked).to_pylist() for name in table.column_names}
        before = {name: old[name].filter(picked).to_pylist() for name in fields}
        stmt = update(target).where(target.c.id == bindparam("_id")).values({f: bindparam(f) for f in fields})
        session.connection().execute(
            stmt, [{"_id": row_id, **{f: after[f][i] for f in fields}} for i, row_id in enumerate(ids)]
        )
        result.updated = len(ids)
        for i in range(min(keep_changes, len(ids))):
            keys = {k: after[k][i] for k in key}
            result.changes.append(
                ({**keys, **{f: before[f][i] for f in fields}}, {**keys, **{f: after[f][i] for f in fields}})
            )
        if progress:
            progress(result.updated)
    if progress:
        progress(result.unchanged)

    if replace_within and stored.num_rows:
        listed = np.zeros(stored.num_rows, dtype=bool)
        listed[match[~new]] = True
        scope_in, scope_stored = _codes(table, stored, list(replace_within))
        scoped = np.zeros(int(max(scope_in.max(initial=-1), scope_stored.max(initial=-1))) + 1, dtype=bool)
        scoped[scope_in] = True
        stale = stored.column("id").filter(pa.array(~listed & scoped[scope_stored])).to_pylist()
        for start in range(0, len(stale), CHUNK):
            session.execute(delete(target).where(target.c.id.in_(stale[start : start + CHUNK])))
        result.removed = len(stale)
    return result


def _codes(incoming: pa.Table, stored: pa.Table, key: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """One integer per row of each table, equal exactly where the rows' ``key`` values are equal."""
    both = [
        pa.chunked_array([*incoming.column(k).chunks, *stored.column(k).cast(incoming.schema.field(k).type).chunks])
        for k in key
    ]
    codes = keys_of([column.combine_chunks() for column in both])
    return codes[: incoming.num_rows], codes[incoming.num_rows :]


def _stored(session: Session, target: Table, key: list[str], fields: list[str], schema: pa.Schema) -> pa.Table:
    """Every stored row's id, key and fields, read through the driver (no per-value conversion by the
    ORM) and cast to the incoming columns' types (SQLite gives dates as text)."""
    names = ["id", *key, *fields]
    quote = session.get_bind().dialect.identifier_preparer.quote
    table_name = session.get_bind().dialect.identifier_preparer.format_table(target)
    query = f"SELECT {', '.join(quote(n) for n in names)} FROM {table_name}"  # noqa: S608 (names from the model)
    cursor = session.connection().connection.cursor()  # the session's transaction, without a Row per row
    try:
        cursor.execute(query)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    types = [pa.int64(), *(schema.field(n).type for n in names[1:])]
    if not rows:
        return pa.table([pa.array([], t) for t in types], names=names)
    values = list(zip(*rows, strict=True))
    return pa.table([pa.array(column).cast(kind) for column, kind in zip(values, types, strict=True)], names=names)


def _differs(new: pa.Array, old: pa.Array) -> np.ndarray:
    """Where a stored value differs from the incoming one, as ``sync._same`` compares them."""
    one_null = pc.not_equal(new.is_null(), old.is_null())
    if pa.types.is_floating(new.type):
        unequal = pc.greater(pc.abs(pc.subtract(new, old)), TOLERANCE)
    else:
        unequal = pc.not_equal(new, old)
    return np.asarray(pc.or_(one_null, pc.fill_null(unequal, False)))


def _with_defaults(target: Table, rows: pa.Table) -> pa.Table:
    """``rows`` with the model's own default for each column they lack, as an ORM insert would fill it."""
    for column in target.columns:
        if column.name in rows.column_names or column.primary_key or column.default is None:
            continue
        default: Any = column.default
        if not default.is_scalar:
            raise ValueError(f"sync_table cannot fill {target.name}.{column.name}, whose default is computed")
        rows = rows.append_column(column.name, pa.repeat(default.arg, rows.num_rows))
    return rows


def _insert(session: Session, target: Table, rows: pa.Table) -> None:
    """Insert ``rows`` in bulk on the session's connection: COPY on PostgreSQL, executemany on SQLite."""
    rows = _with_defaults(target, rows)
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in rows.column_names)
    table_name = dialect.identifier_preparer.format_table(target)
    if dialect.name == "postgresql":
        # Arrow writes the CSV that COPY reads: every value quoted, a null unquoted and empty (NULL), an
        # empty text "" (empty), dates in ISO form, doubles in their shortest exact form.
        data = io.BytesIO()
        pv.write_csv(rows, data, pv.WriteOptions(include_header=False, quoting_style="all_valid"))
        driver: Any = connection.connection.driver_connection
        sql = f"COPY {table_name} ({columns}) FROM STDIN (FORMAT csv)"
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write(data.getvalue())
        generation.mark_changed(connection)  # COPY passes by the engine's statement events
        return
    # SQLite keeps dates as ISO text, which is what Arrow writes for them.
    text = [
        pc.cast(c, pa.string()) if pa.types.is_date(c.type) else c for c in (rows.column(n) for n in rows.column_names)
    ]
    marks = ", ".join("?" for _ in rows.column_names)
    values = list(zip(*(c.to_pylist() for c in text), strict=True))
    connection.exec_driver_sql(f"INSERT INTO {table_name} ({columns}) VALUES ({marks})", values)  # noqa: S608
