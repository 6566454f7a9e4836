"""An alert's summary is written in the reader's language on its page, in the JSON API and in the regional
situation room; an alert stored before summaries were written from facts shows its stored text."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support.conflict import stored_run

from peaceops.access.models import User
from peaceops.conflict.models import ConflictAlert
from peaceops.store import Database

CAR = 482
NBSP = "\u00a0"
FRENCH = (
    f"République centrafricaine{NBSP}: aucun mois à 25 morts ou plus depuis un an, mais le risque d’en connaître un "
    f"dans les 3 prochains mois est de 42{NBSP}% (contre 12{NBSP}% un mois plus tôt)."
)
ENGLISH = (
    "Central African Republic: no month with 25+ deaths in the past year, but the risk of one in the next 3 months "
    "is 42% (was 12% a month earlier)."
)
OLD_TEXT = "Central African Republic: an alert written before summaries were stored as facts."


@pytest.fixture
def alerts(db_with_users: Database) -> tuple[int, int]:
    """A run and two early-entry alerts on the Central African Republic: one with its facts, one from before."""
    evidence = {"risk": 0.42, "risk_before": 0.12, "expected_next_3": 3.0, "observed": [], "forecast": [],
                "neighbours": [], "events": []}  # fmt: skip
    with db_with_users.write() as s:
        run = stored_run(s, "cm")
        made = []
        for facts, stored, status in (({"sb_best_roll3": 0}, ENGLISH, "new"), ({}, OLD_TEXT, "closed")):
            alert = ConflictAlert(kind="early_entry", level="cm", unit_id=CAR, country_gw=CAR, run_id=run.id,
                                  cutoff=run.cutoff, risk=0.42, risk_before=0.12, evidence={**evidence, **facts},
                                  summary=stored, status=status, note="", updated_by="t")  # fmt: skip
            s.add(alert)
            s.flush()
            made.append(alert.id)
        viewer = s.scalar(select(User).where(User.username == "viewer"))
        assert viewer is not None
        viewer.locale = "fr"
    return made[0], made[1]


def test_a_french_reader_sees_the_alerts_summary_in_french(alerts, signed_in):
    new, old = alerts
    client = signed_in("viewer")
    page = client.get(f"/conflict/alerts/{new}")
    assert page.status_code == 200 and '<html lang="fr"' in page.text
    assert FRENCH in page.text and "no month with 25+ deaths" not in page.text
    detail = client.get(f"/api/conflict/alerts/{new}").json()
    assert detail["summary"] == FRENCH and detail["name"] == "République centrafricaine"
    assert client.get(f"/conflict/alerts/{old}").text.count(OLD_TEXT) == 1, "no facts: the stored text"


def test_the_regional_room_names_and_summarises_the_alert_in_the_readers_language(alerts, signed_in):
    new, _old = alerts
    english, french = signed_in("analyst"), signed_in("viewer")
    assert ENGLISH in english.get(f"/conflict/alerts/{new}").text
    for client, summary in ((english, ENGLISH), (french, FRENCH)):
        assert [a["summary"] for a in client.get("/api/regions/017").json()["alerts"]["other"]] == [summary]
    page = french.get("/regions/017").text
    listed = page[page.index('id="region-alerts"') :]
    assert "République centrafricaine" in listed[: listed.index("</ul>")]
