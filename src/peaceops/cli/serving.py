"""`peaceops serve`: one uvicorn process, or several worker processes under gunicorn (decision 050).

One process suits a mission's laptop on SQLite; it also runs the job queue in a thread (decision 051).
At headquarters, on PostgreSQL, ``--workers N`` runs N uvicorn workers under a gunicorn master that
restarts any worker that dies, and ``peaceops jobs work`` processes run the queue. Nothing a request needs
lives only in one process: sessions and sign-in back-off are rows in the database, the page cache is per
process and keyed by the database's data generation (decision 026), the embedding caches are files in
var/ that each worker maps. Each worker opens its own database connections after the fork.
"""

from __future__ import annotations

import os
import shutil
import threading
from typing import Any

from peaceops.cli.common import console
from peaceops.settings import Settings
from peaceops.store import Database


def serve_app(settings: Settings, db: Database, host: str, port: int, workers: int = 1) -> None:
    """Serve the web app until stopped; ``db`` is the migrated database (used as is by a single process)."""
    if workers <= 1:
        _serve_one(settings, db, host, port)
    else:
        db.engine.dispose()  # the workers open their own connections after the fork
        _serve_many(settings, host, port, workers)


def _serve_one(settings: Settings, db: Database, host: str, port: int) -> None:
    import uvicorn

    from peaceops.web.app import create_app
    from peaceops.web.observability import configure_logging

    configure_logging(settings.log_format)
    stop = threading.Event()
    if db.dialect == "sqlite":  # the embedded store has no separate worker: one runs the queue in this process
        from peaceops.jobs import run_worker
        from peaceops.store.analytics import Engine

        worker = threading.Thread(
            target=run_worker,
            args=(db, settings.var_dir, settings.data_dir, stop),
            kwargs={"engine": Engine.from_settings(settings)},
            name="jobs",
            daemon=True,
        )
        worker.start()
    console.print(f"Serving on http://{host}:{port}  (Ctrl+C stops)")
    try:
        uvicorn.run(create_app(settings, db=db), host=host, port=port, log_config=None, access_log=False)
    finally:
        stop.set()


def _serve_many(settings: Settings, host: str, port: int, workers: int) -> None:
    # The metrics of every worker go to files in one folder, summed by /metrics. The client library picks
    # its storage when it is first imported, so the variable is set before anything imports it.
    metrics_dir = settings.var_dir / "metrics"
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)

    from gunicorn.app.base import BaseApplication
    from prometheus_client import multiprocess

    from peaceops.web.app import create_app
    from peaceops.web.observability import configure_logging

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "uvicorn_worker.UvicornWorker",
                "accesslog": None,  # RequestLog writes one line per request
                "errorlog": os.devnull,  # gunicorn's own lines go through configure_logging's handler instead
                "control_socket_disable": True,
                "graceful_timeout": 20,
                "timeout": 120,  # a worker silent this long is killed and replaced
                "post_fork": lambda server, worker: configure_logging(settings.log_format),
                "child_exit": lambda server, worker: multiprocess.mark_process_dead(worker.pid),
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return create_app(settings)

    configure_logging(settings.log_format)
    console.print(f"Serving on http://{host}:{port} with {workers} worker processes  (Ctrl+C stops)")
    Server().run()
