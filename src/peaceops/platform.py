"""Putting a database in working order, and the demo job that loads the shared public data sets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.agreements.importing import IMPORTERS as AGREEMENT_IMPORTERS
from peaceops.conduct.importing import IMPORTERS as CONDUCT_IMPORTERS
from peaceops.environment.importing import IMPORTERS as ENVIRONMENT_IMPORTERS
from peaceops.errors import ConfigurationError, ValidationFailed
from peaceops.framework import load_framework
from peaceops.incidents.importing import IMPORTERS as INCIDENT_IMPORTERS
from peaceops.incidents.importing import SCOPED_IMPORTERS
from peaceops.missions.models import Mission
from peaceops.partnerships.importing import IMPORTERS as PLEDGE_IMPORTERS
from peaceops.personnel.importing import IMPORTERS as PERSONNEL_IMPORTERS
from peaceops.personnel.importing import run_import
from peaceops.personnel.models import Deployment, Fatality, MissionStrength
from peaceops.personnel.parity import seed_targets
from peaceops.processes.importing import IMPORTERS as PROCESS_IMPORTERS
from peaceops.roster.importing import IMPORTERS as ROSTER_IMPORTERS
from peaceops.settings import Settings
from peaceops.store import Database, upgrade
from peaceops.store.event_import import READERS as EVENT_READERS
from peaceops.store.event_import import import_events
from peaceops.store.provenance import ImportReport
from peaceops.store.sync import ProgressStart

if TYPE_CHECKING:
    from peaceops.access.policy import Actor
    from peaceops.performance.provision import ProvisionReport

# The domains' file importers, each called as importer(session, path, actor, progress).
FILE_IMPORTERS: tuple[Mapping[str, Callable[[Session, Path, str, ProgressStart], ImportReport]], ...] = (
    CONDUCT_IMPORTERS,
    ENVIRONMENT_IMPORTERS,
    PLEDGE_IMPORTERS,
    AGREEMENT_IMPORTERS,
    PROCESS_IMPORTERS,
    ROSTER_IMPORTERS,
    INCIDENT_IMPORTERS,
)

# Every kind `peaceops import KIND FILE` accepts: the one registry the CLI and the web app read.
IMPORT_KINDS: tuple[str, ...] = (
    *PERSONNEL_IMPORTERS,
    *CONDUCT_IMPORTERS,
    *ENVIRONMENT_IMPORTERS,
    *PLEDGE_IMPORTERS,
    *EVENT_READERS,
    *AGREEMENT_IMPORTERS,
    *PROCESS_IMPORTERS,
    *ROSTER_IMPORTERS,
    *INCIDENT_IMPORTERS,
)

# The demo loads these files, in this order (missions first: the others refer to them).
DEMO_FILES: list[tuple[str, tuple[str, ...]]] = [
    ("missions", ("un_peacekeeping", "missions", "DPPADPOSS-PKO.csv")),
    ("mission-totals", ("un_peacekeeping", "personnel", "IPI_mission_monthly_totals_1990-11_to_2017-03.csv")),
    ("contributions", ("un_peacekeeping", "personnel", "IPI_TCC_gender_by_mission_2009-11_to_2014-02.csv")),
    ("fatalities", ("un_peacekeeping", "fatalities", "DPPADPOSS-FATALITIES.csv")),
    ("allegations", ("un_peacekeeping", "conduct", "table_of_allegations_as_of_july_2024.xlsx")),
    # UCDP GED events for the shared countries (the global sample is a schema fixture, not a series).
    *(
        ("ucdp-ged", ("ucdp", "ged", f"ged_{country}.csv.gz"))
        for country in ("central_african_republic", "myanmar", "mexico", "syria_2016_2019")
    ),
    # Peace agreements: PA-X (coded v4, then the newer metadata v10 and the provision texts), then UCDP.
    ("pax-agreements", ("pax", "coded_v4", "pax_all_agreements_data.csv")),
    ("pax-agreements", ("pax", "metadata_v10", "pax.csv")),
    ("pax-provisions", ("pax", "provision_texts", "pax_provisions_mapped_to_constitutions.csv")),
    ("ucdp-peace-agreements", ("ucdp", "peace_agreements", "ucdp-peace-agreements-221.csv")),
]


def prepare(db: Database) -> None:
    """Migrate to the newest schema and load reference data (framework, parity targets)."""
    upgrade(db)
    with db.write() as session:
        load_framework(session)
        seed_targets(session)


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
) -> ImportReport:
    """One file in one transaction: a file-level error leaves the database exactly as it was.

    The transaction is a write (``Database.write``): the importers read and check the whole file before
    their first statement, so a malformed file never touches the database, and the write lock is held only
    from the first lookup to the commit (under a second for each of the demo's files), not while parsing.

    Event kinds (ucdp-ged, acled) write to the Parquet event store under ``var_dir``, so they need it.
    Mission-scoped kinds (incidents) import with ``who``'s rights when given (the web upload), else as a
    local administrator named ``actor``.
    """
    if kind not in IMPORT_KINDS:
        raise ValidationFailed(f"Unknown import kind {kind!r}; choose one of {', '.join(IMPORT_KINDS)}.")
    with db.write() as session:
        if kind in EVENT_READERS:
            if var_dir is None:
                raise ConfigurationError(f"Importing {kind} files needs the var directory that holds the event store.")
            return import_events(session, kind, path, actor, var_dir, progress)
        if who is not None and kind in SCOPED_IMPORTERS:
            return SCOPED_IMPORTERS[kind](session, path, who, progress)
        for importers in FILE_IMPORTERS:
            if kind in importers:
                return importers[kind](session, path, actor, progress)
        return run_import(session, kind, path, actor, progress)


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
