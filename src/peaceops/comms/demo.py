"""``peaceops demo``'s strategic-communications part: real labelled data in, model trained, queue filled.

What it loads, honestly: the held-out rows of the shared labelled sets (Davidson test split, Amharic
ranlp2023 and trac2024 dev, LIAR valid) become items of sources ``demo:<set>``, with their gold label
kept beside the model's. The models are trained on the training rows only, so the labels an analyst
sees are the model's own predictions on text it never saw. The sets have no timestamps, authors or
places: items get none (no invented times), narratives say "timing unknown" and no spike alert fires.
The Davidson n-gram lexicon is imported as the English lexicon. Models and embeddings are cached in
var/, so a second demo trains and embeds nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from peaceops.comms import classifier, datasets, items, lexicon, narratives, privacy

ACTOR = "peaceops demo"


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
    lap("lexicon")

    say("items")
    rows: list[tuple[int, items.ItemInput]] = []
    for ds in (
        datasets.davidson(data_dir),
        datasets.amharic_ranlp(data_dir),
        datasets.amharic_trac(data_dir),
        datasets.liar(data_dir),
    ):
        for n, (text, gold) in enumerate(zip(ds.test_texts, ds.test_labels, strict=True), start=1):
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
                    ),
                )
            )
    result = items.add_items(session, ACTOR, rows, author_key=privacy.author_key(secret))
    report.items_added, report.items_unchanged = result.added, result.unchanged
    report.duplicates = items.regroup_duplicates(session)
    lap("items")

    say("models")
    models = classifier.train_all(session, classifier.base_sets(data_dir), var_dir, progress=say)
    report.models = {name: m.info() for name, m in models.items()}
    lap("models")

    say("scoring")
    report.scored = classifier.score_items(session, models)
    from sqlalchemy import func, select

    from peaceops.comms.models import CommsItem

    report.flagged = (
        session.scalar(select(func.count()).select_from(CommsItem).where(CommsItem.status == "flagged")) or 0
    )
    lap("scoring")

    say("narratives")
    report.narratives = len(narratives.build(session, var_dir, cap=narrative_cap))
    lap("narratives")
    report.cpu_seconds = round(time.process_time() - cpu_start, 1)
    return report
