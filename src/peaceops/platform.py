"""The composition layer: the one registry of import kinds (each domain declares its own) and the pipeline's
entry points (``import_file``, ``import_upload``), putting a database in working order, and the demo's files."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from peaceops.access.policy import Actor, check_editor
from peaceops.agreements import importing as agreements
from peaceops.commitments import importing as commitments
from peaceops.commitments.seeding import seed_from_pax
from peaceops.commitments.shapes import SeedReport
from peaceops.conduct import importing as conduct
from peaceops.conflict.track_record import score_runs
from peaceops.environment import importing as environment
from peaceops.errors import ConfigurationError, ImportFileError, PermissionDenied, ValidationFailed
from peaceops.framework import load_framework
from peaceops.framework.models import FrameworkElement, FrameworkLink, FrameworkVersion
from peaceops.i18n import _
from peaceops.incidents import importing as incidents
from peaceops.missions.models import Mission
from peaceops.partnerships import importing as partnerships
from peaceops.personnel import importing as personnel
from peaceops.personnel.models import Deployment, Fatality, MissionStrength, ParityTarget
from peaceops.personnel.parity import seed_targets
from peaceops.processes import importing as processes
from peaceops.processes.seeding import seed_from_pax as seed_registry
from peaceops.processes.shapes import ProcessSeedReport
from peaceops.resources import importing as resources
from peaceops.roster import importing as roster
from peaceops.settings import Settings
from peaceops.store import Database, event_import, upgrade
from peaceops.store.imports import ImportJob, ImportKind, recorded_as
from peaceops.store.provenance import ImportReport
from peaceops.store.sync import ProgressStart
from peaceops.support import importing as support
from peaceops.training import importing as training
from peaceops.transitions import importing as transitions

if TYPE_CHECKING:
    from peaceops.performance.provision import ProvisionReport

# The one registry of import kinds, in the order the demo loads them (missions first: the others refer
# to them). Each domain declares its kinds next to its importer (``KINDS`` in its ``importing.py``).
REGISTRY: dict[str, ImportKind] = {
    kind.name: kind
    for module in (
        personnel,
        conduct,
        environment,
        partnerships,
        event_import,
        agreements,
        processes,
        roster,
        incidents,
        commitments,
        training,
        transitions,
        support,
        resources,
    )
    for kind in module.KINDS
}
# Every kind `peaceops import KIND FILE` accepts: what the CLI, the upload form and the API offer.
IMPORT_KINDS: tuple[str, ...] = tuple(REGISTRY)
UPLOAD_KINDS: tuple[str, ...] = tuple(name for name, kind in REGISTRY.items() if kind.uploadable)
MAX_UPLOAD = 20 * 1024 * 1024

# The demo loads these files, in this order: the kinds' own shared data files, in the registry's order.
DEMO_FILES: list[tuple[str, tuple[str, ...]]] = [
    (kind.name, parts) for kind in REGISTRY.values() for parts in kind.demo_files
]


def import_kind(name: str) -> ImportKind:
    """The kind called ``name``; an unknown name is refused with the list of kinds."""
    kind = REGISTRY.get(name)
    if kind is None:
        message = _("Unknown import kind {kind!r}; choose one of {kinds}.")
        raise ValidationFailed(message.format(kind=name, kinds=", ".join(IMPORT_KINDS)))
    return kind


def expected_file(kind: str) -> str:
    """The sentence that tells which file a kind expects (its layout), said after a file is refused as a whole:
    the same words beside the upload form and on the command line. Empty for an unknown kind."""
    spec = REGISTRY.get(kind)
    return _("The file expected: {description}").format(description=_(spec.description)) if spec else ""


def prepare(db: Database, *, var_dir: Path | None = None) -> None:
    """Migrate to the newest schema and load reference data (framework, parity targets); with ``var_dir``,
    also settle what an interrupted event import left in the event store (decision 023), so that what the
    command reads next agrees with the database."""
    upgrade(db)
    with db.write() as session:
        load_framework(session)
        seed_targets(session)
    if var_dir is not None:
        event_import.settle_events(db, var_dir)


# The tables `prepare` fills with reference data: a database with rows in these alone is still an empty
# instance, one `peaceops restore` writes into (an edit of them is audited, and the audit log must be empty).
REFERENCE_TABLES: tuple[str, ...] = tuple(
    str(model.__tablename__) for model in (FrameworkVersion, FrameworkElement, FrameworkLink, ParityTarget)
)


def demo_paths(settings: Settings) -> list[tuple[str, Path]]:
    paths = [(kind, settings.data_path(*parts)) for kind, parts in DEMO_FILES]
    missing = [str(p) for _, p in paths if not p.is_file()]
    if missing:
        raise ConfigurationError(
            f"Expected data files are missing under {settings.data_dir}: {', '.join(missing)}. "
            "Point PEACEOPS_DATA_DIR at the shared data folder."
        )
    return paths


def import_file(
    db: Database,
    kind: str,
    path: Path,
    actor: str,
    progress: ProgressStart = None,
    *,
    var_dir: Path | None = None,
    who: Actor | None = None,
    mission: str | None = None,
) -> ImportReport:
    """One file in one transaction: a file-level error leaves the database exactly as it was.

    The transaction is a write (``Database.write``): the importers read and check the whole file before
    their first statement, so a malformed file never touches the database, and the write lock is held only
    from the first lookup to the commit (under a second for each of the demo's files), not while parsing.

    Event kinds (ucdp-ged, acled) write to the Parquet event store under ``var_dir``, so they need it.
    Mission-scoped kinds (incidents) import with ``who``'s rights when given (the web upload), else as a
    local administrator named ``actor``; ``mission`` is the mission the file is for when its rows do not say.
    """
    spec = import_kind(kind)
    if spec.needs_var_dir and var_dir is None:
        raise ConfigurationError(f"Importing {kind} files needs the var directory that holds the event store.")
    job = ImportJob(path=path, actor=actor, progress=progress, var_dir=var_dir, who=who, mission=mission)
    try:
        with db.write() as session:
            report = spec.importer(session, job)
    except ImportFileError as exc:  # the file as a whole: say which file is expected, on every surface
        exc.hint = exc.hint or expected_file(kind)
        raise
    if spec.needs_var_dir and var_dir is not None and report.inserted + report.updated + report.removed:
        score_runs(db, var_dir)  # newer events: the runs whose months they reveal get their track record
    return report


def may_upload(who: Actor, kind: str) -> bool:
    """Whether ``who`` may upload files of ``kind``: the rule ``import_upload`` applies, as a yes or no, so a
    page offers its upload form only to those who may use it."""
    spec = REGISTRY.get(kind)
    if spec is None or not spec.uploadable:
        return False
    try:
        check_editor(who, spec.label, who.mission if spec.mission_scoped else None)
    except PermissionDenied:
        return False
    return True


def import_upload(
    db: Database, kind: str, filename: str, content: bytes, who: Actor, *, var_dir: Path | None = None
) -> ImportReport:
    """An uploaded file (the upload form, ``POST /api/imports/{kind}``): refused unless its kind may be
    uploaded and ``who`` may change such records (mission officers: mission-scoped kinds, own mission);
    then imported exactly like ``peaceops import KIND FILE``, with ``who``'s rights."""
    spec = REGISTRY.get(kind)
    if spec is None or not spec.uploadable:
        message = _("Files of kind {kind!r} are not uploaded here; choose {kinds}.")
        raise ValidationFailed(message.format(kind=kind, kinds=", ".join(UPLOAD_KINDS)))
    check_editor(who, spec.label, who.mission if spec.mission_scoped else None)
    if len(content) > MAX_UPLOAD:
        message = _("The file is larger than {size} MB; split it into smaller files and import each.")
        raise ValidationFailed(message.format(size=MAX_UPLOAD // (1024 * 1024)))
    name = PurePath(filename.replace("\\", "/")).name  # its own name: a browser may send a Windows path
    name = "upload.csv" if name in ("", "..") else name
    with tempfile.TemporaryDirectory() as tmp, recorded_as(name):
        path = Path(tmp) / name
        path.write_bytes(content)
        return import_file(db, kind, path, who.username, var_dir=var_dir, who=who)


def seed_commitments(db: Database, actor: str) -> SeedReport:
    """The demo's implementation tracking: every active mission's host-country agreements' PA-X provision codes
    as commitments, not yet assessed (a second run adds nothing)."""
    with db.write() as session:
        return seed_from_pax(session, actor)


def seed_processes(db: Database, actor: str) -> ProcessSeedReport:
    """The demo's process registry: one entry per PA-X peace process of the agreements memory, its agreements
    linked and its phases read from their stages (a second run adds nothing; decision 042)."""
    with db.write() as session:
        return seed_registry(session, actor)


def provision_performance(db: Database, var_dir: Path, missions: list[str] | None = None) -> ProvisionReport:
    """Every active mission (or the named ones) gets a results framework; derived indicators are computed."""
    from peaceops.performance.provision import provision

    with db.session() as session:
        return provision(session, var_dir=var_dir, missions=missions)


@dataclass
class Totals:
    missions: int
    active_missions: int
    strength_rows: int
    deployment_rows: int
    fatalities: int


def totals(db: Database) -> Totals:
    with db.session() as session:

        def count(model: type) -> int:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

        return Totals(
            missions=count(Mission),
            active_missions=int(session.scalar(select(func.count()).where(Mission.active.is_(True))) or 0),
            strength_rows=count(MissionStrength),
            deployment_rows=count(Deployment),
            fatalities=count(Fatality),
        )
