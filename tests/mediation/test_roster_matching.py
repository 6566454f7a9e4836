"""Ranking the roster for a helpdesk request: a constructed roster whose order and scores are worked out by
hand from the documented weights, the reasons given for each part, and experts excluded (not dropped)
for clearance, availability, or being committed to another request over the same dates."""

from __future__ import annotations

from datetime import date

import pytest
from roster_support import ANALYST, EXPECTED_ORDER, EXPECTED_SCORES, LAND_REQUEST, build_roster

from peaceops.errors import ValidationFailed
from peaceops.roster import experts as roster
from peaceops.roster import helpdesk, matching
from peaceops.roster.matching import WEIGHTS, covered_days
from peaceops.roster.models import HelpRequest


def test_the_public_names_are_pinned():
    assert set(matching.__all__) == {"WEIGHTS", "Candidate", "Need", "covered_days", "rank"}
    assert set(roster.__all__) >= {"clean_expert", "save_expert", "import_experts", "list_experts", "can_see_contacts"}
    assert set(helpdesk.__all__) >= {"file_request", "move_request", "request_detail", "list_requests"}
    assert all(hasattr(module, name) for module in (matching, roster, helpdesk) for name in module.__all__)


def test_covered_days_counts_overlapping_windows_once():
    windows = [(date(2027, 1, 1), date(2027, 1, 10)), (date(2027, 1, 5), date(2027, 1, 20))]
    assert covered_days(windows, date(2027, 1, 8), date(2027, 1, 31)) == 13
    assert covered_days(windows, date(2027, 2, 1), date(2027, 2, 5)) == 0
    assert sum(WEIGHTS.values()) == 100


def test_ranking_orders_experts_with_reasons_and_shows_the_excluded(db):
    ids = build_roster(db)
    with db.session() as s:
        filed = helpdesk.file_request(s, ANALYST, helpdesk.clean_request(LAND_REQUEST))
        matches = helpdesk.request_detail(s, ANALYST, filed.id).matches
        request_id = filed.id

    assert [c.name for c in matches.ranked] == EXPECTED_ORDER
    assert [c.score for c in matches.ranked] == EXPECTED_SCORES
    assert matches.without_expertise == 1  # Greta: elections only
    by_name = {c.name: c for c in matches.ranked}
    assert by_name["Aminata Diallo"].reasons == [
        "Expertise: Land (+40).",
        "Clearance UN confidential meets the required UN confidential.",
        "Available 30 of the 30 days requested (+25.0 of 25).",
        "Languages: French native, English fluent (+20.0 of 20).",
        "Region: has worked on Mali (+15 of 15).",
    ]
    bruno = by_name["Bruno Keita"]
    assert bruno.parts == {"expertise": 40.0, "availability": 12.5, "languages": 17.5, "region": 6.0}
    assert "Available 15 of the 30 days requested (+12.5 of 25)." in bruno.reasons
    assert "Languages: French native, English working (+17.5 of 20)." in bruno.reasons
    assert any("Niger, in the same sub-region (Western Africa)" in r for r in bruno.reasons)
    chen = by_name["Chen Wei"]
    assert chen.reasons[0] == "Related expertise: Natural resources, close to Land (+20 of 40)."
    assert "Region: has worked in Western Africa, which holds Mali (+10 of 15)." in chen.reasons
    assert "Languages: no French, no English (+0.0 of 20)." in by_name["Dara Oyelaran"].reasons

    excluded = {c.name: c.excluded for c in matches.excluded}
    assert excluded == {
        "Esi Mensah": ["Clearance None is below the required UN confidential."],
        "Farid Haddad": ["Not available on any day from 2027-01-01 to 2027-01-30."],
    }

    # Aminata goes to another request over overlapping dates: she is then excluded here, with the reason.
    with db.session() as s:
        other = helpdesk.file_request(s, ANALYST, helpdesk.clean_request({**LAND_REQUEST, "title": "Other talks"}))
        helpdesk.move_request(s, ANALYST, other.id, "matched", expert_id=ids["Aminata Diallo"])
        again = helpdesk.request_detail(s, ANALYST, request_id).matches
        assert [c.name for c in again.ranked] == EXPECTED_ORDER[1:]
        held = {c.name: c.excluded for c in again.excluded}["Aminata Diallo"]
        assert held == [f"Already committed to request {other.id} (2027-01-01 to 2027-01-30)."]
        with pytest.raises(ValidationFailed, match="not among the ranked experts"):
            helpdesk.move_request(s, ANALYST, request_id, "matched", expert_id=ids["Esi Mensah"])
        assert s.get(HelpRequest, request_id).status == "open"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("expertise", "astrology", "is not an expertise area"),
        ("languages", ["xx"], "is not an ISO 639-1 language code"),
        ("region", "Atlantis", "neither an ISO 3166 alpha-3 country code"),
        ("needed_to", "2026-12-01", "Needed until is before needed from"),
        ("clearance", "top_secret", r"is not one the roster records; use none \(None\), confidential"),
    ],
)
def test_request_validation_names_the_field(field, value, message):
    with pytest.raises(ValidationFailed, match=message):
        helpdesk.clean_request({**LAND_REQUEST, field: value})
