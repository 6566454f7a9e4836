"""A mission officer who follows a link to another mission's incident (issue 17, part 4): a page that says
why, in their language, and where their own mission's incidents are, never an empty form."""

from __future__ import annotations

import html
import re

import pytest

REPORT = {
    "occurred_at": "2024-09-20 06:30",
    "category": "attack_peacekeepers",
    "subcategory": "ambush",
    "longitude": 16.078,
    "latitude": 7.245,
    "actors": ["Unidentified armed group"],
    "casualties": {"peacekeepers_injured": 1},
    "source_type": "patrol",
    "reliability": "B",
    "credibility": 2,
    "description": "A convoy was ambushed.",
}


@pytest.fixture(scope="module")
def minusca_incident(client_for) -> int:
    response = client_for("reporter").post("/api/incidents", json=REPORT)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.mark.parametrize("path", ["/incidents/{id}", "/incidents/{id}/edit"])
def test_another_missions_incident_link_explains_and_points_to_the_officers_own(client_for, minusca_incident, path):
    outsider = client_for("outsider")  # a MONUSCO officer
    outsider.cookies.set("peaceops_lang", "fr")
    try:
        page = outsider.get(path.format(id=minusca_incident))
    finally:
        outsider.cookies.delete("peaceops_lang")
    assert page.status_code == 403
    text = html.unescape(page.text)
    assert "MONUSCO" in text and "hors de votre périmètre" in text, "why, in French"
    assert "outside your scope" not in text
    if path == "/incidents/{id}":
        assert "Vous travaillez sur MONUSCO\xa0; les données de MINUSCA de ce type (rapports d’incident)" in text
    steps = re.search(r'<ul class="next-steps" id="next-steps">(.*?)</ul>', page.text, re.S)
    assert steps and 'href="/incidents?mission=MONUSCO"' in steps.group(1), "the way to the officer's own incidents"
    assert 'name="category"' not in page.text and "A convoy was ambushed." not in page.text, "no form, no record"
