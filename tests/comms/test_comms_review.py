"""Items in (import errors, idempotence, language, duplicates), author privacy, and the review workflow."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from peaceops.access import compartments
from peaceops.comms import classifier, items, lexicon, privacy
from peaceops.comms.models import CommsAuthor, CommsItem, CommsReview, CommsTask
from peaceops.sources.tabular import decode
from peaceops.store.audit import AuditEntry

KEY = privacy.author_key("c" * 40)  # the key the test app derives from its settings' secret
CSV = """text,source,external_id,author,platform,posted_at,latitude,longitude,url
"RT @a: The mission is lying, all the Nuer are snakes",monitor,1,@Rumour_Mill,twitter,2024-03-01T10:00:00Z,9.5,31.6,https://x.org
"the mission is lying all the nuer are snakes!!",monitor,2,@copycat,twitter,2024-03-01T11:00:00Z,,,
,monitor,3,,,,,,
"ሠላም ለሁላችሁ ባንዳዎች ናቸው",monitor,4,,facebook,yesterday,,,
"Football tonight at the stadium",monitor,5,,,,,200,
"Football tonight at the stadium, everyone welcome",monitor,6,,,,,,ftp://x
"ሰላም ለሁላችሁ፣ ዛሬ ስብሰባ አለ",monitor,7,,facebook,,,,
"""


def test_import_reports_each_bad_row_keeps_good_ones_and_never_duplicates(db):
    with db.session() as s:
        lexicon.upsert_term(s, "t", lexicon.TermInput("snakes", "en", "SSD", ("snake",), severity=3))
        lexicon.upsert_term(s, "t", lexicon.TermInput("ባንዳ", "am", severity=2))
        report = items.import_text(s, "tester", CSV, "csv", author_key=KEY)
    assert (report.rows_read, report.added) == (7, 3)
    reasons = {r.line: r.reason for r in report.rejected}
    assert sorted(reasons) == [4, 5, 6, 7]
    assert reasons[4] == "text is empty"
    assert "posted_at 'yesterday'" in reasons[5]
    assert reasons[6] == "longitude 200.0 is outside -180…180"
    assert "does not start with http" in reasons[7]

    with db.session() as s:  # the same file again: nothing new
        again = items.import_text(s, "tester", CSV, "csv", author_key=KEY)
        assert (again.added, again.unchanged) == (0, 3)
        assert s.scalar(select(func.count()).select_from(CommsItem)) == 3
        line = '{"text": "the mission is lying", "source": "api"}\n'
        jsonl = line + "not json\n[1]\n" + line
        j = items.import_text(s, "tester", jsonl, "jsonl", author_key=KEY)
        assert (j.added, j.unchanged, [r.line for r in j.rejected]) == (1, 1, [2, 3])

        grouped = items.regroup_duplicates(s)
        rows = {i.external_id: i for i in s.scalars(select(CommsItem).where(CommsItem.source == "monitor"))}
        assert grouped == 2 and rows["1"].duplicate_of == rows["2"].duplicate_of == rows["1"].id
        assert rows["7"].duplicate_of is None
        assert (rows["1"].language, rows["1"].language_method) == ("en", "model")
        assert (rows["7"].language, rows["7"].language_method) == ("am", "script")
        assert rows["1"].posted_at.isoformat() == "2024-03-01T10:00:00"

        # the handle is never stored with the item: only its keyed hash
        assert rows["1"].author_hash == privacy.hash_author(KEY, "twitter", "rumour_mill")
        assert "Rumour" not in json.dumps([rows["1"].text, rows["1"].author_hash])
        assert (
            s.scalar(select(CommsAuthor.handle).where(CommsAuthor.author_hash == rows["1"].author_hash))
            == "@Rumour_Mill"
        )

        scored = classifier.score_items(s, {})  # no model: the lexicon alone flags
        assert scored == 4
        s.refresh(rows["1"])
        assert rows["1"].status == "flagged" and rows["1"].model_version == "lexicon-only"
        assert [(h["term"], h["how"]) for h in rows["1"].lexicon_hits] == [("snakes", "exact")]
        assert rows["7"].status == "new"


def test_author_privacy_and_the_review_workflow(db, client_as, comms_models):
    _, models = comms_models
    with db.session() as s:
        lexicon.upsert_term(s, "t", lexicon.TermInput("snakes", "en", "SSD", severity=3))
        items.import_text(s, "tester", CSV, "csv", author_key=KEY)
        items.import_text(
            s,
            "tester",
            "text,source\nyou are a stupid bitch lol,monitor\nlovely weather in Juba today,monitor\n",
            "csv",
            author_key=KEY,
        )
        classifier.score_items(s, models)
        ids = dict(s.execute(select(CommsItem.external_id, CommsItem.id)).all())
        flagged = set(s.scalars(select(CommsItem.id).where(CommsItem.status == "flagged")))
    assert ids["1"] in flagged

    viewer = client_as("cv-viewer", "viewer")
    analyst = holder = client_as("cv-holder", "analyst")
    # before the grant the analyst sees the keyed hash like everyone else; after it, the handle
    assert holder.get(f"/api/comms/items/{ids['1']}").json()["author"].startswith("hash:")
    with db.session() as s:
        compartments.grant(s, "cv-holder", privacy.AUTHORS_COMPARTMENT, actor="admin")

    seen_by_viewer = viewer.get(f"/api/comms/items/{ids['1']}").json()
    assert seen_by_viewer["author"].startswith("hash:") and not seen_by_viewer["author_visible"]
    assert "Rumour_Mill" not in viewer.get("/comms/queue").text
    assert holder.get(f"/api/comms/items/{ids['1']}").json()["author"] == "@Rumour_Mill"
    assert "@Rumour_Mill" in holder.get(f"/comms/items/{ids['1']}").text

    # viewers read the queue but cannot decide
    queue = viewer.get("/api/comms/queue").json()
    assert ids["1"] in {i["id"] for i in queue["items"]}
    refused = viewer.post(f"/api/comms/items/{ids['1']}/review", json={"action": "confirm"})
    assert refused.status_code == 403

    # confirm by form (as the queue page does), dismiss and escalate by API
    page = analyst.get("/comms/queue").text
    assert f'action="/comms/items/{ids["1"]}/review"' in page
    done = analyst.post(
        f"/comms/items/{ids['1']}/review", data={"action": "confirm", "label": "hate"}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"].endswith(f"saved={ids['1']}")
    assert analyst.post(f"/api/comms/items/{ids['2']}/review", json={"action": "bogus"}).status_code == 422
    other = next(i for i in sorted(flagged) if i != ids["1"])
    dismissed = analyst.post(f"/api/comms/items/{other}/review", json={"action": "dismiss", "note": "song lyric"})
    assert dismissed.json()["status"] == "dismissed"
    esc = analyst.post(
        f"/api/comms/items/{ids['2']}/review",
        json={"action": "escalate", "task_owner": "spokesperson", "task_due": "2030-01-31"},
    )
    assert esc.status_code == 200 and esc.json()["status"] == "escalated"

    with db.session() as s:
        task = s.scalar(select(CommsTask))
        assert (task.owner, task.due_on.isoformat(), task.status) == ("spokesperson", "2030-01-31", "open")
        actions = [a.action for a in s.scalars(select(AuditEntry).where(AuditEntry.entity == "comms_item"))]
        assert actions.count("confirm") == 1 and actions.count("dismiss") == 1 and actions.count("escalate") == 1
        assert s.scalar(select(func.count()).select_from(CommsReview)) == 3
        retrain = classifier.retraining_rows(s)
    # confirm keeps the analyst's label, dismiss teaches "normal"; escalation is not a label
    assert sorted(label for _, label in retrain["harm-en"]) == ["hate", "normal"]

    moved = analyst.post(f"/api/comms/tasks/{task.id}/status", json={"status": "done"})
    assert moved.json()["status"] == "done"
    assert viewer.post(f"/api/comms/tasks/{task.id}/status", json={"status": "open"}).status_code == 403
    # lexicon editing in the app: analysts add and deactivate terms (audited), viewers cannot
    added = analyst.post("/api/comms/lexicon", json={"term": "cockroaches", "language": "en", "severity": 3})
    assert added.status_code == 201 and added.json()["outcome"] == "added"
    assert viewer.post("/api/comms/lexicon", json={"term": "x", "language": "en"}).status_code == 403
    term_id = added.json()["id"]
    assert analyst.post(f"/api/comms/lexicon/{term_id}/deactivate").json() == {"id": term_id, "active": False}
    with db.session() as s:
        assert "cockroaches" not in {h["term"] for h in lexicon.matcher(s, "en").match("they are cockroaches")}

    schema = viewer.get("/api/openapi.json").json()
    assert {"/api/comms", "/api/comms/queue", "/api/comms/items/{item_id}/review"} <= set(schema["paths"])
    overview = viewer.get("/api/comms").json()
    assert overview["queue_counts"]["confirmed"] == 1 and overview["tasks"][0]["owner"] == "spokesperson"
    assert overview["timing"]["time_unknown"] == 3  # two CSV rows had a time, the two typed ones did not


def test_a_harmful_narrative_growing_abnormally_raises_an_alert_listing_its_items(db):
    """Constructed timing (the shared sets have none): 2 items a day for two weeks, then 12 in a day."""
    from datetime import datetime, timedelta

    from peaceops.comms import spikes
    from peaceops.comms.models import CommsNarrative

    start = datetime(2024, 5, 1, 9)
    rows = [
        {"text": f"post {day}-{n} the blue helmets bring disease", "source": "constructed", "posted_at": (
            start + timedelta(days=day, minutes=n)).isoformat(), "latitude": 4.85, "longitude": 31.58}
        for day, count in enumerate([2] * 14 + [12])
        for n in range(count)
    ]  # fmt: skip
    rows.append({"text": "an undated post about blue helmets", "source": "constructed"})
    with db.session() as s:
        report = items.add_items(s, "tester", list(enumerate(rows, start=1)), author_key=KEY)
        assert report.added == 41
        calm = CommsNarrative(key="en:helmets", language="en", label="helmets, disease", terms=["helmets"], size=41,
                              harmful_share=0.8, method="constructed")  # fmt: skip
        s.add(calm)
        s.flush()
        s.execute(CommsItem.__table__.update().values(narrative_id=calm.id, label="hate"))
        found = spikes.alerts(s, None)
        series = spikes.series(s, calm.id)
        assert series["time_unknown"] == 1 and len(series["days"]) == 15
        calm.harmful_share = 0.2  # the same growth in a narrative that is not harmful raises nothing
        s.flush()
        assert spikes.alerts(s, None) == []
    assert len(found) == 1
    alert = found[0]
    assert (alert["day"], alert["count"], alert["baseline"]) == ("2024-05-15", 12, 2.0)
    assert len(alert["item_ids"]) == 12 and alert["places_known"] == 12


def test_an_item_line_that_cannot_be_read_is_rejected_alone(db):
    content = decode(
        b"text,source,external_id\n"
        + "Réunion à Bria ce soir,monitor,u1\n".encode()
        + "Réunion à Bangui,monitor,u2\n".encode("latin-1")  # not UTF-8
        + b'"never closed,monitor,u3\n'
        + "Marché de Bambari,monitor,u4\n".encode()
    )
    with db.session() as s:
        report = items.import_text(s, "tester", content, "csv", author_key=KEY, source="mixed.csv")
        stored = sorted(s.scalars(select(CommsItem.text).where(CommsItem.external_id.in_(["u1", "u2", "u3", "u4"]))))
    assert (report.rows_read, report.added) == (4, 2)
    reasons = {r.line: r.reason for r in report.rejected}
    assert sorted(reasons) == [3, 4]
    assert reasons[3].startswith("the line is not UTF-8 text (byte 0xe9)")
    assert reasons[4].startswith("the line opens a quote that is never closed")
    assert stored == ["Marché de Bambari", "Réunion à Bria ce soir"]

    jsonl = decode('{"text": "Réunion", "source": "m", "id": "j1"}\n'.encode() + b'{"text": "R\xe9union"}\n')
    assert [type(row).__name__ for _, row in items.parse(jsonl, "jsonl")] == ["dict", "str"]
