"""Editing a framework's tree in place: add, change, move and remove results and indicators.

Every edit is applied to a copy of the framework as a template dict and the whole copy is checked with
the same rules as a template (levels, parents, tags, units, formulas and their cycles) before a row is
written, so an edit can never leave the tree inconsistent. Rows are then updated in place, so values,
targets and their history stay attached to the indicators they belong to.

What an edit may change depends on what it would falsify:

- Wording (titles, descriptions, mandate tasks, indicator names, definitions, data sources) can always be
  corrected in the current version.
- Structure (adding, moving or removing nodes and indicators, tags, direction, baseline, formulas,
  aggregation...) is refused while an approved assessment of this version exists: the approval certified
  ratings computed from that structure. Renew the framework, or have an administrator reopen the
  assessment.
- An indicator's unit, frequency, kind and disaggregations cannot change, and the indicator cannot be
  removed, once values are recorded: the values would silently change meaning or be lost. Retire it in
  a new version instead.

Older versions are history and are never edited. Every edit is audited with the item before and after.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, require_mission_editor
from peaceops.errors import NotFound, ValidationFailed
from peaceops.i18n import N_, _
from peaceops.missions.models import Mission
from peaceops.performance.derived import DERIVATIONS
from peaceops.performance.formula import check_code
from peaceops.performance.frameworks import _check_spec, _element_ids, _spec_of
from peaceops.performance.models import (
    Assessment,
    Indicator,
    IndicatorValue,
    ObjectiveTag,
    Result,
    ResultsFramework,
)
from peaceops.store import audit

RESULT_WORDING = ("title", "description", "mandate_task")
RESULT_FIELDS = (*RESULT_WORDING, "parent", "tags")
INDICATOR_WORDING = ("name", "definition", "data_source")
FIXED_ONCE_RECORDED = ("unit", "frequency", "kind", "disaggregations")
INDICATOR_FIELDS = (
    *INDICATOR_WORDING,
    "result",
    "unit",
    "direction",
    "baseline",
    "baseline_period",
    "frequency",
    "disaggregations",
    "kind",
    "numerator",
    "denominator",
    "factor",
    "derivation",
    "aggregation",
    "not_above",
)
RESULT_CODE = re.compile(r"^[A-Z][A-Z0-9]*(\.[A-Z0-9]+)*$")
Spec = dict[str, Any]
# The fields an edit changes, as a refusal names them (in English here, translated where a sentence is made).
FIELD_NAMES = {
    "parent": N_("parent"),
    "tags": N_("tags"),
    "result": N_("result"),
    "unit": N_("unit"),
    "direction": N_("direction"),
    "baseline": N_("baseline"),
    "baseline_period": N_("baseline period"),
    "frequency": N_("frequency"),
    "disaggregations": N_("disaggregations"),
    "kind": N_("kind"),
    "numerator": N_("numerator"),
    "denominator": N_("denominator"),
    "factor": N_("factor"),
    "derivation": N_("derivation"),
    "aggregation": N_("aggregation"),
    "not_above": N_("not above"),
}
THE_FIELD = {  # a field as the subject of a sentence ("The description is 5,000 characters long...")
    "description": N_("The description"),
    "mandate_task": N_("The mandate task"),
    "definition": N_("The definition"),
    "data_source": N_("The data source"),
    "baseline": N_("The baseline"),
    "factor": N_("The factor"),
}
NO_RESULT = N_("There is no result {code!r} in this framework version.")
NO_INDICATOR = N_("There is no indicator {code!r} in this framework version.")


def _current(session: Session, framework: ResultsFramework, actor: Actor) -> Mission:
    mission = session.get(Mission, framework.mission_id)
    assert mission is not None
    require_mission_editor(actor, mission.acronym)
    if framework.valid_to is not None:
        raise ValidationFailed(
            _(
                "Version {version} of the {mission} framework ended on {end} and is kept as history; edit the "
                "current version."
            ).format(version=framework.version, mission=mission.acronym, end=framework.valid_to.isoformat())
        )
    return mission


def _approved_periods(session: Session, framework: ResultsFramework) -> list[str]:
    query = select(Assessment.period).where(Assessment.framework_id == framework.id, Assessment.status == "approved")
    return sorted(session.scalars(query))


def _value_counts(session: Session, framework: ResultsFramework) -> dict[str, int]:
    query = (
        select(Indicator.code, func.count(IndicatorValue.id))
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .where(Indicator.framework_id == framework.id)
        .group_by(Indicator.code)
    )
    return {code: int(n) for code, n in session.execute(query)}


def _by_code(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in items}


def _structural_changes(old: Spec, new: Spec) -> list[str]:
    """What an edit changes beyond wording, in words, for the refusal message."""
    changes: list[str] = []
    for kind, wording in (("results", RESULT_WORDING), ("indicators", INDICATOR_WORDING)):
        before, after = _by_code(old[kind]), _by_code(new[kind])
        changes += [_("adds {code}").format(code=code) for code in after.keys() - before.keys()]
        changes += [_("removes {code}").format(code=code) for code in before.keys() - after.keys()]
        for code in before.keys() & after.keys():
            changed = [k for k in after[code] if k not in wording and after[code][k] != before[code].get(k)]
            changes += [
                _("changes the {field} of {code}").format(field=_(FIELD_NAMES.get(field, field)), code=code)
                for field in changed
            ]
    return changes


def _check_recorded(old: Spec, new: Spec, counts: dict[str, int]) -> None:
    before, after = _by_code(old["indicators"]), _by_code(new["indicators"])
    for code, n in counts.items():
        if code not in after:
            raise ValidationFailed(
                _(
                    "{code} has {count} recorded values; removing it would delete them. Leave it out of the next "
                    "framework version (mandate renewal) instead: this version keeps it with its values."
                ).format(code=code, count=f"{n:,}")
            )
        fixed = [f for f in FIXED_ONCE_RECORDED if after[code][f] != before[code][f]]
        if fixed:
            raise ValidationFailed(
                _(
                    "{code} has {count} recorded values; its {field} cannot change without changing what they "
                    "mean. Add a new indicator for the new measure instead."
                ).format(code=code, count=f"{n:,}", field=_(FIELD_NAMES.get(fixed[0], fixed[0])))
            )


def _apply(session: Session, framework: ResultsFramework, new: Spec) -> None:
    """Bring the rows in line with the checked spec, updating rows in place (ids, values and targets stay)."""
    elements = _element_ids(session)
    results = {r.code: r for r in framework.results}
    wanted = _by_code(new["results"])
    for position, spec in enumerate(new["results"], start=1):
        node = results.get(spec["code"])
        if node is None:
            node = Result(framework_id=framework.id, level=spec["level"], code=spec["code"], position=position)
            session.add(node)
            results[spec["code"]] = node
        node.parent = results[spec["parent"]] if spec.get("parent") else None
        node.title, node.description, node.position = spec["title"], spec.get("description") or "", position
        node.mandate_task = spec.get("mandate_task") if spec["level"] == "objective" else None
        wanted_tags = {elements[t] for t in spec.get("tags") or []}
        for tag in [t for t in node.tags if t.element_id not in wanted_tags]:
            node.tags.remove(tag)  # an orphan: deleted at flush
        held = {t.element_id for t in node.tags}
        node.tags.extend(ObjectiveTag(element_id=e) for e in sorted(wanted_tags - held))
    session.flush()
    objective_of: dict[str, Result] = {}
    for spec in new["results"]:
        objective_of[spec["code"]] = results[spec["code"]] if not spec.get("parent") else objective_of[spec["parent"]]
    indicators = {i.code: i for i in framework.indicators}
    for position, spec in enumerate(new["indicators"], start=1):
        indicator = indicators.get(spec["code"])
        if indicator is None:
            indicator = Indicator(framework_id=framework.id, code=spec["code"])
            session.add(indicator)
        for field in INDICATOR_FIELDS:
            if field != "result":
                setattr(indicator, field, spec.get(field))
        indicator.definition = spec.get("definition") or ""
        indicator.data_source = spec.get("data_source") or ""
        indicator.disaggregations = list(spec.get("disaggregations") or [])
        indicator.kind = spec.get("kind") or "entered"
        indicator.aggregation = spec.get("aggregation") or "last"
        indicator.factor = float(spec.get("factor") or 1.0)
        indicator.result_id = results[spec["result"]].id
        indicator.objective_id = objective_of[spec["result"]].id
        indicator.position = position
    keep = {i["code"] for i in new["indicators"]}
    for code, indicator in indicators.items():
        if code not in keep:
            session.delete(indicator)
    session.flush()
    for code, node in sorted(results.items(), key=lambda kv: -len(kv[0])):  # children before parents
        if code not in wanted:
            session.delete(node)
    session.flush()
    session.expire(framework)


def _edit(
    session: Session,
    framework: ResultsFramework,
    actor: Actor,
    action: str,
    mutate: Callable[[Spec], tuple[dict[str, Any] | None, dict[str, Any] | None]],
) -> dict[str, Any] | None:
    """Check and apply one edit; returns the item after the edit (None after a removal)."""
    mission = _current(session, framework, actor)
    old = _spec_of(session, framework)
    new = copy.deepcopy(old)
    before, after = mutate(new)
    if before == after:
        return after
    _check_spec(new, _element_ids(session))
    _check_recorded(old, new, _value_counts(session, framework))
    structural = _structural_changes(old, new)
    approved = _approved_periods(session, framework) if structural else []
    if approved:
        raise ValidationFailed(
            _(
                "This edit {change}, but the {mission} assessment of {periods} was approved on this framework "
                "version. Start a new version (mandate renewal), or ask an administrator to reopen the assessment; "
                "wording can still be corrected."
            ).format(change=structural[0], mission=mission.acronym, periods=", ".join(approved))
        )
    _apply(session, framework, new)
    audit.record(
        session, actor.username, action, "perf_framework", framework.id,
        before={"mission": mission.acronym, "version": framework.version, "item": before},
        after={"mission": mission.acronym, "version": framework.version, "item": after},
    )  # fmt: skip
    return after


def _text(value: Any, what: str, *, required: bool = False, limit: int = 300) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed(_("{what} cannot be empty.").format(what=what))
    if len(text) > limit:
        raise ValidationFailed(
            _("{what} is {length} characters long; at most {limit} fit.").format(
                what=what, length=len(text), limit=limit
            )
        )
    return text


def _find(items: list[dict[str, Any]], code: str, what: str) -> dict[str, Any]:
    for item in items:
        if item["code"] == code:
            return item
    sentence = NO_RESULT if what == "result" else NO_INDICATOR
    raise NotFound(_(sentence).format(code=code))


def _insert_result(results: list[dict[str, Any]], node: dict[str, Any]) -> None:
    """Place a node after its parent's last descendant (objectives at the end), keeping parents first."""
    parent = node.get("parent")
    if not parent:
        results.append(node)
        return
    family = {parent}
    last = next(i for i, r in enumerate(results) if r["code"] == parent)
    for i in range(last + 1, len(results)):
        if results[i].get("parent") in family:
            family.add(results[i]["code"])
            last = i
    results.insert(last + 1, node)


def _result_fields(fields: dict[str, Any], level: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in RESULT_FIELDS:
            raise ValidationFailed(f"{key!r} is not a field of a result; use {', '.join(RESULT_FIELDS)}.")
        if key == "title":
            out[key] = _text(value, _("The title"), required=True)
        elif key in ("description", "mandate_task"):
            out[key] = _text(value, _(THE_FIELD[key]), limit=4000) or None
            if key == "description":
                out[key] = out[key] or ""
        elif key == "tags":
            out[key] = sorted({str(t).strip() for t in value or [] if str(t).strip()})
        elif key == "parent":
            out[key] = str(value or "").strip().upper() or None
    if level != "objective" and out.get("mandate_task"):
        raise ValidationFailed(_("Only objectives implement a mandate task."))
    return out


def add_result(session: Session, framework: ResultsFramework, actor: Actor, fields: dict[str, Any]) -> dict[str, Any]:
    """Add an objective, an outcome (under an objective) or an output (under an outcome)."""
    code = str(fields.get("code") or "").strip().upper()
    if not RESULT_CODE.match(code) or len(code) > 32:
        raise ValidationFailed(
            _(
                "Result code {code!r} is not valid: letters and digits in dot-separated parts, e.g. O7 or O2.3.1."
            ).format(code=code)
        )
    level = str(fields.get("level") or "")
    rest = {k: v for k, v in fields.items() if k not in ("code", "level")}
    node = {"code": code, "level": level, "parent": None, "title": "", "description": "", "mandate_task": None}
    node |= {"tags": []} | _result_fields(rest, level)

    def mutate(spec: Spec) -> tuple[None, dict[str, Any]]:
        if any(r["code"] == code for r in spec["results"]):
            raise ValidationFailed(_("Result code {code} is already used in this framework version.").format(code=code))
        if node.get("parent") and not any(r["code"] == node["parent"] for r in spec["results"]):
            raise NotFound(
                _("There is no result {parent!r} to put {code} under.").format(parent=node["parent"], code=code)
            )
        _insert_result(spec["results"], node)
        return None, dict(node)

    return _edit(session, framework, actor, "add_result", mutate) or {}


def update_result(
    session: Session, framework: ResultsFramework, actor: Actor, code: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """Change a result's wording, tags, or parent (a move keeps its children and indicators with it)."""
    code = code.strip().upper()

    def mutate(spec: Spec) -> tuple[dict[str, Any], dict[str, Any]]:
        node = _find(spec["results"], code, "result")
        before = dict(node)
        node.update(_result_fields(fields, node["level"]))
        if node.get("parent") != before.get("parent"):  # move the subtree behind its new parent
            subtree = [node]
            for r in spec["results"]:
                if r.get("parent") in {n["code"] for n in subtree}:
                    subtree.append(r)
            spec["results"][:] = [r for r in spec["results"] if r not in subtree]
            _insert_result(spec["results"], node)
            at = spec["results"].index(node)
            spec["results"][at + 1 : at + 1] = subtree[1:]
        return before, dict(node)

    return _edit(session, framework, actor, "edit_result", mutate) or {}


def remove_result(session: Session, framework: ResultsFramework, actor: Actor, code: str) -> None:
    """Remove an empty result; one with children or indicators must be emptied first, on purpose."""
    code = code.strip().upper()

    def mutate(spec: Spec) -> tuple[dict[str, Any], None]:
        node = _find(spec["results"], code, "result")
        children = [r["code"] for r in spec["results"] if r.get("parent") == code]
        attached = [i["code"] for i in spec["indicators"] if i["result"] == code]
        if children or attached:
            held = ", ".join(children + attached)
            raise ValidationFailed(
                _("{code} still holds {held}; move or remove them first.").format(code=code, held=held)
            )
        spec["results"].remove(node)
        return dict(node), None

    _edit(session, framework, actor, "remove_result", mutate)


def _indicator_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in INDICATOR_FIELDS:
            raise ValidationFailed(f"{key!r} is not a field of an indicator; use {', '.join(INDICATOR_FIELDS)}.")
        if key == "name":
            out[key] = _text(value, _("The name"), required=True, limit=200)
        elif key in ("definition", "data_source"):
            out[key] = _text(value, _(THE_FIELD[key]), limit=4000 if key == "definition" else 300)
        elif key in ("baseline", "factor"):
            out[key] = _number(value, key)
        elif key == "disaggregations":
            out[key] = list(dict.fromkeys(str(d).strip() for d in value or [] if str(d).strip()))
        elif key in ("result", "not_above"):
            out[key] = str(value or "").strip().upper() or None
        else:
            out[key] = str(value).strip() if value not in (None, "") else None
    if out.get("kind") == "derived" and out.get("derivation") not in DERIVATIONS:
        raise ValidationFailed(
            f"Derivation {out.get('derivation')!r} is not one peaceops computes; "
            f"known: {', '.join(sorted(DERIVATIONS))}."
        )
    return out


def _number(value: Any, what: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("{what} must be a number (got {value!r}).").format(what=_(THE_FIELD.get(what, what)), value=value)
        ) from None


def add_indicator(
    session: Session, framework: ResultsFramework, actor: Actor, fields: dict[str, Any]
) -> dict[str, Any]:
    """Attach a new indicator to a result; defaults: entered, higher is better, quarterly, last value."""
    code = check_code(str(fields.get("code") or "").strip().upper())
    defaults = {"direction": "higher", "frequency": "quarter", "kind": "entered", "aggregation": "last"}
    values = {**defaults, **_indicator_fields({k: v for k, v in fields.items() if k != "code"})}
    indicator: dict[str, Any] = {f: None for f in INDICATOR_FIELDS} | {"disaggregations": [], "factor": 1.0}
    indicator |= {k: v for k, v in values.items() if v is not None} | {"code": code}
    indicator["definition"] = indicator.get("definition") or ""
    indicator["data_source"] = indicator.get("data_source") or ""
    if indicator.get("factor") is None:
        indicator["factor"] = 1.0

    def mutate(spec: Spec) -> tuple[None, dict[str, Any]]:
        spec["indicators"].append(indicator)
        return None, dict(indicator)

    return _edit(session, framework, actor, "add_indicator", mutate) or {}


def update_indicator(
    session: Session, framework: ResultsFramework, actor: Actor, code: str, fields: dict[str, Any]
) -> dict[str, Any]:
    code = code.strip().upper()

    def mutate(spec: Spec) -> tuple[dict[str, Any], dict[str, Any]]:
        item = _find(spec["indicators"], code, "indicator")
        before = dict(item)
        item.update(_indicator_fields(fields))
        if item.get("factor") is None:
            item["factor"] = 1.0
        return before, dict(item)

    return _edit(session, framework, actor, "edit_indicator", mutate) or {}


def remove_indicator(session: Session, framework: ResultsFramework, actor: Actor, code: str) -> None:
    code = code.strip().upper()

    def mutate(spec: Spec) -> tuple[dict[str, Any], None]:
        item = _find(spec["indicators"], code, "indicator")
        spec["indicators"].remove(item)
        return dict(item), None

    _edit(session, framework, actor, "remove_indicator", mutate)
