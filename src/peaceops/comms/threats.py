"""Threat areas on monitored items and narratives (decision 046): who may tag them, and counts by area over
exactly the items a reader's scope shows (``scope.Scope.where``), so no count reaches past it.

An item is tagged by those who may change its mission's records (analysts and administrators; a mission
officer for their own mission's items; the shared pool by analysts and administrators); a narrative, a
shared record rebuilt from the items, by analysts and administrators. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_editor
from peaceops.comms.models import ITEM_TAGS, NARRATIVE_TAGS, SHOWN, CommsItem, CommsNarrative
from peaceops.comms.scope import check_item, mission_acronym, mission_ids, scope_for
from peaceops.errors import NotFound, PermissionDenied
from peaceops.framework.threat_areas import counts_out, parse_threat_areas
from peaceops.framework.threat_tags import areas_of, count_areas, set_areas, tagged
from peaceops.store import audit


def _visible_items(visible: ColumnElement[bool] | None) -> Any:
    query = select(CommsItem.id).where(SHOWN)
    return query if visible is None else query.where(visible)


def item_counts(session: Session, visible: ColumnElement[bool] | None = None) -> list[dict[str, Any]]:
    """Items per threat area among those in the reader's scope (``visible``)."""
    return counts_out(count_areas(session, ITEM_TAGS, _visible_items(visible)))


def narrative_counts(session: Session, visible: ColumnElement[bool] | None = None) -> list[dict[str, Any]]:
    """Narratives per threat area among those with an item in the reader's scope (the narratives they see)."""
    members = select(CommsItem.narrative_id).where(SHOWN, CommsItem.narrative_id.is_not(None))
    if visible is not None:
        members = members.where(visible)
    return counts_out(count_areas(session, NARRATIVE_TAGS, members))


def item_areas(session: Session, ids: Iterable[int]) -> dict[int, list[str]]:
    return areas_of(session, ITEM_TAGS, ids)


def narrative_areas(session: Session, ids: Iterable[int]) -> dict[int, list[str]]:
    return areas_of(session, NARRATIVE_TAGS, ids)


def tag_item(session: Session, who: Actor, item_id: int, areas: str | Iterable[str]) -> list[str]:
    """Set an item's threat areas (refused outside the tagger's scope); audited. The areas now."""
    item = session.get(CommsItem, item_id)
    if item is None or item.provenance == "training":
        raise NotFound(f"There is no item {item_id}.")
    acronym = mission_acronym(session, item.mission_id)
    check_item(scope_for(session, who), item, acronym)
    check_editor(who, "monitored items", acronym or None)
    codes = parse_threat_areas(areas)
    before = item_areas(session, [item.id]).get(item.id, [])
    if set_areas(session, ITEM_TAGS, item.id, codes):
        audit.record(session, who.username, "tag", "comms_item", item.id, before={"threat_areas": before},
                     after={"threat_areas": codes})  # fmt: skip
    return codes


def tag_narrative(session: Session, who: Actor, narrative_id: int, areas: str | Iterable[str]) -> list[str]:
    """Set a narrative's threat areas (analysts and administrators); audited. The areas now."""
    check_editor(who, "narratives")
    narrative = session.get(CommsNarrative, narrative_id)
    if narrative is None:
        raise NotFound(f"There is no narrative {narrative_id}.")
    codes = parse_threat_areas(areas)
    before = narrative_areas(session, [narrative.id]).get(narrative.id, [])
    if set_areas(session, NARRATIVE_TAGS, narrative.id, codes):
        audit.record(session, who.username, "tag", "comms_narrative", narrative.id,
                     before={"threat_areas": before}, after={"threat_areas": codes})  # fmt: skip
    return codes


def may_tag_item(who: Actor, acronym: str) -> bool:
    """Whether the item page offers the threat area form: the rule of ``tag_item`` as a yes or no."""
    try:
        check_editor(who, "monitored items", acronym or None)
    except PermissionDenied:
        return False
    return True


def visible_about(
    session: Session, who: Actor, countries: Iterable[str], missions: Iterable[str] = ()
) -> ColumnElement[bool]:
    """The items ``who`` may read (their scope) that are about ``countries`` (ISO3) or were collected for
    ``missions`` (acronyms): the condition a regional or mission view counts over."""
    ids = list(mission_ids(session, {m.upper() for m in missions}).values())
    about = or_(CommsItem.country_iso3.in_(sorted(set(countries)) or [""]), CommsItem.mission_id.in_(ids or [-1]))
    return and_(scope_for(session, who).where(), about)


def narratives_with_items(session: Session, visible: ColumnElement[bool], threat_area: str) -> list[dict[str, Any]]:
    """The narratives tagged ``threat_area`` that hold an item under ``visible``, with how many such items."""
    counts = dict(
        session.execute(
            select(CommsItem.narrative_id, func.count())
            .where(SHOWN, visible, CommsItem.narrative_id.in_(tagged(NARRATIVE_TAGS, threat_area)))
            .group_by(CommsItem.narrative_id)
        ).all()
    )
    rows = session.scalars(select(CommsNarrative).where(CommsNarrative.id.in_(list(counts) or [-1])))
    return sorted(
        ({"id": n.id, "label": n.label, "language": n.language, "items": int(counts[n.id])} for n in rows),
        key=lambda n: (-n["items"], n["id"]),
    )
