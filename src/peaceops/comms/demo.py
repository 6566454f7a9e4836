"""``peaceops demo``'s strategic-communications part: real labelled data in, model trained, queue filled.

What it loads, honestly: the held-out rows of the shared labelled sets (Davidson test split, Amharic
ranlp2023 and trac2024 dev, LIAR valid) become items of sources ``demo:<set>``, with their gold label
kept beside the model's. The models are trained on the training rows only, so the labels an analyst
sees on these items are the model's own predictions on text it never saw.

The demo monitors only held-out items (provenance ``held_out``, marked so on every page): a labelled
corpus is for training and evaluation, not a mission's media, and a training row in the queue would
show the model's near-gold answer on text it learnt from. Items of an earlier demo that were training
rows (TRAC 2024 train, source ``demo:amharic-trac2024-train``) are marked ``training`` by migration
0021 and never shown.

Timing: the sets have no time column, but the Amharic tweets keep their tweet ids, and a tweet id
encodes its posting time (``snowflake.py``). So the Amharic items get their real ``posted_at`` (and a
link to the tweet). English and LIAR items have no time and stay "timing unknown". No item gets an
author or a place (the sets have none). The Davidson n-gram lexicon is imported as the English lexicon.
Models and embeddings are cached in var/, so a second demo trains and embeds nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from peaceops.comms import classifier, datasets, items, lexicon, narratives, offensive, privacy, snowflake, spikes
from peaceops.comms.models import SHOWN, CommsItem
from peaceops.comms.normalise import normalise
from peaceops.errors import PeaceopsError

ACTOR = "peaceops demo"


def _tweet_url(tweet_id: str) -> str:
    return f"https://twitter.com/i/web/status/{tweet_id}" if tweet_id else ""


def _timed(tweet_id: str) -> dict[str, object]:
    """posted_at and url of a tweet id ("" or not a snowflake: no time, never an invented one)."""
    if not tweet_id:
        return {"posted_at": None, "url": ""}
    try:
        return {"posted_at": snowflake.posted_at(tweet_id), "url": _tweet_url(tweet_id)}
    except PeaceopsError:
        return {"posted_at": None, "url": ""}


def item_rows(data_dir: Path) -> list[tuple[int, items.ItemInput]]:
    """The demo's items: every set's held-out rows (provenance ``held_out``) but copies of a training row."""
    tweet_ids = {
        "amharic-ranlp2023": datasets.amharic_ranlp_ids(data_dir, "dev"),
        "amharic-trac2024": datasets.amharic_trac_ids(data_dir, "dev"),
    }
    sets = [datasets.davidson(data_dir), datasets.amharic_ranlp(data_dir), datasets.amharic_trac(data_dir),
            datasets.liar(data_dir)]  # fmt: skip
    trained: dict[str, set[str]] = {}  # per model (harm-am learns from both Amharic sets): normalised texts
    for ds in sets:
        trained.setdefault(ds.language + ds.task, set()).update(normalise(t) for t in ds.train_texts)
    rows: list[tuple[int, items.ItemInput]] = []
    for ds in sets:
        ids = tweet_ids.get(ds.name, [""] * len(ds.test_texts))
        seen = trained[ds.language + ds.task]
        for n, (text, gold, tweet_id) in enumerate(zip(ds.test_texts, ds.test_labels, ids, strict=True), start=1):
            if normalise(text) in seen:  # a copy of a training row: not unseen, not shown
                continue
            rows.append(
                (
                    n,
                    items.ItemInput(
                        text=text,
                        source=f"demo:{ds.name}",
                        external_id=f"heldout-{n}",
                        language=ds.language,
                        gold_label=gold,
                        platform="politifact" if ds.name == "liar" else "twitter",
                        provenance="held_out",
                        **_timed(tweet_id),  # type: ignore[arg-type]
                    ),
                )
            )
    return rows


def backfill_times(session: Session, rows: list[tuple[int, items.ItemInput]]) -> int:
    """Give items loaded by an earlier demo (before tweet ids were read) their posting time and link."""
    timed = {(r.source, r.external_id): r for _, r in rows if r.posted_at is not None}
    missing = [
        (item_id, source, ext)
        for item_id, source, ext in session.execute(
            select(CommsItem.id, CommsItem.source, CommsItem.external_id).where(
                CommsItem.posted_at.is_(None), CommsItem.source.in_({s for s, _ in timed})
            )
        )
        if (source, ext) in timed
    ]
    values = [{"item": item_id, "t": timed[(s, e)].posted_at, "u": timed[(s, e)].url} for item_id, s, e in missing]
    if values:
        stmt = (
            update(CommsItem)
            .where(CommsItem.id == bindparam("item"))
            .values(posted_at=bindparam("t"), url=bindparam("u"))
        )
        session.connection().execute(stmt, values)
    return len(values)


@dataclass
class DemoReport:
    items_added: int = 0
    items_unchanged: int = 0
    lexicon: lexicon.LexiconImport | None = None
    models: dict[str, dict[str, object]] = field(default_factory=dict)
    scored: int = 0
    flagged: int = 0
    duplicates: int = 0
    narratives: int = 0
    times_backfilled: int = 0
    timing: dict[str, int] = field(default_factory=dict)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: float = 0.0


def load(
    session: Session,
    data_dir: Path,
    var_dir: Path,
    secret: str,
    *,
    narrative_cap: int = 300,
    step: Callable[[str], None] | None = None,
) -> DemoReport:
    report = DemoReport()
    clock = time.perf_counter()
    cpu_start = time.process_time()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[name] = round(now - clock, 1)
        clock = now

    def say(msg: str) -> None:
        if step:
            step(msg)

    say("lexicon")
    path = data_dir / "comms" / "davidson" / "lexicons_refined_ngram_dict.csv"
    report.lexicon = lexicon.import_csv(session, ACTOR, path.read_text(encoding="utf-8"))
    offensive.add_missing(session, ACTOR)  # so that narrative titles mask profanity and slurs too
    lap("lexicon")

    say("items")
    rows = item_rows(data_dir)
    origin = items.Origin(str(data_dir / "comms"), "", "demo")
    result = items.add_items(session, ACTOR, rows, author_key=privacy.author_key(secret), origin=origin)
    report.items_added, report.items_unchanged = result.added, result.unchanged
    report.times_backfilled = backfill_times(session, rows)
    if result.added:  # groups change only when items arrive (items are never deleted)
        report.duplicates = items.regroup_duplicates(session)
    else:
        grouped = select(func.count()).select_from(CommsItem).where(CommsItem.duplicate_of.is_not(None))
        report.duplicates = session.scalar(grouped) or 0
    lap("items")

    say("models")
    models = classifier.train_all(session, classifier.base_sets(data_dir), var_dir, progress=say)
    report.models = {name: m.info() for name, m in models.items()}
    lap("models")

    say("scoring")
    report.scored = classifier.score_items(session, models)
    report.flagged = (
        session.scalar(select(func.count()).select_from(CommsItem).where(CommsItem.status == "flagged", SHOWN)) or 0
    )
    lap("scoring")

    say("narratives")
    report.narratives = len(narratives.build(session, var_dir, cap=narrative_cap))
    lap("narratives")

    say("spikes")
    report.timing = spikes.timing_summary(session)
    report.alerts = spikes.alerts(session)
    lap("spikes")
    report.cpu_seconds = round(time.process_time() - cpu_start, 1)
    return report
