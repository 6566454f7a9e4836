"""Mandate overlap that understands regions, and the system-wide review of envoys' mandates, built on the Blue
Paper's own situation (seed 004).

¶18: "Since the end of the Cold War, the number of envoys and representatives of the Secretary-General has
risen dramatically, from ten to sixty-three. This has occurred largely in an ad hoc manner, with overlap of
mandates increasing as well."
¶33: "The Secretary-General [...] should conduct a systematic review of the mandates of his representatives
and envoys, their overlap, and their relationship with the Security Council."
¶47: "One way to improve the understanding of such conflicts would be to more frequently assign
subregional, instead of national, mandates to representatives or envoys of the UN."
"""

from __future__ import annotations

from datetime import date
from typing import Any

from peaceops.access.policy import Actor
from peaceops.processes import mandates
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process, process_detail

TODAY = date(2026, 6, 1)
ANALYST = Actor("mandates-analyst", "analyst")


def envoy(name: str, org: str, area: str, start: str, end: str | None = None, **extra: Any) -> dict[str, Any]:
    kind = {"United Nations": "un", "African Union": "regional"}.get(org, "state")
    return {"name": name, "organisation": org, "kind": kind, "mandate_area": area, "started_on": start,
            "ended_on": end, **extra}  # fmt: skip


def _record(db) -> dict[str, int]:
    """A sub-regional UN mandate beside national ones (¶47), as the Blue Paper describes them multiplying
    (¶18): a UN envoy for Middle Africa; the UN's envoy for the Central African Republic, a country of
    Middle Africa; the AU's envoy there (another body: the lead question, not an overlap); a UN envoy for
    Western Africa (another sub-region); a UN envoy for Chad whose mandate ended before the sub-regional one
    began; and a mandate written as a conflict name, which is no place."""
    processes = {
        "Central Africa regional track": ("Central Africa", [
            envoy("Regional Envoy", "United Nations", "Middle Africa", "2025-01-01", title="SRSG for Central Africa"),
        ]),
        "CAR political dialogue": ("Central African Republic: Government", [
            envoy("Country Envoy", "United Nations", "Central African Republic", "2024-03-01", title="SRSG for CAR",
                  lead=True),
            envoy("AU Envoy", "African Union", "CAF", "2024-06-01", title="AU High Representative"),
        ]),
        "Sahel talks": ("Sahel", [
            envoy("Sahel Envoy", "United Nations", "Western Africa", "2024-01-01", title="Special Envoy"),
        ]),
        "Chad dialogue": ("Chad: Government", [
            envoy("Former Chad Envoy", "United Nations", "Chad", "2020-01-01", "2024-12-31", title="Special Envoy"),
        ]),
        "Great Lakes framework": ("Great Lakes", [
            envoy("Lakes Envoy", "United Nations", "Great Lakes region", "2024-01-01", title="Special Envoy"),
        ]),
    }  # fmt: skip
    ids = {}
    with db.session() as s:
        for name, (conflict, envoys) in processes.items():
            doc = ProcessDoc(name=name, conflict=conflict, phase="negotiation", phase_since=date(2024, 1, 1),
                             mediators=envoys)  # fmt: skip
            ids[name] = create_process(s, ANALYST, doc, today=TODAY).id
    return ids


def test_a_mandate_area_is_read_as_a_sub_region_a_country_or_a_bare_name():
    assert mandates.place_of("Middle Africa") == mandates.Place("subregion", "017", "Middle Africa")
    assert mandates.place_of("17").code == "017" and mandates.place_of("middle  africa").code == "017"
    car = mandates.place_of("Central African Republic")
    assert (car.kind, car.code, car.subregion) == ("country", "CAF", "017")
    assert mandates.place_of("CAF") == car and mandates.place_of("DR Congo").code == "COD"
    assert mandates.place_of("CAR").kind == "named", "not an ISO code: a name, not guessed"
    assert mandates.place_of("Great Lakes region") == mandates.Place(
        "named", "great lakes region", "Great Lakes region"
    )
    assert mandates.relation(mandates.place_of("Middle Africa"), car) == "within"
    assert mandates.relation(car, mandates.place_of("Middle Africa")) == "covers"
    assert mandates.relation(car, mandates.place_of("Western Africa")) is None


def test_a_sub_regional_envoy_overlaps_the_country_envoy_of_the_same_body_in_that_region(db):
    """¶47's sub-regional mandate meets a national one of the same body (¶18): both processes warn; the AU's
    envoy in the same country, the envoy of another sub-region and the envoy whose mandate had ended do not."""
    ids = _record(db)
    with db.session() as s:
        shown = {name: process_detail(s, pid, today=TODAY) for name, pid in ids.items()}
    (regional,) = shown["Central Africa regional track"].warnings
    assert regional.check == "overlapping-mandates" and "§18 and §33" in regional.reason
    assert regional.message == (
        "Regional Envoy (SRSG for Central Africa, mandate on Middle Africa) and Country Envoy (SRSG for CAR, mandate "
        "on Central African Republic) in the process CAR political dialogue both hold United Nations mandates and "
        "Central African Republic lies in Middle Africa: they overlap from 2025-01-01 with no end date."
    )
    (national,) = shown["CAR political dialogue"].warnings
    assert "Country Envoy (SRSG for CAR, mandate on Central African Republic) and Regional Envoy" in national.message
    assert "in the process Central Africa regional track" in national.message
    assert "Central African Republic lies in Middle Africa" in national.message
    for quiet in ("Sahel talks", "Chad dialogue", "Great Lakes framework"):
        assert shown[quiet].warnings == [], quiet


def test_the_review_lists_every_envoy_with_scope_dates_and_overlaps_by_mandating_body(db, make_client):
    """¶33's systematic review: envoys by body, the place each mandate covers, their dates and overlaps."""
    _record(db)
    with db.session() as s:
        review = mandates.review(s, today=TODAY)
    assert (review.envoys, review.overlaps) == (5, 1), "the Chad envoy's mandate ended; one overlapping pair"
    bodies = {b.organisation: b for b in review.organisations}
    assert list(bodies) == ["African Union", "United Nations"]
    un = bodies["United Nations"]
    assert (un.envoys, un.overlapping) == (4, 2)
    order = [(m.name, m.scope.kind, m.scope.code) for m in un.mandates]
    assert order == [
        ("Regional Envoy", "subregion", "017"),
        ("Sahel Envoy", "subregion", "011"),
        ("Country Envoy", "country", "CAF"),
        ("Lakes Envoy", "named", None),
    ], "sub-regional mandates first, then countries, then unplaced names"
    regional = un.mandates[0]
    assert regional.scope.label == "Middle Africa (UN sub-region 017)"
    assert [(o.name, o.relation, o.starts_on, o.ends_on) for o in regional.overlaps] == [
        ("Country Envoy", "within", "2025-01-01", None)
    ]
    assert [o.relation for o in un.mandates[2].overlaps] == ["covers"]
    assert bodies["African Union"].mandates[0].overlaps == [], "another body: a lead question, not an overlap"
    with db.session() as s:
        before = mandates.review(s, today=date(2024, 12, 1))
    assert "Former Chad Envoy" in {m.name for b in before.organisations for m in b.mandates}
    assert before.overlaps == 1, "in 2024 the regional mandate is already appointed (it starts in 2025)"

    client = make_client(db, local_admin=True)
    api = client.get("/api/processes/mandates", params={"on": TODAY.isoformat()})
    assert api.status_code == 200 and api.json() == review.model_dump(mode="json")
    page = client.get("/processes/mandates", params={"on": TODAY.isoformat()})
    assert page.status_code == 200
    assert 'id="stat-overlaps">1<' in page.text and "a country in this sub-region" in page.text
    assert "Middle Africa (UN sub-region 017)" in page.text
    french = client.get("/processes/mandates", params={"on": TODAY.isoformat()}, headers={"Accept-Language": "fr"})
    assert "Examen des mandats des envoyés" in french.text and "Afrique centrale (sous-région 017 de l" in french.text
