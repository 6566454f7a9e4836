"""Run the ``peaceops`` CLI and SIGKILL it at one exact point: ``crash_wrapper.py POINT N ARGS...``.

Used by ``test_crash_safety.py`` to interrupt a real import process where a crash hurts most, without
any test hook in the production code: the wrapper wraps a library function so that its Nth qualifying
call kills the process (no cleanup, no ``finally``, no rollback: as a power cut would, bar the disk).

Points:
- ``stage``: before the Nth staged partition is written (``pyarrow.parquet.write_table``), so earlier ones
  are on disk with no journal yet;
- ``flush``: just after the import run is flushed (``record_import``): every row of the import is in the
  open transaction, none committed;
- ``commit``: when the transaction holding an import run is asked to commit, before it does;
- ``rename``: before the Nth staged partition is renamed onto its ``part-0.parquet``, after the commit;
- ``unjournal``: when the journal is removed, after every rename.

It prints where it imported peaceops from (stderr, first line), so the test can check it ran this tree.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _kill() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _kill_at(n: int, qualifies: Callable[..., bool], original: Callable[..., Any]) -> Callable[..., Any]:
    """``original``, except that the nth call for which ``qualifies(*args)`` holds kills the process first."""
    seen = 0

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal seen
        if qualifies(*args, **kwargs):
            seen += 1
            if seen == n:
                _kill()
        return original(*args, **kwargs)

    return wrapped


def _arm(point: str, n: int) -> None:
    if point == "stage":
        import pyarrow.parquet as pq

        pq.write_table = _kill_at(n, lambda *a, **k: True, pq.write_table)
    elif point == "flush":
        import peaceops.store.imports as imports

        original = imports.record_import

        def record_then_die(*args: Any, **kwargs: Any) -> Any:
            run = original(*args, **kwargs)  # flushed: the run and every row before it are in the transaction
            _kill()
            return run

        imports.record_import = record_then_die
    elif point == "commit":
        from sqlalchemy.orm import Session

        import peaceops.store.imports as imports

        original = imports.record_import

        def record_and_mark(session: Session, *args: Any, **kwargs: Any) -> Any:
            session.info["crash_wrapper_run"] = True  # this transaction holds an import run
            return original(session, *args, **kwargs)

        imports.record_import = record_and_mark
        holds_a_run = lambda session, *a, **k: "crash_wrapper_run" in session.info  # noqa: E731
        Session.commit = _kill_at(n, holds_a_run, Session.commit)  # type: ignore[method-assign]
    elif point == "rename":
        os.replace = _kill_at(n, lambda src, dst, *a, **k: Path(dst).name == "part-0.parquet", os.replace)
    elif point == "unjournal":
        os.unlink = _kill_at(n, lambda path, *a, **k: Path(path).name == ".pending.json", os.unlink)
    else:
        raise SystemExit(f"unknown point {point!r}")


def main() -> None:
    point, n, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    import peaceops
    from peaceops.cli import main as cli

    print(peaceops.__file__, file=sys.stderr, flush=True)
    _arm(point, n)
    sys.argv = ["peaceops", *args]
    cli()


if __name__ == "__main__":
    main()
