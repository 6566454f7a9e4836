"""The analytics engine: DuckDB in this process (the default) or Apache Spark, behind one Ibis connection.

``PEACEOPS_ENGINE`` picks it and ``PEACEOPS_SPARK_MASTER`` says where Spark runs (``local[*]``: this machine's
cores; ``spark://host:7077``, ``yarn``, ``k8s://...``: a cluster). The panel code is one set of Ibis
expressions (``conflict/panels.py``), so the engine decides where it runs, not what it computes. Between
stages the data live in Parquet directories that both engines read and write (``read_parquet``,
``write_parquet``): the event store, the monthly counts, the panel with its features. Why: decision 052.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq

from peaceops.errors import ConfigurationError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

    from peaceops.settings import Settings

ENGINES = ("duckdb", "spark")
LOCAL_SHUFFLE_PARTITIONS = 8  # Spark's 200 shuffle partitions are for clusters; on one machine they are overhead


@dataclass(frozen=True)
class Engine:
    """Which engine runs the panel pipeline, and for Spark, its master URL."""

    name: str = "duckdb"
    spark_master: str = "local[*]"

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            raise ConfigurationError(f"PEACEOPS_ENGINE is {self.name!r}; use duckdb or spark.")

    @classmethod
    def from_settings(cls, settings: Settings) -> Engine:
        return cls(settings.engine, settings.spark_master)

    @property
    def is_spark(self) -> bool:
        return self.name == "spark"

    def connect(self) -> BaseBackend:
        """A fresh DuckDB connection, or an Ibis connection on this process's one SparkSession."""
        import ibis

        if self.is_spark:
            return ibis.pyspark.connect(spark_session(self.spark_master))
        return ibis.duckdb.connect()


DUCKDB = Engine()


def spark_session(master: str = "local[*]") -> Any:
    """This process's SparkSession (created once, then reused whatever ``master`` says), in UTC, with Arrow.

    A local master binds to loopback (no outside network is needed) and runs its Python workers on this
    interpreter, so they import the same peaceops, pandas and LightGBM; a cluster keeps Spark's own
    network and Python settings (its executors need peaceops installed: decision 052).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigurationError(
            "PEACEOPS_ENGINE=spark needs PySpark: install peaceops with its spark extra "
            "(pip install 'peaceops[spark]')."
        ) from None
    builder = (
        SparkSession.builder.master(master)
        .appName("peaceops")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # read once, when the SparkContext starts
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(LOCAL_SHUFFLE_PARTITIONS))
        )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def is_spark(con: BaseBackend) -> bool:
    return con.name == "pyspark"


def spark_frame(con: BaseBackend, expr: ir.Table) -> Any:
    """The Spark DataFrame of an expression (for what Ibis does not express, like ``mapInPandas``): through a
    temporary view, which also registers the expression's in-memory tables with Spark."""
    name = f"peaceops_{uuid.uuid4().hex}"
    con.create_view(name, expr, overwrite=True)
    return con.raw_sql(f"SELECT * FROM `{name}`")


def parquet_files(path: Path) -> list[Path]:
    """The data files of a Parquet directory written by either engine (Spark adds _SUCCESS and .crc files)."""
    return sorted(p for p in path.glob("*.parquet") if not p.name.startswith((".", "_")))


def read_parquet(con: BaseBackend, path: Path) -> ir.Table:
    """A Parquet directory (``write_parquet``'s) as a table on ``con``, with the types stored in its files."""
    import ibis

    files = parquet_files(path)
    if not files:
        raise FileNotFoundError(f"No Parquet files in {path}.")
    schema = ibis.Schema.from_pyarrow(pq.read_schema(files[0]))
    if is_spark(con):
        table = con.read_parquet(str(path))
        return table.select(*(table[name].cast(dtype).name(name) for name, dtype in schema.items()))
    pattern = str(path / "*.parquet").replace("'", "''")
    columns = ", ".join(f'"{name}"' for name in schema.names)
    # The schema is passed: ibis would otherwise DESCRIBE the query, which warns on DuckDB 2.
    return con.sql(f"SELECT {columns} FROM read_parquet('{pattern}')", schema=schema, dialect="duckdb")


def write_parquet(con: BaseBackend, expr: ir.Table, path: Path) -> Path:
    """Run ``expr`` on ``con`` and replace the Parquet directory ``path`` with its rows.

    Written beside it first and renamed into place, so a reader sees the old rows or the new ones, never half.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        if is_spark(con):
            con.to_parquet(expr, tmp)
        else:
            tmp.mkdir()
            _duckdb_copy(con, expr, tmp / "part-0.parquet")
        old = path.with_name(f".{path.name}.{uuid.uuid4().hex}.old")
        if path.exists():
            path.rename(old)
        tmp.rename(path)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path


def _duckdb_copy(con: BaseBackend, expr: ir.Table, file: Path) -> None:
    """COPY the expression to Parquet in the types Ibis declares for it. Ibis drops a cast to the type it
    believes a column has already, but DuckDB sums 64-bit integers into 128-bit ones, which Parquet would
    store as doubles: every column is cast again here, in SQL Ibis does not rewrite."""
    con._run_pre_execute_hooks(expr)  # type: ignore[attr-defined]  # registers in-memory tables, as execute does
    mapper = con.compiler.type_mapper  # type: ignore[attr-defined]
    columns = ", ".join(
        f'CAST("{name}" AS {mapper.from_ibis(dtype).sql(dialect="duckdb")}) AS "{name}"'
        for name, dtype in expr.schema().items()
    )
    target = str(file).replace("'", "''")
    con.raw_sql(f"COPY (SELECT {columns} FROM ({con.compile(expr)})) TO '{target}' (FORMAT parquet)")
