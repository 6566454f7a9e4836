"""Rosters of NGO mediators and of senior envoy candidates, periodically reviewed, built on the Blue Paper's own
words (seed 004).

¶30: "Strengthen partnerships with nongovernmental mediators [...] As a first step toward putting this into
practice DPA's Mediation Support Unit should strengthen and maintain the roster of capable nongovernmental
mediators."
¶38: "The Secretary-General should encourage member states to submit rosters of potential candidates who are
of significantly high stature and to update rosters periodically."
¶8 names the nongovernmental Centre for Humanitarian Dialogue among the mediators in the field.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from roster_support import ANALYST, LAND_REQUEST, OFFICER, VIEWER
from sqlalchemy import select
from support.web import any_csrf_from

from peaceops.errors import NotFound, ValidationFailed
from peaceops.roster import helpdesk, review
from peaceops.roster.experts import clean_expert, expert_out, get_expert, import_experts, list_experts, save_expert
from peaceops.roster.gaps import gap_report
from peaceops.store.audit import AuditEntry

TODAY = date.today()
LONG_AGO = (TODAY - timedelta(days=review.REVIEW_PERIOD_DAYS + 30)).isoformat()
RECENT = (TODAY - timedelta(days=30)).isoformat()
AVAILABLE = "2027-01-01..2027-01-30,fr:native; en:fluent,MLI,confidential"
CSV = f"""name,email,expertise,affiliation,kind,last_reviewed,availability,languages,regions,clearance
Hassan Idris,hassan@hdcentre.example,process_design; land,HD Centre,ngo_mediator,{LONG_AGO},{AVAILABLE}
Marta Solheim,marta@ngo.example,,Norwegian mediation NGO,NGO mediator,{RECENT},,,,
Ambassador Ade,ade@example.org,,Nominated by Ghana,envoy_candidate,,,,,
Aminata Diallo,aminata@example.org,land,Bamako Land Institute,,,{AVAILABLE}
Broken Line,broken@example.org,,Somewhere,technical,,,,,
Future Review,future@example.org,land,Somewhere,ngo_mediator,2999-01-01,,,,
"""


def test_the_rosters_are_kept_apart_reviewed_each_year_and_candidates_shown_to_their_keepers_only(db):
    """An NGO mediator of the HD Centre last reviewed more than a year ago and one reviewed last month (¶30); a
    candidate a member state nominated, never reviewed (¶38); a technical expert on the helpdesk's roster."""
    with db.session() as s:
        done = import_experts(s, ANALYST, CSV, "rosters.csv")
    assert (done.created, [r["line"] for r in done.rejected]) == (4, [6, 7])
    reasons = {r["line"]: r["reason"] for r in done.rejected}
    assert "at least one expertise area is required" in reasons[6], "technical experts need an expertise"
    assert "is in the future" in reasons[7]
    with db.session() as s:
        again = import_experts(s, ANALYST, CSV, "rosters.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4), "a rerun changes nothing"

    with db.session() as s:
        rows = {e.name: e for e in list_experts(s, ANALYST)}
        summary = review.review_summary(s, ["technical", "ngo_mediator", "envoy_candidate"])
    assert {n: (e.kind, e.review_overdue) for n, e in rows.items()} == {
        "Hassan Idris": ("ngo_mediator", True),  # reviewed more than a year ago
        "Marta Solheim": ("ngo_mediator", False),
        "Ambassador Ade": ("envoy_candidate", True),  # never reviewed
        "Aminata Diallo": ("technical", True),
    }
    assert rows["Marta Solheim"].review_due_on == date.fromisoformat(RECENT) + timedelta(days=365)
    assert [(r.kind, r.entries, r.overdue) for r in summary.rosters] == [
        ("technical", 1, 1), ("ngo_mediator", 2, 1), ("envoy_candidate", 1, 1),
    ]  # fmt: skip
    assert summary.period_days == 365

    # candidates for senior posts are read by the rosters' keepers (analysts, administrators) only
    for reader in (VIEWER, OFFICER):
        with db.session() as s:
            assert "Ambassador Ade" not in {e.name for e in list_experts(s, reader)}
            with pytest.raises(NotFound):
                get_expert(s, rows["Ambassador Ade"].id, reader)
    # only technical experts are matched to helpdesk requests and counted in the gap report
    with db.session() as s:
        request = helpdesk.file_request(s, ANALYST, helpdesk.clean_request(LAND_REQUEST))
        ranked = helpdesk.request_detail(s, ANALYST, request.id).matches
        assert [c.name for c in ranked.ranked] == ["Aminata Diallo"], "Hassan Idris knows land but is not matched"
        assert gap_report(s, date(2027, 1, 1)).experts == 1

    # a review recorded today clears the flag and is audited; none in the future
    with db.session() as s:
        hassan = get_expert(s, rows["Hassan Idris"].id, ANALYST)
        review.mark_reviewed(s, ANALYST, hassan)
        assert expert_out(hassan, ANALYST).review_overdue is False
        with pytest.raises(ValidationFailed, match="cannot be dated in the future"):
            review.mark_reviewed(s, ANALYST, hassan, TODAY + timedelta(days=1))
        trail = s.scalars(select(AuditEntry).where(AuditEntry.action == "expert.reviewed")).all()
        assert [(e.entity_id, e.after["last_reviewed_on"]) for e in trail] == [(str(hassan.id), TODAY.isoformat())]
        # an edit that gives no review date keeps the one recorded
        save_expert(s, ANALYST, clean_expert({"name": "Hassan Idris", "email": "hassan@hdcentre.example",
                                              "expertise": "process_design", "kind": "ngo_mediator"}))  # fmt: skip
        assert get_expert(s, hassan.id).last_reviewed_on == TODAY


def test_the_roster_pages_and_api_show_the_rosters_and_their_review(db, make_client):
    with db.session() as s:
        import_experts(s, ANALYST, CSV, "rosters.csv")
    client = make_client(db, local_admin=True)
    api = client.get("/api/roster", params={"kind": "ngo_mediator"}).json()
    assert sorted(e["name"] for e in api["experts"]) == ["Hassan Idris", "Marta Solheim"]
    assert [r["overdue"] for r in api["review"]["rosters"]] == [1, 1, 1]
    overdue = client.get("/api/roster", params={"kind": "ngo_mediator", "overdue": "true"}).json()
    assert [e["name"] for e in overdue["experts"]] == ["Hassan Idris"]
    assert client.get("/api/roster", params={"kind": "diplomats"}).status_code == 422
    page = client.get("/roster", params={"kind": "envoy_candidate"})
    assert page.status_code == 200 and "Ambassador Ade" in page.text and "Hassan Idris" not in page.text
    assert 'id="review-table"' in page.text and "review overdue" in page.text
    expert_id = next(e["id"] for e in api["experts"] if e["name"] == "Hassan Idris")
    client.headers["X-CSRF-Token"] = any_csrf_from(page.text)
    reviewed = client.post(f"/api/roster/{expert_id}/reviewed")
    assert reviewed.status_code == 200 and reviewed.json()["review_overdue"] is False
    assert reviewed.json()["last_reviewed_on"] == TODAY.isoformat()
    csv_head = client.get("/api/roster.csv").text.splitlines()[0]
    assert "kind" in csv_head and "last_reviewed_on" in csv_head and "review_overdue" in csv_head
    french = client.get("/roster", headers={"Accept-Language": "fr"}).text
    assert "Médiateur d’ONG" in french and "Candidat à un poste d’envoyé de haut niveau" in french
