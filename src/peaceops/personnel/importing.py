"""Loading the UN personnel files into the store: resolve missions, upsert, record provenance and audit."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.geography import in_country
from peaceops.geography.codes import un_region
from peaceops.missions.models import Mission, MissionAlias
from peaceops.personnel.models import Deployment, Fatality, MissionStrength, WorldStrength
from peaceops.sources.columnar import per_value
from peaceops.sources.ipi_world import read_world_totals
from peaceops.sources.records import Rejection, SourceRows
from peaceops.sources.un_fatalities import read_fatalities
from peaceops.sources.un_missions import read_missions
from peaceops.sources.un_personnel import read_contributions
from peaceops.sources.un_strength import read_mission_totals
from peaceops.store import audit
from peaceops.store.bulk import sync_table
from peaceops.store.imports import ImportJob, ImportKind, finish_import
from peaceops.store.provenance import ImportReport
from peaceops.store.sync import Progress, ProgressStart, SyncResult, sync_rows

INFERRED_HOST = "Host country inferred from the mission's name."
# Acronyms other sources use for a mission in the register; seeded once, editable afterwards.
DEFAULT_ALIASES = {"ONUCI": ("UNOCI", "French acronym, used by the IPI Peacekeeping Database")}
# Operations the IPI files count that the missions register (DPO/DPPA's peacekeeping missions) does not list:
# special political missions and offices (UNAMA, UNAMI, BINUB, BNUB, BONUCA, UNIOSIL, UNMIN, UNOTIL, UNSOM,
# UNAMET, UNMA, UNOA, UNMC), support offices (UNSOS; LBB, the logistics base at Brindisi) and UNTMIH, a
# short 1997 mission the register leaves out. Their rows are left out, as expected; any other acronym is a
# mission to add to the register first.
OUTSIDE_REGISTER = frozenset(
    "BINUB BNUB BONUCA LBB UNAMA UNAMET UNAMI UNIOSIL UNMA UNMC UNMIN UNOA UNOTIL UNSOM UNSOS UNTMIH".split()
)
# The reasons a row naming a mission the register lacks is left out: the line's own sentence and the cause
# that groups such lines in a summary (``peaceops demo``, ``peaceops import``).
OUTSIDE_REASON = (
    "Line {line}: mission {acronym!r} is not in the missions register, which lists peacekeeping missions only "
    "(it is a special political mission or another operation outside it); the row is left out, nothing to do."
)
OUTSIDE_CAUSE = (
    "missions the register does not list (special political missions and others outside the peacekeeping "
    "register); expected with the shared files, nothing to do"
)
UNKNOWN_REASON = (
    "Line {line}: mission {acronym!r} is not in the missions register; import a missions file that lists it "
    "first (peaceops import missions FILE), or correct the acronym."
)
UNKNOWN_CAUSE = "missions not in the register; import a missions file that lists them first, or correct the acronym"


def _mission_ids(session: Session) -> dict[str, int]:
    ids = {acronym: id_ for id_, acronym in session.execute(select(Mission.id, Mission.acronym))}
    for alias, mission_id in session.execute(select(MissionAlias.alias, MissionAlias.mission_id)):
        ids.setdefault(alias, mission_id)
    return ids


def _seed_aliases(session: Session) -> None:
    have = set(session.scalars(select(MissionAlias.alias)))
    ids = _mission_ids(session)
    for alias, (acronym, note) in DEFAULT_ALIASES.items():
        if alias not in have and acronym in ids:
            session.add(MissionAlias(alias=alias, mission_id=ids[acronym], note=note))


def _resolve_missions(session: Session, rows: SourceRows) -> tuple[list[dict[str, Any]], list[Rejection]]:
    """Swap mission acronyms for ids; rows naming a mission the register lacks are rejected, those of operations
    known to be outside it (OUTSIDE_REGISTER) with a reason that says so and asks for nothing."""
    ids = _mission_ids(session)
    good: list[dict[str, Any]] = []
    rejected = list(rows.rejections)
    bad_lines: set[int] = set()
    for line, record in rows.records:
        acronym = record["mission"]
        mission_id = ids.get(acronym)
        if mission_id is None:
            if line not in bad_lines:
                bad_lines.add(line)
                outside = acronym in OUTSIDE_REGISTER
                reason = (OUTSIDE_REASON if outside else UNKNOWN_REASON).format(line=line, acronym=acronym)
                cause = OUTSIDE_CAUSE if outside else UNKNOWN_CAUSE
                rejected.append(Rejection(line, reason, cause=cause, detail=acronym))
            continue
        fields = {k: v for k, v in record.items() if k not in ("mission", "host_iso3", "region")}
        good.append({"mission_id": mission_id, **fields})
    rejected.sort(key=lambda r: r.line)
    return good, rejected


def _finish(
    session: Session,
    rows: SourceRows,
    result: SyncResult,
    actor: str,
    entity: str,
    extra: dict[str, Any] | None = None,
) -> ImportReport:
    counts = {"inserted": result.inserted, "updated": result.updated, "unchanged": result.unchanged,
              "removed": result.removed}  # fmt: skip
    changes = [(None, before, after) for before, after in result.changes]
    return finish_import(session, rows, actor, entity, counts, changes, extra=extra)


def _progress(start: ProgressStart, total: int) -> Progress | None:
    return start(total) if start else None


def import_missions(session: Session, job: ImportJob) -> ImportReport:
    rows = read_missions(job.path)
    existing = {m.acronym: m for m in session.scalars(select(Mission))}
    records = []
    for _, record in rows.records:
        current = existing.get(record["acronym"])
        host = (current.host_iso3 if current else None) or record["host_iso3"]
        _fix_swapped_coordinates(record, host)
        records.append({k: v for k, v in record.items() if k != "host_iso3"})
    result = sync_rows(session, Mission, ["acronym"], records, progress=_progress(job.progress, len(records)))
    # Host country and region are not in this file: fill them from the name only where still unknown.
    named = {r["acronym"]: r["host_iso3"] for _, r in rows.records}
    for mission in session.scalars(select(Mission).where(Mission.host_iso3.is_(None))):
        host = named.get(mission.acronym)
        if host:
            mission.host_iso3 = host
            mission.region = un_region(host)
            mission.notes = INFERRED_HOST
    _seed_aliases(session)
    return _finish(session, rows, result, job.actor, "mission")


def _fix_swapped_coordinates(record: dict[str, Any], host: str | None) -> None:
    """The UN file sometimes swaps longitude and latitude; keep the order that falls in the host country."""
    lon, lat = record["hq_longitude"], record["hq_latitude"]
    if lon is None or lat is None or host is None:
        return
    if in_country(host, lon, lat) is False and in_country(host, lat, lon):
        record["hq_longitude"], record["hq_latitude"] = lat, lon


def import_mission_totals(session: Session, job: ImportJob) -> ImportReport:
    rows = read_mission_totals(job.path)
    good, rows.rejections = _resolve_missions(session, rows)
    result = sync_rows(
        session, MissionStrength, ["mission_id", "month"], good, progress=_progress(job.progress, len(good))
    )
    # The IPI file names each mission's host country: it is authoritative where the register lacks one
    # or only guessed it from the name.
    hosts: dict[str, tuple[str, str | None]] = {}
    for _, record in rows.records:
        if record["host_iso3"]:
            hosts[record["mission"]] = (record["host_iso3"], record["region"])
    for mission in session.scalars(select(Mission).where(Mission.acronym.in_(list(hosts)))):
        if mission.host_iso3 is not None and mission.notes != INFERRED_HOST:
            continue  # set by a person or an earlier authoritative file: leave it
        host, region = hosts[mission.acronym]
        before = {"host_iso3": mission.host_iso3, "region": mission.region}
        mission.host_iso3, mission.region, mission.notes = host, region or un_region(host), None
        if before["host_iso3"] != host:
            audit.record(
                session,
                job.actor,
                "update",
                "mission",
                mission.acronym,
                before=before,
                after={"host_iso3": host, "region": mission.region},
            )
    return _finish(session, rows, result, job.actor, "mission_strength")


def _resolve_mission_ids(session: Session, rows: SourceRows) -> tuple[pa.Table, list[Rejection]]:
    """``_resolve_missions`` on a reader's columns (``rows.table``): the records with ``mission_id`` in
    place of the acronym, and the rejections with those of lines naming a mission the register lacks."""
    assert rows.table is not None
    ids = _mission_ids(session)
    table = rows.table
    acronyms = table.column("mission").combine_chunks()
    mission_id, _ = per_value(acronyms, ids.get, pa.int64())
    known = mission_id.is_valid()
    rejected = list(rows.rejections)
    unknown = table.filter(pc.invert(known)).select(["line", "mission"])
    seen: set[int] = set()
    for line, acronym in zip(unknown.column("line").to_pylist(), unknown.column("mission").to_pylist(), strict=True):
        if line in seen:
            continue
        seen.add(line)
        outside = acronym in OUTSIDE_REGISTER
        reason = (OUTSIDE_REASON if outside else UNKNOWN_REASON).format(line=line, acronym=acronym)
        rejected.append(Rejection(line, reason, cause=OUTSIDE_CAUSE if outside else UNKNOWN_CAUSE, detail=acronym))
    rejected.sort(key=lambda r: r.line)
    good = table.filter(known).drop_columns(["line", "mission"])
    good = good.add_column(0, "mission_id", mission_id.filter(known))
    return good, rejected


def import_contributions(session: Session, job: ImportJob) -> ImportReport:
    """Contributions by country and gender, validated column-wise and written in bulk (decision 053)."""
    rows = read_contributions(job.path)
    good, rows.rejections = _resolve_mission_ids(session, rows)
    result = sync_table(
        session,
        Deployment,
        ["mission_id", "month", "contributor_iso3", "personnel_type"],
        good,
        replace_within=["mission_id", "month", "contributor_iso3"] if rows.layout == "ipi-gender" else None,
        progress=_progress(job.progress, good.num_rows),
    )
    return _finish(session, rows, result, job.actor, "deployment")


def import_fatalities(session: Session, job: ImportJob) -> ImportReport:
    """Import the UN fatalities list; a mission outside the peacekeeping register is kept by its acronym.

    The list covers special political missions too (UNAMA, UNAMI, BINUB...), so, as for allegations
    (decision 008), such a death is stored with ``mission_id`` empty rather than rejected: the totals then
    equal the published list, and rates, which need the mission's strength, count linked rows only.
    """
    rows = read_fatalities(job.path)
    ids = {acronym.upper(): id_ for acronym, id_ in _mission_ids(session).items()}
    good = [
        {
            "mission_acronym": record["mission"],
            "mission_id": ids.get(record["mission"]),
            **{k: v for k, v in record.items() if k != "mission"},
        }
        for _, record in rows.records
    ]
    result = sync_rows(
        session, Fatality, ["casualty_id", "occurrence"], good, progress=_progress(job.progress, len(good))
    )
    outside = sorted({r["mission_acronym"] for r in good if r["mission_id"] is None})
    return _finish(session, rows, result, job.actor, "fatality", {"outside_register": outside})


def import_world_totals(session: Session, job: ImportJob) -> ImportReport:
    """The IPI global monthly summary: one row per month for all peacekeeping, upserted by month."""
    rows = read_world_totals(job.path)
    records = [record for _, record in rows.records]
    result = sync_rows(session, WorldStrength, ["month"], records, progress=_progress(job.progress, len(records)))
    return _finish(session, rows, result, job.actor, "world_strength")


UN_PERSONNEL = ("un_peacekeeping", "personnel")
KINDS = (
    ImportKind(
        "missions", import_missions, "missions",
        "The UN's list of peacekeeping operations (DPPA-DPO-SS PKO CSV): acronym, name, dates, HQ location.",
        demo_files=(("un_peacekeeping", "missions", "DPPADPOSS-PKO.csv"),),
    ),
    ImportKind(
        "mission-totals", import_mission_totals, "mission strength figures",
        "IPI monthly totals per mission: troops, police, observers, host country.",
        demo_files=((*UN_PERSONNEL, "IPI_mission_monthly_totals_1990-11_to_2017-03.csv"),),
    ),
    ImportKind(
        "contributions", import_contributions, "deployments",
        "Contributions by country, mission and personnel type (IPI gender file, or the UN's current layout).",
        demo_files=((*UN_PERSONNEL, "IPI_TCC_gender_by_mission_2009-11_to_2014-02.csv"),),
    ),
    ImportKind(
        "world-totals", import_world_totals, "world personnel totals",
        "IPI global monthly summary: contributing countries, troops, police and experts on mission in all "
        "peacekeeping, per month.",
        demo_files=((*UN_PERSONNEL, "IPI_global_monthly_summary_1990-11_to_2017-03.csv"),),
    ),
    ImportKind(
        "fatalities", import_fatalities, "fatalities",
        "The UN list of peacekeeper fatalities (DPPA-DPO-SS FATALITIES CSV), one row per death.",
        demo_files=(("un_peacekeeping", "fatalities", "DPPADPOSS-FATALITIES.csv"),),
    ),
)  # fmt: skip
