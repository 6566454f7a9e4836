"""Labelled corpora stay apart from monitored items: training rows are never shown, held-out rows are marked.

Also: narrative titles are distinctive terms with lexicon words masked (at most one a title).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text, update

from peaceops.access.policy import Actor
from peaceops.comms import items, narratives, privacy, review, spikes
from peaceops.comms.lexicon import Matcher
from peaceops.comms.models import CommsItem, CommsNarrative
from peaceops.comms.scope import EVERYTHING
from peaceops.errors import NotFound
from peaceops.store import Database
from peaceops.store.database import MIGRATIONS, upgrade

KEY = privacy.author_key("c" * 40)
ANALYST = Actor(username="ana", role="analyst")


def _add(session, source: str, provenance: str, n: int, day: datetime) -> list[int]:
    rows = [
        (i, items.ItemInput(text=f"{source} post number {i} about the road", source=source, external_id=f"x{i}",
                            language="en", posted_at=day, provenance=provenance))
        for i in range(n)
    ]  # fmt: skip
    items.add_items(session, "test", rows, author_key=KEY)
    return list(session.scalars(select(CommsItem.id).where(CommsItem.source == source)))


def test_training_rows_never_reach_the_queue_narratives_spikes_or_item_answers(db: Database):
    day = datetime(2023, 5, 2)
    with db.session() as s:
        training = _add(s, "corpus:train", "training", 8, day)
        held_out = _add(s, "corpus:dev", "held_out", 3, day)
        s.execute(update(CommsItem).values(status="flagged", label="hate", score=0.9))
        narrative = CommsNarrative(key="en:road", language="en", label="road", method="test", harmful_share=1.0)
        s.add(narrative)
        s.flush()
        s.execute(update(CommsItem).values(narrative_id=narrative.id))
        q = review.queue(s, frozenset(), limit=100)
        assert sorted(i["id"] for i in q["items"]) == held_out and q["total"] == 3
        assert {i["provenance"] for i in q["items"]} == {"held_out"} and q["counts"] == {"flagged": 3}
        assert review.queue(s, frozenset(), limit=100, visible=EVERYTHING.where())["total"] == 3
        assert narratives.list_narratives(s)[0]["items"] == 3
        assert spikes.timing_summary(s) == {"items": 3, "with_time": 3, "time_unknown": 0}
        # 11 items on one day would be a spike (≥ 5); the 3 shown ones are not
        assert spikes.series(s, narrative.id)["days"] == [{"day": "2023-05-02", "items": 3}]
        assert spikes.alerts(s) == []
        assert not EVERYTHING.sees(s.get(CommsItem, training[0]))
        with pytest.raises(NotFound):
            review.decide(s, ANALYST, training[0], review.Decision("confirm", "hate"))
        s.execute(update(CommsItem).values(status="new", narrative_id=None, label="", score=None, model_version=""))
        # scoring and duplicate grouping leave training rows alone
        items.regroup_duplicates(s)
        assert s.scalar(select(CommsItem.duplicate_of).where(CommsItem.id == training[0])) is None


def test_narrative_titles_are_distinctive_terms_with_lexicon_words_masked():
    offensive = Matcher([
        {"id": 1, "term": "faggot", "severity": 3, "variants": []},
        {"id": 2, "term": "bitch", "severity": 2, "variants": []},
    ])  # fmt: skip
    texts = [
        "that faggot bitch blocked the market road again",
        "faggot bitch market road closed by the militia",
    ] * 3 + ["radio station lies about election results bitch", "election results radio station fraud bitch"] * 3
    assignment = np.array([0] * 6 + [1] * 6)
    terms = narratives.top_terms(texts, assignment, 2, offensive=offensive)
    assert terms[0][:1] == ["f*****"] or "f*****" in terms[0]
    assert "faggot" not in sum(terms, []) and "bitch" not in sum(terms, [])
    assert sum(t.endswith("*" * 4) for t in terms[0]) == 1  # at most one masked word in a title
    assert {"market", "road"} <= set(terms[0]) and {"election", "radio"} & set(terms[1])
    assert "b****" not in terms[1]  # in every cluster: not distinctive, so never chosen over real terms
    assert narratives.mask("ወያኔዎች") == "ወ****"


def test_migration_0021_marks_earlier_demo_rows_and_goes_down_and_up(db: Database):
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0020")
    table = f"{db.schema}.comms_item" if db.schema else "comms_item"
    with db.engine.begin() as conn:
        for n, source in enumerate(["demo:amharic-trac2024-train", "demo:davidson", "radio-monitor"]):
            conn.execute(
                text(
                    f"INSERT INTO {table} (source, external_id, text, language, language_method, platform, place, "
                    "country_iso3, url, text_key, gold_label, label, probabilities, model_version, lexicon_hits, "
                    "status, imported_by, imported_at) VALUES (:s, :e, 'text', 'en', 'given', '', '', '', '', 'k', "
                    "'', '', '{}', '', '[]', 'new', 'test', :t)"
                ),
                {"s": source, "e": str(n), "t": datetime(2024, 1, 1) + timedelta(minutes=n)},
            )
    upgrade(db)
    with db.session() as s:
        got = dict(s.execute(select(CommsItem.source, CommsItem.provenance)).all())
    assert got == {"demo:amharic-trac2024-train": "training", "demo:davidson": "held_out", "radio-monitor": "monitored"}


def test_the_starting_list_fills_lexicon_gaps_and_leaves_existing_terms_alone(db: Database):
    from peaceops.comms import lexicon, offensive

    with db.session() as s:
        lexicon.upsert_term(s, "ana", lexicon.TermInput("bitch", "en", severity=3))
        added = offensive.add_missing(s, "demo")
        assert added == len(offensive.terms()) - 1 and offensive.add_missing(s, "demo") == 0
        by_term = {t["term"]: t for t in lexicon.list_terms(s)}
        assert by_term["bitch"]["severity"] == 3 and by_term["nigga"]["severity"] == 1
        m = lexicon.matcher(s, "en")
        assert {h["term"] for h in m.match("those niggas and that bitch")} == {"nigga", "bitch"}
        assert m.match("where is the whole regard") == []  # low-severity words are never matched by one edit
        assert [h["term"] for h in lexicon.matcher(s, "am").match("ደደብ ነህ")] == ["ደደብ"]
