"""Results frameworks: created from a template, versioned at each mandate renewal, read back as a tree.

A template is a TOML file in ``performance/templates/`` (or any path): results with parents and tags,
and indicators attached to results. Creating a framework checks everything a template can get wrong
(unknown tags, parents, units, formula codes and cycles) before writing anything.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, require_mission_editor
from peaceops.errors import NotFound, ValidationFailed
from peaceops.framework.models import FrameworkElement
from peaceops.i18n import N_, _
from peaceops.missions.models import Mission
from peaceops.performance.formula import check_code, formula_order, parse_formula
from peaceops.performance.models import (
    AGGREGATIONS,
    DIRECTIONS,
    FREQUENCIES,
    KINDS,
    LEVELS,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    ObjectiveTag,
    Result,
    ResultsFramework,
)
from peaceops.performance.shapes import (
    ElementTag,
    FrameworkTemplate,
    FrameworkTree,
    FrameworkVersion,
    IndicatorDefinition,
    ResultNode,
)
from peaceops.performance.validation import DIMENSIONS, UNITS
from peaceops.store import audit

TEMPLATES_DIR = Path(__file__).with_name("templates")
DEFAULT_TEMPLATE = "a4p-default"
_PARENT_LEVEL = {"objective": None, "outcome": "objective", "output": "outcome"}


def template_path(code: str) -> Path:
    path = TEMPLATES_DIR / f"{code}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in TEMPLATES_DIR.glob("*.toml")))
        raise NotFound(f"There is no framework template {code!r}; the library has: {known}.")
    return path


def template_library() -> list[FrameworkTemplate]:
    """Every template in the library with its size, for the pages and the API."""
    out = []
    for path in sorted(TEMPLATES_DIR.glob("*.toml")):
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        out.append(
            FrameworkTemplate(
                code=spec["code"],
                title=spec["title"],
                description=spec.get("description", ""),
                objectives=sum(1 for r in spec["results"] if r["level"] == "objective"),
                indicators=len(spec["indicators"]),
            )
        )
    return out


def load_template(source: str | Path) -> dict[str, Any]:
    """A template's content from the library by code, or from a TOML file path."""
    path = Path(source) if isinstance(source, Path) or str(source).endswith(".toml") else template_path(source)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed(f"The template {path.name} is not valid TOML: {exc}.") from None


def find_mission(session: Session, acronym: str) -> Mission:
    mission = session.scalar(select(Mission).where(func.upper(Mission.acronym) == acronym.strip().upper()))
    if mission is None:
        raise NotFound(_("Mission {acronym!r} is not in the missions register; see /missions.").format(acronym=acronym))
    return mission


NEEDS_OBJECTIVE = N_("The {level} {code} needs a parent objective defined before it (got {parent!r}).")
NEEDS_OUTCOME = N_("The {level} {code} needs a parent outcome defined before it (got {parent!r}).")
# The levels and fields the sentences of _check_spec name, marked for the catalogue (translated where one is made).
SPEC_WORDS = (
    N_("objective"),
    N_("outcome"),
    N_("output"),
    N_("unit"),
    N_("direction"),
    N_("frequency"),
    N_("kind"),
    N_("aggregation"),
)


def _check_spec(spec: dict[str, Any], elements: dict[str, int]) -> None:
    """Refuse a template (or a framework copy) with any inconsistency, naming the first one found."""
    levels: dict[str, str] = {}
    for r in spec["results"]:
        code, level = r["code"], r.get("level")
        if level not in LEVELS:
            raise ValidationFailed(f"Result {code}: level {level!r} is not one of {', '.join(LEVELS)}.")
        if code in levels:
            raise ValidationFailed(_("Result code {code} appears twice.").format(code=code))
        wanted = _PARENT_LEVEL[level]
        parent = r.get("parent")
        if wanted is None and parent:
            raise ValidationFailed(_("Objective {code} cannot have a parent.").format(code=code))
        if wanted is not None and levels.get(parent or "") != wanted:
            sentence = NEEDS_OBJECTIVE if wanted == "objective" else NEEDS_OUTCOME
            raise ValidationFailed(_(sentence).format(level=_(level), code=code, parent=parent))
        unknown = [t for t in r.get("tags", []) if t not in elements]
        if unknown:
            raise ValidationFailed(
                _("Objective {code} is tagged {tags}, which the A4P framework does not define.").format(
                    code=code, tags=", ".join(unknown)
                )
            )
        if r.get("tags") and level != "objective":
            raise ValidationFailed(
                _("Only objectives carry A4P tags; {code} is an {level}.").format(code=code, level=_(level))
            )
        levels[code] = level
    codes: set[str] = set()
    formulas = {}
    for i in spec["indicators"]:
        code = check_code(i["code"])
        if code in codes:
            raise ValidationFailed(_("Indicator code {code} appears twice.").format(code=code))
        codes.add(code)
        if i.get("result") not in levels:
            raise ValidationFailed(
                _("Indicator {code} is attached to result {result!r}, which is not defined.").format(
                    code=code, result=i.get("result")
                )
            )
        for field, allowed in (
            ("unit", tuple(UNITS)),
            ("direction", DIRECTIONS),
            ("frequency", FREQUENCIES),
            ("kind", KINDS),
            ("aggregation", AGGREGATIONS),
        ):
            value = i.get(field, {"kind": "entered", "aggregation": "last"}.get(field))
            if value not in allowed:
                raise ValidationFailed(
                    _("Indicator {code}: {field} {value!r} is not one of {allowed}.").format(
                        code=code, field=_(field), value=value, allowed=", ".join(allowed)
                    )
                )
        bad = [d for d in i.get("disaggregations", []) if d not in DIMENSIONS]
        if bad:
            raise ValidationFailed(
                f"Indicator {code}: disaggregation {bad[0]!r} is not one of {', '.join(DIMENSIONS)}."
            )
        kind = i.get("kind", "entered")
        if kind == "formula":
            formulas[code] = parse_formula(i.get("numerator", ""), i.get("denominator"), i.get("factor", 1.0))
        elif kind == "derived" and not i.get("derivation"):
            raise ValidationFailed(_("Derived indicator {code} needs a derivation key.").format(code=code))
    for i in spec["indicators"]:
        if i.get("not_above") and i["not_above"] not in codes:
            raise ValidationFailed(
                _("Indicator {code} must not exceed {limit}, which is not defined.").format(
                    code=i["code"], limit=i["not_above"]
                )
            )
    formula_order(formulas, codes)
    frequency = {i["code"]: i["frequency"] for i in spec["indicators"]}
    for code, formula in formulas.items():
        other = sorted(c for c in formula.codes if frequency[c] != frequency[code])
        if other:
            raise ValidationFailed(
                f"Formula indicator {code} is {frequency[code]}ly but {', '.join(other)} "
                f"{'is' if len(other) == 1 else 'are'} not; a formula combines values of the same period."
            )


def _element_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(select(FrameworkElement.code, FrameworkElement.id)).all())


def _write_spec(session: Session, framework: ResultsFramework, spec: dict[str, Any]) -> None:
    elements = _element_ids(session)
    results: dict[str, Result] = {}
    objective_of: dict[str, Result] = {}
    for position, r in enumerate(spec["results"], start=1):
        parent = results.get(r.get("parent") or "")
        node = Result(
            framework_id=framework.id,
            parent=parent,
            level=r["level"],
            code=r["code"],
            title=r["title"],
            description=r.get("description", ""),
            mandate_task=r.get("mandate_task") if r["level"] == "objective" else None,
            position=position,
            tags=[ObjectiveTag(element_id=elements[t]) for t in r.get("tags", [])],
        )
        session.add(node)
        results[r["code"]] = node
        objective_of[r["code"]] = node if parent is None else objective_of[r["parent"]]
    session.flush()  # one flush gives every node its id (parents first, through the relationship)
    for position, i in enumerate(spec["indicators"], start=1):
        indicator = Indicator(
            framework_id=framework.id,
            result_id=results[i["result"]].id,
            objective_id=objective_of[i["result"]].id,
            code=i["code"],
            name=i["name"],
            definition=i.get("definition", ""),
            unit=i["unit"],
            direction=i["direction"],
            baseline=i.get("baseline"),
            baseline_period=i.get("baseline_period"),
            frequency=i["frequency"],
            disaggregations=list(i.get("disaggregations", [])),
            data_source=i.get("data_source", ""),
            kind=i.get("kind", "entered"),
            numerator=i.get("numerator"),
            denominator=i.get("denominator"),
            factor=float(i.get("factor", 1.0)),
            derivation=i.get("derivation"),
            aggregation=i.get("aggregation", "last"),
            not_above=i.get("not_above"),
            position=position,
        )
        session.add(indicator)
    session.flush()


def _first_day(mission: Mission) -> date:
    return (mission.start_date or date(1948, 1, 1)).replace(day=1)


def create_framework(
    session: Session,
    mission: Mission,
    actor: Actor,
    *,
    template: str | Path = DEFAULT_TEMPLATE,
    mandate: str = "",
    valid_from: date | None = None,
) -> ResultsFramework:
    """A mission's first framework version, copied from a template; refused if the mission has one."""
    require_mission_editor(actor, mission.acronym)
    if session.scalar(select(ResultsFramework.id).where(ResultsFramework.mission_id == mission.id)):
        raise ValidationFailed(
            _("{mission} already has a results framework; start a new version with a mandate renewal.").format(
                mission=mission.acronym
            )
        )
    spec = load_template(template)
    _check_spec(spec, _element_ids(session))
    framework = ResultsFramework(
        mission_id=mission.id,
        version=1,
        title=f"{mission.acronym} results framework",
        mandate=mandate,
        valid_from=valid_from or _first_day(mission),
        template_code=spec["code"],
        regions=list(spec.get("regions", [])),
        created_by=actor.username,
    )
    session.add(framework)
    session.flush()
    _write_spec(session, framework, spec)
    audit.record(
        session,
        actor.username,
        "create",
        "perf_framework",
        framework.id,
        after={"mission": mission.acronym, "version": 1, "template": spec["code"], "mandate": mandate},
    )
    return framework


def _spec_of(session: Session, framework: ResultsFramework) -> dict[str, Any]:
    """A framework as a template dict, so a renewal copies exactly what the mission had."""
    codes = {r.id: r.code for r in framework.results}
    element_codes = dict(session.execute(select(FrameworkElement.id, FrameworkElement.code)).all())
    results = [
        {
            "code": r.code,
            "level": r.level,
            "parent": codes.get(r.parent_id) if r.parent_id else None,
            "title": r.title,
            "description": r.description,
            "mandate_task": r.mandate_task,
            "tags": sorted(element_codes[t.element_id] for t in r.tags),
        }
        for r in framework.results
    ]
    fields = ("code", "name", "definition", "unit", "direction", "baseline", "baseline_period", "frequency")
    more = ("disaggregations", "data_source", "kind", "numerator", "denominator", "factor", "derivation")
    indicators = [
        {**{f: getattr(i, f) for f in (*fields, *more, "aggregation", "not_above")}, "result": codes[i.result_id]}
        for i in framework.indicators
    ]
    return {"code": framework.template_code or "", "results": results, "indicators": indicators}


def renew_framework(
    session: Session, mission: Mission, actor: Actor, *, mandate: str, valid_from: date
) -> ResultsFramework:
    """Start a new version at a mandate renewal: the current tree, indicators and future targets are copied,
    the current version ends the day before; its values and assessments stay with it, readable."""
    require_mission_editor(actor, mission.acronym)
    if not mandate.strip():
        raise ValidationFailed(_("Name the mandate the new version implements, e.g. 'S/RES/2709 (2023)'."))
    current = current_framework(session, mission)
    if valid_from <= current.valid_from:
        raise ValidationFailed(
            f"The new version must start after the current one ({current.valid_from.isoformat()}); "
            f"{valid_from.isoformat()} does not."
        )
    spec = _spec_of(session, current)
    current.valid_to = valid_from - timedelta(days=1)
    framework = ResultsFramework(
        mission_id=mission.id,
        version=current.version + 1,
        title=current.title,
        mandate=mandate.strip(),
        valid_from=valid_from,
        template_code=current.template_code,
        regions=list(current.regions or []),
        created_by=actor.username,
    )
    session.add(framework)
    session.flush()
    _write_spec(session, framework, spec)
    new_ids = {i.code: i.id for i in session.scalars(select(Indicator).where(Indicator.framework_id == framework.id))}
    old_codes = {i.id: i.code for i in current.indicators}
    for target in session.scalars(
        select(IndicatorTarget).where(
            IndicatorTarget.indicator_id.in_(list(old_codes)), IndicatorTarget.period_end >= valid_from
        )
    ):
        session.add(
            IndicatorTarget(
                indicator_id=new_ids[old_codes[target.indicator_id]],
                period=target.period,
                period_start=target.period_start,
                period_end=target.period_end,
                disaggregation=target.disaggregation,
                value=target.value,
                source=target.source,
                rule=target.rule,
                set_by=target.set_by,
            )
        )
    audit.record(
        session,
        actor.username,
        "renew",
        "perf_framework",
        framework.id,
        before={"version": current.version, "valid_to": current.valid_to},
        after={"mission": mission.acronym, "version": framework.version, "mandate": mandate, "valid_from": valid_from},
    )
    return framework


def set_regions(session: Session, framework: ResultsFramework, regions: list[str], actor: Actor) -> list[str]:
    """The regions (sectors, field offices) values of region-disaggregated indicators can be entered for."""
    mission = session.get(Mission, framework.mission_id)
    assert mission is not None
    require_mission_editor(actor, mission.acronym)
    cleaned = list(dict.fromkeys(r.strip() for r in regions if r.strip()))
    bad = [r for r in cleaned if ":" in r or len(r) > 60]
    if bad:
        raise ValidationFailed(
            _("Region {region!r} is not usable: at most 60 characters and no colon.").format(region=bad[0])
        )
    before = list(framework.regions or [])
    framework.regions = cleaned
    audit.record(
        session, actor.username, "regions", "perf_framework", framework.id, before={"regions": before},
        after={"regions": cleaned},
    )  # fmt: skip
    return cleaned


def frameworks_of(session: Session, mission: Mission) -> list[ResultsFramework]:
    query = select(ResultsFramework).where(ResultsFramework.mission_id == mission.id)
    return list(session.scalars(query.order_by(ResultsFramework.version)))


def current_framework(session: Session, mission: Mission) -> ResultsFramework:
    versions = frameworks_of(session, mission)
    if not versions:
        raise NotFound(
            _(
                "{mission} has no results framework yet; create one from the template library (peaceops "
                "performance refresh, or the mission's performance page)."
            ).format(mission=mission.acronym)
        )
    return versions[-1]


def framework_for(session: Session, mission: Mission, version: int | None = None) -> ResultsFramework:
    if version is None:
        return current_framework(session, mission)
    for framework in frameworks_of(session, mission):
        if framework.version == version:
            return framework
    raise NotFound(f"{mission.acronym} has no framework version {version}.")


def framework_at(session: Session, mission: Mission, start: date, end: date) -> ResultsFramework:
    """The newest version valid during [start, end]: the one values and assessments of that period belong to."""
    candidates = [
        f
        for f in frameworks_of(session, mission)
        if f.valid_from <= end and (f.valid_to is None or f.valid_to >= start)
    ]
    if not candidates:
        current_framework(session, mission)  # raises the "no framework" message when there is none
        raise NotFound(f"No framework version of {mission.acronym} covers {start.isoformat()} - {end.isoformat()}.")
    return candidates[-1]


def indicator_by_code(session: Session, framework: ResultsFramework, code: str) -> Indicator:
    indicator = session.scalar(
        select(Indicator).where(Indicator.framework_id == framework.id, Indicator.code == code.strip().upper())
    )
    if indicator is None:
        raise NotFound(f"Indicator {code!r} is not in this framework (version {framework.version}).")
    return indicator


def framework_summary(framework: ResultsFramework, mission: Mission) -> FrameworkVersion:
    return FrameworkVersion(**_version_fields(framework, mission))


def _version_fields(framework: ResultsFramework, mission: Mission) -> dict[str, Any]:
    return {
        "mission": mission.acronym,
        "version": framework.version,
        "title": framework.title,
        "mandate": framework.mandate,
        "valid_from": framework.valid_from.isoformat(),
        "valid_to": framework.valid_to.isoformat() if framework.valid_to else None,
        "template": framework.template_code,
        "created_by": framework.created_by,
        "created_at": framework.created_at.isoformat(timespec="seconds"),
    }


def indicator_fields(indicator: Indicator) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "baseline": indicator.baseline,
        "baseline_period": indicator.baseline_period,
        "frequency": indicator.frequency,
        "disaggregations": list(indicator.disaggregations or []),
        "data_source": indicator.data_source,
        "kind": indicator.kind,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "factor": indicator.factor,
        "derivation": indicator.derivation,
        "aggregation": indicator.aggregation,
        "not_above": indicator.not_above,
    }


def framework_tree(session: Session, framework: ResultsFramework) -> FrameworkTree:
    """The framework as nested objectives -> outcomes -> outputs, each with its indicators; objectives with tags."""
    mission = session.get(Mission, framework.mission_id)
    assert mission is not None
    elements = {
        e.id: ElementTag(code=e.code, kind=e.kind, title=e.title) for e in session.scalars(select(FrameworkElement))
    }
    value_counts = dict(
        session.execute(
            select(Indicator.id, func.count())
            .join_from(Indicator, IndicatorValue)
            .where(Indicator.framework_id == framework.id)
            .group_by(Indicator.id)
        ).all()
    )
    by_result: dict[int, list[IndicatorDefinition]] = {}
    for indicator in framework.indicators:
        by_result.setdefault(indicator.result_id, []).append(
            IndicatorDefinition(**indicator_fields(indicator), values=int(value_counts.get(indicator.id, 0)))
        )
    children: dict[int | None, list[Result]] = {}
    for r in framework.results:
        children.setdefault(r.parent_id, []).append(r)

    def node(r: Result) -> ResultNode:
        objective: dict[str, Any] = {}
        if r.level == "objective":
            tags = sorted((elements[t.element_id] for t in r.tags), key=lambda e: (e.kind, e.code))
            objective = {"mandate_task": r.mandate_task, "tags": tags}
        return ResultNode(
            code=r.code,
            level=r.level,
            title=r.title,
            description=r.description,
            indicators=by_result.get(r.id, []),
            children=[node(c) for c in children.get(r.id, [])],
            **objective,
        )

    versions = [framework_summary(f, mission) for f in frameworks_of(session, mission)]
    return FrameworkTree(
        **_version_fields(framework, mission),
        mission_name=mission.name,
        regions=list(framework.regions or []),
        objectives=[node(r) for r in children.get(None, [])],
        versions=versions,
    )
