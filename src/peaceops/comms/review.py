"""The review queue: analysts confirm, dismiss or escalate flagged items; escalations get a response task.

Every decision is a ``comms_review`` row and an audit entry. Confirm and dismiss feed the retraining
set (classifier.retraining_rows). Escalating creates a response task (owner, due date, status) linked to
the item's narrative. Analysts and administrators decide; other roles read the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_editor
from peaceops.comms import privacy, scope
from peaceops.comms.models import (
    ITEM_TAGS,
    REVIEW_ACTIONS,
    SHOWN,
    TASK_STATUSES,
    CommsItem,
    CommsNarrative,
    CommsReview,
    CommsTask,
)
from peaceops.errors import NotFound, ValidationFailed
from peaceops.framework.threat_areas import check_threat_area
from peaceops.framework.threat_tags import areas_of, tagged
from peaceops.i18n import _
from peaceops.store import audit
from peaceops.store.base import utcnow

LABELS = ("hate", "offensive", "normal", "misinformation")


@dataclass(frozen=True)
class Decision:
    action: str
    label: str = ""
    note: str = ""
    task_title: str = ""
    task_owner: str = ""
    task_due: date | None = None


def item_view(session: Session, item: CommsItem, compartments: frozenset[str]) -> dict[str, Any]:
    """An item as a reader may see it: the author is a hash unless they hold ``comms:authors``."""
    narrative = session.get(CommsNarrative, item.narrative_id) if item.narrative_id else None
    return {
        "id": item.id,
        "source": item.source,
        "external_id": item.external_id,
        "text": item.text,
        "language": item.language,
        "language_method": item.language_method,
        "platform": item.platform,
        "author": privacy.shown_author(session, item.author_hash, compartments),
        "author_visible": bool(item.author_hash) and privacy.can_see_authors(compartments),
        "posted_at": item.posted_at.isoformat() if item.posted_at else None,
        "place": item.place,
        "country_iso3": item.country_iso3,
        "latitude": item.latitude,
        "longitude": item.longitude,
        "url": item.url,
        "mission": scope.mission_acronym(session, item.mission_id),
        "gold_label": item.gold_label,
        "provenance": item.provenance,
        "label": item.label,
        "score": item.score,
        "probabilities": item.probabilities or {},
        "model_version": item.model_version,
        "lexicon_hits": item.lexicon_hits or [],
        "status": item.status,
        "duplicate_of": item.duplicate_of,
        "narrative_id": item.narrative_id,
        "narrative": narrative.label if narrative else None,
        "threat_areas": areas_of(session, ITEM_TAGS, [item.id]).get(item.id, []),
    }


def queue(
    session: Session,
    compartments: frozenset[str],
    *,
    status: str = "flagged",
    language: str = "",
    limit: int = 50,
    offset: int = 0,
    visible: ColumnElement[bool] | None = None,
    threat_area: str | None = None,
) -> dict[str, Any]:
    """Items waiting for review, most harmful first (model probability, then lexicon severity).

    ``visible`` is the reader's scope (scope.Scope.where): items outside it are neither listed nor counted;
    training rows (provenance ``training``) never are. ``threat_area`` keeps the items tagged with it (list
    and counts alike).
    """
    query = select(CommsItem).where(CommsItem.status == status, SHOWN)
    by_status = select(CommsItem.status, func.count()).where(SHOWN).group_by(CommsItem.status)
    if visible is not None:
        query, by_status = query.where(visible), by_status.where(visible)
    area = check_threat_area(threat_area)
    if area:
        query = query.where(CommsItem.id.in_(tagged(ITEM_TAGS, area)))
        by_status = by_status.where(CommsItem.id.in_(tagged(ITEM_TAGS, area)))
    if language:
        query = query.where(CommsItem.language == language)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(CommsItem.score.desc().nulls_last(), CommsItem.id).limit(limit).offset(offset)
    )
    counts = dict(session.execute(by_status).all())
    return {
        "status": status,
        "threat_area": area,
        "total": total,
        "counts": counts,
        "items": [item_view(session, i, compartments) for i in rows],
    }


def provenance_counts(session: Session, visible: ColumnElement[bool] | None = None) -> dict[str, int]:
    """Items in the reader's scope per provenance (held_out, monitored; training rows are never counted)."""
    query = select(CommsItem.provenance, func.count()).where(SHOWN).group_by(CommsItem.provenance)
    return dict(session.execute(query if visible is None else query.where(visible)).all())


def decide(session: Session, who: Actor, item_id: int, decision: Decision) -> CommsReview:
    """Record an analyst's decision on an item (audited); escalation also opens a response task."""
    check_editor(who, "review decisions")
    item = session.get(CommsItem, item_id)
    if item is None or item.provenance == "training":
        raise NotFound(_("There is no item {id}.").format(id=item_id))
    if decision.action not in REVIEW_ACTIONS:
        raise ValidationFailed(
            _("Action {action!r} is not one of {actions}.").format(
                action=decision.action, actions=", ".join(REVIEW_ACTIONS)
            )
        )
    label = decision.label.strip().lower()
    if label and label not in LABELS:
        raise ValidationFailed(
            _("Label {label!r} is not one of {labels}.").format(label=decision.label, labels=", ".join(LABELS))
        )
    if decision.action == "confirm" and not label:
        label = item.label if item.label in ("hate", "offensive") else "offensive"
    before = {"status": item.status, "label": item.label}
    review = CommsReview(
        item_id=item.id,
        action=decision.action,
        label=label if decision.action != "dismiss" else "normal",
        note=decision.note.strip(),
        actor=who.username,
        decided_at=utcnow(),
    )
    session.add(review)
    item.status = {"confirm": "confirmed", "dismiss": "dismissed", "escalate": "escalated"}[decision.action]
    session.flush()
    audit.record(
        session,
        who.username,
        decision.action,
        "comms_item",
        item.id,
        before=before,
        after={"status": item.status, "label": review.label, "note": review.note},
    )
    if decision.action == "escalate":
        owner = decision.task_owner.strip() or who.username
        narrative = session.get(CommsNarrative, item.narrative_id) if item.narrative_id else None
        title = decision.task_title.strip() or f"Respond to item {item.id}" + (
            f" ({narrative.label[:80]})" if narrative else ""
        )
        task = CommsTask(
            item_id=item.id,
            narrative_id=item.narrative_id,
            title=title[:200],
            owner=owner[:80],
            due_on=decision.task_due or date.today() + timedelta(days=2),
            status="open",
            created_by=who.username,
        )
        session.add(task)
        session.flush()
        audit.record(session, who.username, "create", "comms_task", task.id, after=task_view(session, task))
    return review


def task_view(session: Session, task: CommsTask) -> dict[str, Any]:
    narrative = session.get(CommsNarrative, task.narrative_id) if task.narrative_id else None
    return {
        "id": task.id,
        "item_id": task.item_id,
        "narrative_id": task.narrative_id,
        "narrative": narrative.label if narrative else None,
        "title": task.title,
        "owner": task.owner,
        "due_on": task.due_on.isoformat(),
        "status": task.status,
        "overdue": task.status != "done" and task.due_on < date.today(),
        "created_by": task.created_by,
    }


def list_tasks(session: Session, visible: ColumnElement[bool] | None = None) -> list[dict[str, Any]]:
    """Response tasks, of items in the reader's scope when ``visible`` is given."""
    query = select(CommsTask).order_by(CommsTask.status, CommsTask.due_on, CommsTask.id)
    if visible is not None:
        query = query.join(CommsItem, CommsItem.id == CommsTask.item_id).where(visible)
    rows = session.scalars(query)
    return [task_view(session, t) for t in rows]


def move_task(session: Session, who: Actor, task_id: int, status: str) -> CommsTask:
    check_editor(who, "response tasks")
    task = session.get(CommsTask, task_id)
    if task is None:
        raise NotFound(_("There is no response task {id}.").format(id=task_id))
    if status not in TASK_STATUSES:
        raise ValidationFailed(
            _("Status {status!r} is not one of {statuses}.").format(status=status, statuses=", ".join(TASK_STATUSES))
        )
    before = task_view(session, task)
    task.status, task.updated_at = status, utcnow()
    session.flush()
    audit.record(session, who.username, "update", "comms_task", task.id, before=before, after=task_view(session, task))
    return task


def reviews_of(session: Session, item_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(select(CommsReview).where(CommsReview.item_id == item_id).order_by(CommsReview.id))
    return [
        {"action": r.action, "label": r.label, "note": r.note, "actor": r.actor, "decided_at": r.decided_at.isoformat()}
        for r in rows
    ]
