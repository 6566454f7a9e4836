"""Posting times from tweet ids, and conflict events near a spike (real UCDP GED rows, 50 km and 7 days)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from peaceops.comms import datasets, items, privacy, snowflake, spikes
from peaceops.comms.models import CommsItem, CommsNarrative
from peaceops.errors import ValidationFailed
from peaceops.store.events import read_event_file, write_events

KEY = privacy.author_key("c" * 40)
# Real rows of ged_central_african_republic.csv.gz: one in the south-east (2009), two in Bangui (2001).
SOUTH_EAST = "36210"  # 2009-02-20, 5.399784 N 26.486881 E
BANGUI_SHORT = "22750"  # 2001-05-27 … 2001-05-28, Bangui city 4.366667 N 18.583333 E
BANGUI_LONG = "22762"  # 2001-05-27 … 2001-06-03, Bangui city
KM_PER_DEGREE_LAT = 6371.0 * 3.141592653589793 / 180


def test_snowflake_ids_give_the_posting_time_and_old_ids_are_refused():
    # 1477440446326624262 is the first row of TRAC 2024 dev_category.csv
    assert snowflake.posted_at("1477440446326624262") == datetime(2022, 1, 2, 0, 43, 46, 577000)
    # the lowest snowflake is the epoch itself
    assert snowflake.posted_at(snowflake.MIN_SNOWFLAKE).date() == date(2010, 11, 4)
    for bad in ("29700000000", "12", "abc", "-5"):  # a pre-2010 sequential id, tiny, not a number, negative
        with pytest.raises(ValidationFailed):
            snowflake.posted_at(bad)


def test_tweet_ids_line_up_with_the_labelled_rows(data_dir: Path):
    trac = datasets.amharic_trac(data_dir)
    ids = datasets.amharic_trac_ids(data_dir, "train")
    assert len(ids) == len(trac.train_texts) and all(ids)
    days = {snowflake.posted_at(i).date() for i in ids}
    assert (min(days), max(days), len(days)) == (date(2022, 1, 1), date(2023, 6, 30), 525)
    ranlp = datasets.amharic_ranlp(data_dir)
    ranlp_ids = datasets.amharic_ranlp_ids(data_dir, "dev")
    assert len(ranlp_ids) == len(ranlp.test_texts) and all(ranlp_ids)  # each row's text matched its id's row


@pytest.fixture(scope="module")
def ged_var(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """An event store with three real GED rows of the Central African Republic, written by write_events."""
    var = tmp_path_factory.mktemp("comms-events")
    rows = read_event_file(data_dir / "ucdp" / "ged" / "ged_central_african_republic.csv.gz")
    rows.records = [r for r in rows.records if r[1]["event_id"] in {SOUTH_EAST, BANGUI_SHORT, BANGUI_LONG}]
    assert write_events(var, rows)["inserted"] == 3
    return var


def north_of(lat: float, lon: float, km: float) -> tuple[float, float]:
    return lat + km / KM_PER_DEGREE_LAT, lon


def ids(found: list[dict]) -> list[str]:
    return [e["event_id"] for e in found]


def test_nearby_events_within_50_km_and_7_days(ged_var: Path, tmp_path: Path):
    se = (5.399784, 26.486881)
    bangui = (4.366667, 18.583333)
    on_the_spot = spikes.nearby_events(ged_var, [se], date(2009, 2, 20))
    assert ids(on_the_spot) == [SOUTH_EAST] and on_the_spot[0]["km"] == 0.0
    at_40 = spikes.nearby_events(ged_var, [north_of(*se, 40)], date(2009, 2, 25))
    assert ids(at_40) == [SOUTH_EAST] and 39.5 <= at_40[0]["km"] <= 40.5
    assert spikes.nearby_events(ged_var, [north_of(*se, 60)], date(2009, 2, 20)) == []  # too far
    assert ids(spikes.nearby_events(ged_var, [se], date(2009, 2, 27))) == [SOUTH_EAST]  # 7 days after: in
    assert spikes.nearby_events(ged_var, [se], date(2009, 2, 28)) == []  # 8 days after: out
    assert spikes.nearby_events(ged_var, [se], date(2009, 2, 12)) == []  # 8 days before: out
    # an event lasting days counts until its last day: 22762 ended 5 days before, 22750 ten days before
    assert ids(spikes.nearby_events(ged_var, [bangui], date(2001, 6, 8))) == [BANGUI_LONG]
    both = spikes.nearby_events(ged_var, [north_of(*bangui, 30), bangui], date(2001, 5, 30))
    assert sorted(ids(both)) == sorted([BANGUI_SHORT, BANGUI_LONG]) and {e["km"] for e in both} == {0.0}
    assert spikes.nearby_events(tmp_path, [bangui], date(2001, 5, 30)) == []  # no event store at all


def test_a_spike_alert_lists_the_conflict_events_near_its_items(db, ged_var: Path):
    """Constructed items (a real day and place: Bangui, fighting of May 2001), real events."""
    rows = [
        {"text": f"post {n}: they are coming to kill us", "source": "constructed", "latitude": 4.40,
         "longitude": 18.55, "posted_at": f"2001-05-29T0{n}:00:00Z"}
        for n in range(6)
    ]  # fmt: skip
    with db.session() as s:
        assert items.add_items(s, "tester", list(enumerate(rows, start=1)), author_key=KEY).added == 6
        narrative = CommsNarrative(key="en:kill", language="en", label="kill, coming", terms=["kill"], size=6,
                                   harmful_share=1.0, method="constructed")  # fmt: skip
        s.add(narrative)
        s.flush()
        s.execute(CommsItem.__table__.update().values(narrative_id=narrative.id, label="hate"))
        found = spikes.alerts(s, ged_var)
    assert len(found) == 1 and found[0]["day"] == "2001-05-29" and found[0]["places_known"] == 6
    assert sorted(ids(found[0]["events_nearby"])) == sorted([BANGUI_SHORT, BANGUI_LONG])
    assert all(e["km"] < 6 for e in found[0]["events_nearby"])


def test_the_demo_times_every_amharic_item_and_backfills_older_demo_items(db, data_dir: Path):
    from peaceops.comms import demo

    rows = demo.item_rows(data_dir)
    timed = [r for _, r in rows if r.posted_at is not None]
    assert len(timed) == 1500 + 1236  # RANLP dev and TRAC dev but 3 copies of training rows; no English or LIAR
    assert {r.provenance for _, r in rows} == {"held_out"}  # the demo monitors held-out rows only
    assert {r.language for r in timed} == {"am"} and all(r.url.startswith("https://twitter.com/") for r in timed)
    first_trac = next(r for _, r in rows if r.source == "demo:amharic-trac2024")
    assert first_trac.posted_at == snowflake.posted_at("1477440446326624262")
    with db.session() as s:  # items an earlier demo stored without a time get theirs
        untimed = [(n, replace(r, posted_at=None, url="")) for n, r in rows if r.source == "demo:amharic-trac2024"]
        assert items.add_items(s, "demo", untimed[:3], author_key=KEY).added == 3
        assert demo.backfill_times(s, rows) == 3
        assert demo.backfill_times(s, rows) == 0
        stored = s.scalars(select(CommsItem).order_by(CommsItem.id)).all()
        expected = [r for _, r in rows if r.source == "demo:amharic-trac2024"][:3]
        assert [(i.posted_at, i.url) for i in stored] == [(r.posted_at, r.url) for r in expected]
