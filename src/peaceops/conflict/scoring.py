"""Batch scoring: a model trained on one machine applied to feature rows where they live.

On DuckDB the rows come to this process as Arrow and ``forecast.score_frame`` scores them a batch at a time. On Spark
the same function runs inside the workers through ``mapInPandas``: the model travels pickled with the
task (LightGBM boosters pickle as their model text), each Arrow batch of rows becomes a pandas frame, and
the forecasts come back as Arrow. ``score_frame`` is row by row, so the split never changes a value.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from ibis.backends import BaseBackend

from peaceops.conflict.forecast import ForecastModel, Scorer, score_frame
from peaceops.conflict.metrics import QUANTILE_COLUMNS
from peaceops.store.analytics import is_spark, parquet_files, spark_frame

__all__ = ["BATCH_ROWS", "engine_scorer", "score_table", "scores_schema", "write_scores"]

BATCH_ROWS = 10_000  # rows per scored batch: the mixture's mean holds rows x 1,000 floats (80 MB) at a time
KEYS = ["unit_id", "month"]


def scores_schema(with_origin: bool) -> pa.Schema:
    """The columns ``score_frame`` returns, as Arrow types (Spark's ``mapInPandas`` needs them declared)."""
    fields = [
        pa.field("level", pa.string()),
        pa.field("unit_id", pa.int64()),
        pa.field("month", pa.string()),
        pa.field("step", pa.int64()),
        *(pa.field(name, pa.float64()) for name in (*QUANTILE_COLUMNS, "mean", "p25")),
    ]
    if with_origin:
        fields.append(pa.field("origin", pa.string()))
    return pa.schema(fields)


def _spark_scores(model: ForecastModel, con: BaseBackend, rows: ir.Table, with_origin: bool) -> object:
    """The Spark DataFrame of ``rows`` scored in the workers (lazy: nothing runs until it is written or read)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    frame = spark_frame(con, rows.select(*KEYS, *model.features))
    schema = scores_schema(with_origin)

    def score(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            yield score_frame(model, batch, with_origin).astype({"unit_id": "int64", "step": "int64"})

    return frame.mapInPandas(score, from_arrow_schema(schema))


def _local_batches(model: ForecastModel, con: BaseBackend, rows: ir.Table, with_origin: bool) -> Iterator[pa.Table]:
    schema = scores_schema(with_origin)
    # The rows as one Arrow table, then scored a batch at a time: ibis 12's to_pyarrow_batches calls a cursor
    # method DuckDB 2 no longer has. The rows are features (numbers), the scores' matrices the larger part.
    table = con.to_pyarrow(rows.select(*KEYS, *model.features))
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        if batch.num_rows:
            scored = score_frame(model, batch.to_pandas(date_as_object=False), with_origin)
            yield pa.Table.from_pandas(scored, schema=schema, preserve_index=False)


def score_table(model: ForecastModel, con: BaseBackend, rows: ir.Table, with_origin: bool = False) -> pd.DataFrame:
    """Every row of ``rows`` (unit_id, month and the model's features) scored for every step, on ``con``."""
    if is_spark(con):
        scored = _spark_scores(model, con, rows, with_origin).toArrow()  # type: ignore[attr-defined]
        return scored.to_pandas()
    tables = list(_local_batches(model, con, rows, with_origin))
    return pa.concat_tables(tables).to_pandas() if tables else scores_schema(with_origin).empty_table().to_pandas()


def write_scores(model: ForecastModel, con: BaseBackend, rows: ir.Table, path: Path, with_origin: bool = False) -> int:
    """Score ``rows`` on ``con`` into the Parquet folder ``path`` without gathering them in this process;
    returns how many forecast rows were written (what ``bench/scale.py`` times)."""
    path.mkdir(parents=True, exist_ok=True)
    if is_spark(con):
        scored = _spark_scores(model, con, rows, with_origin)
        scored.write.mode("overwrite").parquet(str(path))  # type: ignore[attr-defined]
    else:
        with pq.ParquetWriter(path / "part-0.parquet", scores_schema(with_origin)) as writer:
            for table in _local_batches(model, con, rows, with_origin):
                writer.write_table(table)
    return sum(pq.ParquetFile(f).metadata.num_rows for f in parquet_files(path))


def engine_scorer(con: BaseBackend, panel: ir.Table) -> Scorer:
    """A ``forecast`` scorer that scores the origin rows it is given on ``con``, reading their features from
    ``panel`` (the panel's Parquet on that engine) rather than from this process."""

    def scorer(model: ForecastModel, latest: pd.DataFrame, with_origin: bool) -> pd.DataFrame:
        pairs = {"unit_id": latest["unit_id"].astype("int64"), "_month_id": latest["month_id"].astype("int64")}
        keys = ibis.memtable(pd.DataFrame(pairs))
        months = sorted(int(m) for m in latest["month_id"].unique())
        rows = panel.filter(panel.month_id.isin(months))
        rows = rows.semi_join(keys, [rows.unit_id == keys.unit_id, rows.month_id == keys._month_id])
        return score_table(model, con, rows, with_origin)

    return scorer
