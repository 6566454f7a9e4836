"""A process on one time axis: phase changes, mediator appointments and departures, agreements signed."""

from __future__ import annotations

from datetime import date
from typing import Any

from peaceops.i18n import N_, _
from peaceops.processes.shapes import ProcessDetail, Timeline, TimelineEvent

KIND_LABELS = {
    "phase": N_("Phase change"),
    "appointment": N_("Mediator appointed"),
    "end": N_("Mediator left"),
    "agreement": N_("Agreement signed"),
}


def timeline_events(detail: ProcessDetail) -> list[TimelineEvent]:
    """Dated events of a process (from ``process_detail``), oldest first; undated agreements are left out."""
    events: list[dict[str, Any]] = []
    for p in detail.phases:
        begins = _("{phase} phase begins").format(phase=p.label)
        events.append({"date": p.started_on, "kind": "phase", "label": begins, "detail": p.note, "url": None})
    for m in detail.mediators:
        role = m.title or (_("core team") if m.core_team else _("mediator"))
        names = {"name": m.name, "organisation": m.organisation, "role": role}
        if m.lead:
            appointed = _("{name} ({organisation}, {role}) appointed, agreed lead").format(**names)
        else:
            appointed = _("{name} ({organisation}, {role}) appointed").format(**names)
        events.append({"date": m.started_on, "kind": "appointment", "label": appointed,
                       "detail": m.mandate, "url": None})  # fmt: skip
        if m.ended_on:
            leaves = _("{name} ({organisation}, {role}) leaves").format(**names)
            events.append({"date": m.ended_on, "kind": "end", "label": leaves, "detail": "", "url": None})
    for a in detail.agreements:
        if a.signed_on:
            ident = f"PA-X {a.pax_id}" if a.pax_id else f"UCDP {a.ucdp_paid}"
            stage = _(a.stage_label) if a.stage_label else "–"
            note = _("{ident}; stage: {stage}").format(ident=ident, stage=stage)
            events.append({"date": a.signed_on, "kind": "agreement", "label": a.title, "detail": note,
                           "url": f"/agreements/{a.id}"})  # fmt: skip
    order = list(KIND_LABELS)
    events.sort(key=lambda e: (e["date"], order.index(e["kind"])))
    return [TimelineEvent(kind_label=_(KIND_LABELS[e["kind"]]), **e) for e in events]


def timeline(detail: ProcessDetail) -> Timeline:
    """The process's dated events, oldest first, with the process they belong to."""
    return Timeline(process_id=detail.id, name=detail.name, events=timeline_events(detail))


def timeline_lanes(detail: ProcessDetail, today: date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Intervals for the chart: each phase until the next (or today), each mediator's tenure, agreements."""
    end_of_view = (today or date.today()).isoformat()
    phases = detail.phases
    phase_spans = [
        {"lane": _("Phase"), "label": p.label, "start": p.started_on,
         "end": phases[i + 1].started_on if i + 1 < len(phases) else end_of_view}
        for i, p in enumerate(phases)
    ]  # fmt: skip
    tenures = [
        {"lane": _("{name} (lead)").format(name=m.name) if m.lead else m.name, "organisation": m.organisation,
         "kind": _("{kind} · core team").format(kind=m.kind_label) if m.core_team else m.kind_label,
         "start": m.started_on,
         "end": m.ended_on or end_of_view, "open": m.ended_on is None}
        for m in detail.mediators
    ]  # fmt: skip
    agreements = [
        {
            "lane": _("Agreements"),
            "title": a.title,
            "date": a.signed_on,
            "stage": _(a.stage_label) if a.stage_label else "–",
        }
        for a in detail.agreements
        if a.signed_on
    ]
    return {"phases": phase_spans, "tenures": tenures, "agreements": agreements}
