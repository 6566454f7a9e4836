"""The event store's side of a crash-safe import (decision 023): staged partitions, a journal, one lock.

An event import changes two stores, the Parquet partitions under ``<var_dir>/events/`` and the import run
with its coverage rows in the database, and neither can commit the other. The database is the one commit
point: the new partitions are written beside their targets first (``.part-0.parquet.<batch>.staged``), a
journal (``events/<source>/.pending.json``) names the batch, its import run and every move, and both are
synced to disk before the database commits. Only then are the staged files renamed onto their targets and
the journal removed. Whoever finds a journal later settles it by the database's answer: rolled forward when
the run was committed, discarded otherwise (``event_import.recover``). This module knows files only.

One writer at a time: ``StoreLock`` holds ``events/.lock`` from before the merge is planned to after the
renames. The kernel drops the lock when its process dies, so a journal found under the lock is never one
still being written.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from peaceops.errors import ConfigurationError
from peaceops.store.events import EventChanges, events_dir

JOURNAL = ".pending.json"
LOCK = ".lock"
STAGED = ".staged"


@dataclass(frozen=True)
class Journal:
    """A batch of staged partitions waiting for its import run's commit."""

    path: Path  # events/<source>/.pending.json
    batch: str  # a random id, also written in the run's audit entry
    run_id: int
    moves: tuple[tuple[str | None, str], ...]  # (staged, target) inside the source folder; None: remove target


class StoreLock:
    """The one writer of an event store: an exclusive ``flock`` on ``events/.lock``, waited for."""

    def __init__(self, var_dir: Path) -> None:
        folder = events_dir(var_dir)
        folder.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None

    def __enter__(self) -> StoreLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stage(var_dir: Path, changes: EventChanges, batch: str) -> list[tuple[str | None, str]]:
    """Write the changed partitions beside their targets under the batch's name, synced; the moves to make.

    Done before the database transaction writes anything (it holds SQLite's write lock): without a journal
    naming them, staged files are only litter, swept by the next import."""
    root = events_dir(var_dir) / changes.source
    moves: list[tuple[str | None, str]] = []
    for target, part in sorted(changes.parts.items()):
        if part is None:
            moves.append((None, target.relative_to(root).as_posix()))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.{batch}{STAGED}")
        with open(staged, "wb") as f:
            pq.write_table(part, f)
            f.flush()
            os.fsync(f.fileno())
        moves.append((staged.relative_to(root).as_posix(), target.relative_to(root).as_posix()))
    for folder in {(root / target).parent for _, target in moves}:
        _fsync_dir(folder)
    return moves


def write_journal(var_dir: Path, source: str, batch: str, run_id: int, moves: list[tuple[str | None, str]]) -> Journal:
    """Name the staged batch and its import run in ``events/<source>/.pending.json``, whole and synced, before
    the database commits the run."""
    journal = Journal(events_dir(var_dir) / source / JOURNAL, batch, run_id, tuple(moves))
    text = json.dumps({"format": 1, "batch": batch, "run_id": run_id, "moves": [list(m) for m in moves]})
    tmp = journal.path.with_name(f"{JOURNAL}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, journal.path)
    _fsync_dir(journal.path.parent)
    return journal


def journals(var_dir: Path) -> list[Journal]:
    """The journals left in the store (at most one per source while imports hold the lock)."""
    found = []
    for path in sorted(events_dir(var_dir).glob(f"*/{JOURNAL}")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            moves = tuple((staged, str(target)) for staged, target in data["moves"])
            found.append(Journal(path, str(data["batch"]), int(data["run_id"]), moves))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(
                f"The event store's journal {path} cannot be read ({exc}); it is written whole or not at all, "
                "so the disk or someone changed it. Remove it and import the last event file again."
            ) from exc
    return found


def leftovers(var_dir: Path) -> bool:
    """Whether a journal or staged file is waiting to be settled (read without the lock: a hint only)."""
    root = events_dir(var_dir)
    return any(root.glob(f"*/{JOURNAL}")) or any(root.glob(f"*/year=*/.*{STAGED}"))


def roll_forward(journal: Journal) -> None:
    """Put the batch in place: each staged file onto its target (one moved already is skipped), then the
    partitions it emptied removed (so a reader never misses an event that moved year), then the journal.
    Safe to repeat after a crash at any step."""
    root = journal.path.parent
    for staged, target in journal.moves:
        if staged is not None and (root / staged).exists():
            os.replace(root / staged, root / target)
    for staged, target in journal.moves:
        path = root / target
        if staged is None:
            path.unlink(missing_ok=True)
            if path.parent.is_dir() and not any(path.parent.iterdir()):
                path.parent.rmdir()
    for folder in {(root / target).parent for _, target in journal.moves if (root / target).parent.is_dir()}:
        _fsync_dir(folder)
    journal.path.unlink()
    _fsync_dir(root)


def discard(journal: Journal) -> None:
    """Forget the batch: its staged files and the journal go, the stored partitions stay as they were."""
    root = journal.path.parent
    for staged, _target in journal.moves:
        if staged is not None:
            (root / staged).unlink(missing_ok=True)
    journal.path.unlink(missing_ok=True)


def sweep(var_dir: Path) -> None:
    """Delete staged files no journal names (a crash before the journal was written), half-written journals
    and the empty year folders staging made. Only under the lock, after the journals are settled."""
    root = events_dir(var_dir)
    for path in [*root.glob(f"*/year=*/.*{STAGED}"), *root.glob(f"*/{JOURNAL}.*.tmp"), *root.glob("*/year=*/.*.tmp")]:
        path.unlink(missing_ok=True)
    for folder in root.glob("*/year=*"):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
