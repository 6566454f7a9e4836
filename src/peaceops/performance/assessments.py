"""Assessments: per mission and period, a rating for each objective, a narrative, and an approval trail.

Workflow: ``draft -> submitted -> approved``. A submitted assessment can be returned to draft (with a
reason); approval freezes the ratings and their evidence and locks the period's values and targets;
only an administrator can reopen an approved assessment, with a written reason, and that is audited.
While an assessment is not approved its computed ratings follow the values as they change.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_approver, require_admin, require_mission_editor
from peaceops.errors import NotFound, ValidationFailed
from peaceops.framework.models import FrameworkElement
from peaceops.i18n import N_, _
from peaceops.missions.models import Mission
from peaceops.performance.frameworks import find_mission, framework_at
from peaceops.performance.models import (
    RATINGS,
    Assessment,
    AssessmentEvent,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    ObjectiveRating,
    ObjectiveTag,
    Result,
    ResultsFramework,
)
from peaceops.performance.periods import Period, parse_period
from peaceops.performance.rating import RATING_LABELS, aggregate, explain, indicator_status, objective_rating, rule_text
from peaceops.performance.shapes import (
    AssessmentList,
    AssessmentStep,
    AssessmentSummary,
    AssessmentView,
    ElementTag,
    Evidence,
    RatedObjective,
)
from peaceops.store import audit
from peaceops.store.base import utcnow

MIN_REASON = 10
# What the access policy's approval rule names in its messages.
APPROVED_THING = N_("an assessment")
# In English here (the JSON, the tests); shown with _(label).
STATUS_LABELS = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "approved": N_("Approved"),
    "none": N_("Not started"),
}


def compute_evidence(session: Session, framework: ResultsFramework, period: Period) -> dict[int, list[Evidence]]:
    """Per objective id, the evidence of each of its indicators for the period (rating rule steps 1-4)."""
    indicators = list(session.scalars(select(Indicator).where(Indicator.framework_id == framework.id)))
    ids = [i.id for i in indicators]
    values: dict[int, list[tuple[str, float, float | None, float | None]]] = defaultdict(list)
    for v in session.scalars(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id.in_(ids),
            IndicatorValue.disaggregation == "",
            IndicatorValue.period_start >= period.start,
            IndicatorValue.period_end <= period.end,
        )
    ):
        values[v.indicator_id].append((v.period, v.value, v.numerator, v.denominator))
    targets: dict[int, IndicatorTarget] = {}
    for t in session.scalars(
        select(IndicatorTarget).where(
            IndicatorTarget.indicator_id.in_(ids),
            IndicatorTarget.disaggregation == "",
            IndicatorTarget.period_start <= period.start,
            IndicatorTarget.period_end >= period.end,
        )
    ):
        best = targets.get(t.indicator_id)
        if best is None or (t.period_end - t.period_start) < (best.period_end - best.period_start):
            targets[t.indicator_id] = t
    out: dict[int, list[Evidence]] = defaultdict(list)
    for i in sorted(indicators, key=lambda i: i.position):
        rows = values.get(i.id, [])
        value = aggregate(i.aggregation, rows, i.factor)
        target = targets.get(i.id)
        status, progress = indicator_status(value, target.value if target else None, i.baseline, i.direction)
        out[i.objective_id].append(
            Evidence(
                code=i.code,
                name=i.name,
                unit=i.unit,
                direction=i.direction,
                baseline=i.baseline,
                target=target.value if target else None,
                target_period=target.period if target else None,
                value=None if value is None else round(value, 6),
                periods=sorted(p for p, _, _, _ in rows),
                progress=None if progress is None else round(progress, 4),
                status=status,
                target_rule=target.rule if target else "",
                target_set_by=target.set_by if target else None,
            )
        )
    return out


def _objectives(session: Session, framework: ResultsFramework) -> list[Result]:
    query = select(Result).where(Result.framework_id == framework.id, Result.level == "objective")
    return list(session.scalars(query.order_by(Result.position)))


def _find(session: Session, mission: Mission, period: Period) -> Assessment | None:
    return session.scalar(
        select(Assessment).where(Assessment.mission_id == mission.id, Assessment.period == period.key)
    )


def _require(session: Session, acronym: str, period_key: str) -> tuple[Mission, Period, Assessment]:
    mission = find_mission(session, acronym)
    period = parse_period(period_key)
    assessment = _find(session, mission, period)
    if assessment is None:
        raise NotFound(
            _("There is no assessment of {mission} for {period}; start one first.").format(
                mission=mission.acronym, period=period.key
            )
        )
    return mission, period, assessment


def _refresh(session: Session, assessment: Assessment, period: Period) -> None:
    """Bring stored computed ratings and evidence up to date (not for approved assessments: they are frozen)."""
    if assessment.status == "approved":
        return
    framework = session.get(ResultsFramework, assessment.framework_id)
    assert framework is not None
    evidence = compute_evidence(session, framework, period)
    stored = {r.objective_id: r for r in assessment.ratings}
    for objective in _objectives(session, framework):
        rows = evidence.get(objective.id, [])
        computed = objective_rating(rows)
        rating = stored.get(objective.id)
        if rating is None:
            rating = ObjectiveRating(objective_id=objective.id, computed=computed, rating=computed)
            assessment.ratings.append(rating)
        rating.computed = computed
        rating.evidence = [e.model_dump() for e in rows]
        if rating.override_reason is None:
            rating.rating = computed
    session.flush()


def _event(
    session: Session,
    assessment: Assessment,
    mission: Mission,
    action: str,
    before: str | None,
    actor: Actor,
    note: str = "",
) -> None:
    assessment.events.append(
        AssessmentEvent(action=action, from_status=before, to_status=assessment.status, actor=actor.username, note=note)
    )
    audit.record(
        session,
        actor.username,
        action,
        "perf_assessment",
        f"{mission.acronym}/{assessment.period}",
        before={"status": before} if before else None,
        after={"status": assessment.status, **({"note": note} if note else {})},
    )


def open_assessment(session: Session, acronym: str, period_key: str, actor: Actor) -> Assessment:
    """Start the draft assessment of a mission for a period (or return the existing one)."""
    mission = find_mission(session, acronym)
    require_mission_editor(actor, mission.acronym)
    period = parse_period(period_key)
    existing = _find(session, mission, period)
    if existing is not None:
        return existing
    framework = framework_at(session, mission, period.start, period.end)
    assessment = Assessment(
        mission_id=mission.id,
        framework_id=framework.id,
        period=period.key,
        period_start=period.start,
        period_end=period.end,
        status="draft",
        narrative="",
        created_by=actor.username,
    )
    session.add(assessment)
    session.flush()
    _refresh(session, assessment, period)
    _event(session, assessment, mission, "create", None, actor)
    return assessment


# What may change only in a draft, each a whole sentence (``_editable``).
ONLY_IN_DRAFT = {
    "narrative": N_("The {mission} assessment for {period} is {status}; the narrative can change only in a draft."),
    "override": N_("The {mission} assessment for {period} is {status}; ratings can be overridden only in a draft."),
    "submit": N_("The {mission} assessment for {period} is {status}; it can be submitted only in a draft."),
}


def _editable(assessment: Assessment, mission: Mission, what: str) -> None:
    if assessment.status != "draft":
        status = _(STATUS_LABELS.get(assessment.status, assessment.status)).lower()
        message = _(ONLY_IN_DRAFT[what]).format(mission=mission.acronym, period=assessment.period, status=status)
        if assessment.status == "approved":
            message += " " + _("An administrator can reopen it.")
        raise ValidationFailed(message)


def set_narrative(session: Session, acronym: str, period_key: str, text: str, actor: Actor) -> Assessment:
    mission, period, assessment = _require(session, acronym, period_key)
    require_mission_editor(actor, mission.acronym)
    _editable(assessment, mission, "narrative")
    before = assessment.narrative
    assessment.narrative = text.strip()
    if before != assessment.narrative:
        audit.record(
            session,
            actor.username,
            "narrative",
            "perf_assessment",
            f"{mission.acronym}/{assessment.period}",
            before={"narrative": before},
            after={"narrative": assessment.narrative},
        )
    _refresh(session, assessment, period)
    return assessment


def override_rating(
    session: Session, acronym: str, period_key: str, objective: str, rating: str, reason: str, actor: Actor
) -> Assessment:
    """Replace an objective's computed rating by a person's judgement; a written reason is required.
    An empty ``rating`` removes the override and the computed rating applies again."""
    mission, period, assessment = _require(session, acronym, period_key)
    require_mission_editor(actor, mission.acronym)
    _editable(assessment, mission, "override")
    _refresh(session, assessment, period)
    node = session.scalar(
        select(Result).where(
            Result.framework_id == assessment.framework_id, Result.code == objective, Result.level == "objective"
        )
    )
    if node is None:
        raise NotFound(_("Objective {code!r} is not in the framework this assessment uses.").format(code=objective))
    row = next(r for r in assessment.ratings if r.objective_id == node.id)
    before = {"rating": row.rating, "override_reason": row.override_reason}
    reason = (reason or "").strip()
    if not rating:
        row.rating, row.override_reason, row.overridden_by, row.overridden_at = row.computed, None, None, None
    else:
        if rating not in RATINGS:
            raise ValidationFailed(
                _("Rating {rating!r} is not one of {ratings}.").format(rating=rating, ratings=", ".join(RATINGS))
            )
        if len(reason) < MIN_REASON:
            raise ValidationFailed(
                _(
                    "Overriding the computed rating of {objective} ({rating}) needs a written reason of at least "
                    "{minimum} characters: say what the indicators miss."
                ).format(objective=objective, rating=_(RATING_LABELS[row.computed]), minimum=MIN_REASON)
            )
        row.rating, row.override_reason = rating, reason
        row.overridden_by, row.overridden_at = actor.username, utcnow()
    assessment.events.append(
        AssessmentEvent(
            action="override" if rating else "clear_override",
            from_status=assessment.status,
            to_status=assessment.status,
            actor=actor.username,
            note=f"{objective}: {RATING_LABELS.get(row.rating, row.rating)}" + (f" - {reason}" if rating else ""),
        )
    )
    audit.record(
        session,
        actor.username,
        "override",
        "perf_rating",
        f"{mission.acronym}/{assessment.period}/{objective}",
        before=before,
        after={"rating": row.rating, "override_reason": row.override_reason},
    )
    session.flush()
    return assessment


def submit(session: Session, acronym: str, period_key: str, actor: Actor) -> Assessment:
    mission, period, assessment = _require(session, acronym, period_key)
    require_mission_editor(actor, mission.acronym)
    _editable(assessment, mission, "submit")
    if not assessment.narrative.strip():
        raise ValidationFailed(
            _("Write the narrative before submitting: what happened, and why the ratings are what they are.")
        )
    _refresh(session, assessment, period)
    assessment.status, assessment.submitted_by, assessment.submitted_at = "submitted", actor.username, utcnow()
    _event(session, assessment, mission, "submit", "draft", actor)
    return assessment


def return_to_draft(session: Session, acronym: str, period_key: str, reason: str, actor: Actor) -> Assessment:
    mission, period, assessment = _require(session, acronym, period_key)
    require_mission_editor(actor, mission.acronym)
    if assessment.status != "submitted":
        raise ValidationFailed(
            _("Only a submitted assessment can be returned to draft; this one is {status}.").format(
                status=_(STATUS_LABELS.get(assessment.status, assessment.status)).lower()
            )
        )
    if len((reason or "").strip()) < MIN_REASON:
        raise ValidationFailed(
            _("Say why it goes back to draft (at least {minimum} characters).").format(minimum=MIN_REASON)
        )
    assessment.status = "draft"
    _event(session, assessment, mission, "return", "submitted", actor, reason.strip())
    return assessment


def approve(session: Session, acronym: str, period_key: str, actor: Actor) -> Assessment:
    """Approve a submitted assessment: ratings and evidence freeze, the period's values lock."""
    mission, period, assessment = _require(session, acronym, period_key)
    require_admin(actor, N_("approve an assessment"))
    if assessment.status != "submitted":
        raise ValidationFailed(
            _("Only a submitted assessment can be approved; this one is {status}.").format(
                status=_(STATUS_LABELS.get(assessment.status, assessment.status)).lower()
            )
        )
    check_approver(actor, assessment.submitted_by, APPROVED_THING)
    _refresh(session, assessment, period)
    assessment.status, assessment.approved_by, assessment.approved_at = "approved", actor.username, utcnow()
    _event(session, assessment, mission, "approve", "submitted", actor)
    return assessment


def reopen(session: Session, acronym: str, period_key: str, reason: str, actor: Actor) -> Assessment:
    """Unlock an approved assessment and its period (administrators only, with a written reason; audited)."""
    mission, period, assessment = _require(session, acronym, period_key)
    require_admin(actor, N_("reopen an approved assessment"))
    if assessment.status != "approved":
        raise ValidationFailed(
            _("Only an approved assessment can be reopened; this one is {status}.").format(
                status=_(STATUS_LABELS.get(assessment.status, assessment.status)).lower()
            )
        )
    if len((reason or "").strip()) < MIN_REASON:
        raise ValidationFailed(
            _("Reopening an approved assessment needs a written reason (at least {minimum} characters).").format(
                minimum=MIN_REASON
            )
        )
    assessment.status, assessment.approved_by, assessment.approved_at = "draft", None, None
    _event(session, assessment, mission, "reopen", "approved", actor, reason.strip())
    _refresh(session, assessment, period)
    return assessment


def _tags(session: Session, objective_ids: list[int]) -> dict[int, list[ElementTag]]:
    rows = session.execute(
        select(ObjectiveTag.result_id, FrameworkElement.code, FrameworkElement.kind, FrameworkElement.title)
        .join(FrameworkElement, FrameworkElement.id == ObjectiveTag.element_id)
        .where(ObjectiveTag.result_id.in_(objective_ids))
        .order_by(FrameworkElement.kind, FrameworkElement.code)
    )
    out: dict[int, list[ElementTag]] = defaultdict(list)
    for result_id, code, kind, title in rows:
        out[result_id].append(ElementTag(code=code, kind=kind, title=title))
    return out


def assessment_view(session: Session, acronym: str, period_key: str) -> AssessmentView:
    """The assessment as the page and the API show it; before one is started, the ratings it would get."""
    mission = find_mission(session, acronym)
    period = parse_period(period_key)
    assessment = _find(session, mission, period)
    framework = (
        session.get(ResultsFramework, assessment.framework_id)
        if assessment
        else framework_at(session, mission, period.start, period.end)
    )
    assert framework is not None
    objectives = _objectives(session, framework)
    tags = _tags(session, [o.id for o in objectives])
    live = compute_evidence(session, framework, period) if not assessment or assessment.status != "approved" else {}
    stored = {r.objective_id: r for r in assessment.ratings} if assessment else {}
    rows = []
    for o in objectives:
        rating = stored.get(o.id)
        evidence: list[Evidence]
        if assessment and assessment.status == "approved" and rating is not None:
            evidence, computed = [Evidence.model_validate(e) for e in rating.evidence], rating.computed
        else:
            evidence = live.get(o.id, [])
            computed = objective_rating(evidence)
        overridden = rating is not None and rating.override_reason is not None
        final = rating.rating if overridden and rating else computed
        rows.append(
            RatedObjective(
                code=o.code,
                title=o.title,
                mandate_task=o.mandate_task,
                tags=tags.get(o.id, []),
                computed=computed,
                rating=final,
                overridden=overridden,
                override_reason=rating.override_reason if rating else None,
                overridden_by=rating.overridden_by if rating else None,
                evidence=[e.model_copy(update={"target_rule": rule_text(e.target_rule)}) for e in evidence],
                why=explain(computed, evidence),
            )
        )
    return AssessmentView(
        mission=mission.acronym,
        mission_name=mission.name,
        period=period.key,
        period_label=period.label,
        period_start=period.start.isoformat(),
        period_end=period.end.isoformat(),
        framework_version=framework.version,
        status=assessment.status if assessment else "none",
        locked=bool(assessment and assessment.status == "approved"),
        narrative=assessment.narrative if assessment else "",
        created_by=assessment.created_by if assessment else None,
        submitted_by=assessment.submitted_by if assessment else None,
        approved_by=assessment.approved_by if assessment else None,
        approved_at=(
            assessment.approved_at.isoformat(timespec="seconds") if assessment and assessment.approved_at else None
        ),
        objectives=rows,
        events=[
            AssessmentStep(
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                actor=e.actor,
                at=e.at.isoformat(timespec="seconds"),
                note=e.note,
            )
            for e in (assessment.events if assessment else [])
        ],
    )


def assessments_of(session: Session, mission: Mission) -> AssessmentList:
    """A mission's assessments, newest first, with their status and how many objectives have each rating."""
    query = select(Assessment).where(Assessment.mission_id == mission.id).order_by(Assessment.period_start.desc())
    return AssessmentList(
        mission=mission.acronym,
        assessments=[
            AssessmentSummary(
                period=a.period,
                status=a.status,
                created_by=a.created_by,
                approved_by=a.approved_by,
                ratings=dict(sorted(Counter(r.rating for r in a.ratings).items())),
            )
            for a in session.scalars(query)
        ],
    )
