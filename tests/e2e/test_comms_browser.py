"""A real browser on strategic communications: an analyst opens the review queue, confirms an item, and the
overview, item, narrative and lexicon pages render.

Runs its own small server over a fresh SQLite file: 60 held-out English and 30 Amharic tweets from the
shared labelled sets, the Davidson lexicon, an English model trained on 500 tweets, narratives built."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pages import sign_in_as
from playwright.sync_api import Page, expect
from sqlalchemy import select

from peaceops.access.users import add_user
from peaceops.comms import classifier, datasets, items, lexicon, narratives, privacy
from peaceops.comms.models import CommsItem, CommsReview
from peaceops.platform import prepare
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

pytestmark = pytest.mark.e2e
PASSWORD = "comms browser password"


@pytest.fixture(scope="module")
def comms_server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, serve) -> Iterator[tuple[str, Database]]:
    tmp = tmp_path_factory.mktemp("comms-e2e")
    settings = Settings(var_dir=tmp / "var", data_dir=data_dir, secret_key="b" * 40)
    db = Database(f"sqlite:///{tmp / 'peaceops.sqlite'}")
    prepare(db)
    dav = datasets.davidson(data_dir).head(500, 60)
    am = datasets.amharic_ranlp(data_dir).head(0, 30)
    rows = [
        (n, items.ItemInput(text=t, source=f"demo:{ds.name}", external_id=str(n), language=ds.language, gold_label=g))
        for ds in (dav, am)
        for n, (t, g) in enumerate(zip(ds.test_texts, ds.test_labels, strict=True), start=1)
    ]
    sets = {"harm-en": classifier.TrainingSet("harm-en", dav.train_texts, dav.train_labels, [], [])}
    models = classifier.train_all(None, sets, settings.var_dir)
    with db.session() as s:
        add_user(s, "comms-analyst", PASSWORD, "analyst", actor="e2e")
        path = data_dir / "comms" / "davidson" / "lexicons_refined_ngram_dict.csv"
        lexicon.import_csv(s, "e2e", path.read_text(encoding="utf-8"))
        items.add_items(s, "e2e", rows, author_key=privacy.author_key(settings.session_secret))
        items.regroup_duplicates(s)
        classifier.score_items(s, models)
        narratives.build(s, settings.var_dir, cap=40, languages=["en"])
    app = create_app(settings, db=db)
    with serve(app) as base:
        yield base, db
    db.dispose()


def test_analyst_confirms_an_item_from_the_queue(page: Page, comms_server, screenshots: Path) -> None:
    base, db = comms_server
    sign_in_as(page, base, "/comms/queue", "comms-analyst", PASSWORD)
    rows = page.locator("#queue-table tbody tr")
    expect(rows.first).to_be_visible()
    first_id = int(rows.first.get_attribute("id").removeprefix("item-"))  # type: ignore[union-attr]
    page.screenshot(path=str(screenshots / "comms-queue.png"), full_page=False)

    row = page.locator(f"#item-{first_id}")
    row.get_by_label(f"Label for item {first_id}").select_option("hate")
    row.get_by_role("button", name=f"Confirm item {first_id}").click()
    expect(page.locator("#saved-note")).to_contain_text(f"Decision on item {first_id} recorded")
    expect(page.locator(f"#item-{first_id}")).to_have_count(0)  # no longer waiting
    with db.session() as s:
        review = s.scalar(select(CommsReview).where(CommsReview.item_id == first_id))
        assert (review.action, review.label, review.actor) == ("confirm", "hate", "comms-analyst")
        assert s.get(CommsItem, first_id).status == "confirmed"

    page.goto(f"{base}/comms/items/{first_id}")
    expect(page.get_by_role("heading", name=re.compile(f"Item #{first_id}"))).to_contain_text("confirmed")
    expect(page.get_by_text("comms-analyst: confirm")).to_be_visible()
    page.screenshot(path=str(screenshots / "comms-item.png"), full_page=True)

    page.goto(f"{base}/comms")
    expect(page.locator("#narratives-table tbody tr").first).to_be_visible()
    expect(page.locator("#timing-note")).to_contain_text("no timestamps")
    page.screenshot(path=str(screenshots / "comms-overview.png"), full_page=True)
    page.locator("#narratives-table tbody a").first.click()
    expect(page.locator("#timing-unknown")).to_be_visible()
    page.screenshot(path=str(screenshots / "comms-narrative.png"), full_page=False)
    page.goto(f"{base}/comms/lexicon")
    expect(page.locator("#lexicon-table tbody tr")).to_have_count(178)
    page.screenshot(path=str(screenshots / "comms-lexicon.png"), full_page=False)
