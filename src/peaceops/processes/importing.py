"""Importing peace processes from a TOML or JSON file, one entry per process, upserted by name.

TOML: one ``[[process]]`` table per process, with ``[[process.mediators]]``, ``[[process.parties]]``,
``[[process.friends]]`` and ``[[process.phases]]`` tables and ``agreements = [PA-X ids]``; the keys are
those of the API body (ProcessDoc). JSON: a list of such objects, or ``{"processes": [...]}``.

Each entry is written in its own savepoint: a rejected entry (with its number and reason) leaves the
others in. Re-importing the same file changes nothing, because an entry whose process already exists
(same name, any case) updates it and an update that changes nothing is not written or audited.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, system_actor
from peaceops.errors import ImportFileError, PeaceopsError, form_invalid
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.models import PeaceProcess
from peaceops.processes.registry import create_process, load, to_doc, update_process
from peaceops.sources.records import Rejection
from peaceops.store.imports import ImportJob, ImportKind, finish_import, text_rows
from peaceops.store.provenance import ImportReport

KIND = "peace-processes"


def read_entries(path: Path) -> list[Any]:
    """The process entries of a TOML or JSON file; a file that cannot be read at all is refused whole."""
    raw = path.read_bytes()
    try:
        if path.suffix.lower() == ".json":
            data: Any = json.loads(raw.decode("utf-8-sig"))
            entries = data.get("processes") if isinstance(data, dict) else data
        else:
            entries = tomllib.loads(raw.decode("utf-8-sig")).get("process")
    except (UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ImportFileError(f"{path.name} is not readable TOML or JSON: {exc}.") from None
    if not isinstance(entries, list) or not entries:
        raise ImportFileError(
            f"{path.name} holds no process: write one [[process]] table per process (TOML), or a JSON list."
        )
    return entries


def _reason(exc: ValidationError) -> str:
    """Every problem of the entry, in the plain sentences the forms use."""
    return str(form_invalid(exc.errors()))


def import_processes(session: Session, job: ImportJob) -> ImportReport:
    path, raw = job.path, job.path.read_bytes()
    entries = read_entries(path)
    who = job.who if isinstance(job.who, Actor) else system_actor(job.actor)
    advance = job.progress(len(entries)) if job.progress else None
    rejections: list[Rejection] = []
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    for number, entry in enumerate(entries, start=1):
        name = entry.get("name") if isinstance(entry, dict) else None
        label = f"process {number}" + (f" ({name})" if name else "")
        try:
            if not isinstance(entry, dict):
                raise ValueError("an entry must be a table of keys")
            doc = ProcessDoc.model_validate(entry)
            with session.begin_nested():
                existing = session.scalar(
                    select(PeaceProcess.id).where(func.lower(PeaceProcess.name) == (doc.name or "").strip().lower())
                )
                if existing is None:
                    create_process(session, who, doc)
                    counts["inserted"] += 1
                else:
                    before = to_doc(session, load(session, existing))
                    process = update_process(session, who, existing, doc)
                    counts["updated" if to_doc(session, process) != before else "unchanged"] += 1
        except ValidationError as exc:
            rejections.append(Rejection(number, f"{label}: {_reason(exc)}"))
        except (PeaceopsError, ValueError) as exc:
            rejections.append(Rejection(number, f"{label}: {exc}"))
        if advance:
            advance(1)
    layout = "json" if path.suffix.lower() == ".json" else "toml"
    rows = text_rows(KIND, str(path), raw, layout, len(entries), rejections)
    return finish_import(session, rows, job.actor, "peace_process", counts)


KINDS = (
    ImportKind(
        KIND, import_processes, "peace processes",
        "Peace processes from TOML (one [[process]] table each) or JSON, upserted by name.",
    ),
)  # fmt: skip
