"""``peaceops comms retrain``: nothing changes without a new decision; a confirm decision makes a new version."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from peaceops.access.policy import Actor
from peaceops.comms import classifier, datasets, items, privacy, review
from peaceops.comms.models import CommsItem
from peaceops.comms.retrain import retrain

KEY = privacy.author_key("c" * 40)
ANALYST = Actor(username="ana", role="analyst")


def small_sets(data_dir: Path) -> dict[str, classifier.TrainingSet]:
    dav = datasets.davidson(data_dir).head(600, 200)
    return {"harm-en": classifier.TrainingSet("harm-en", dav.train_texts, dav.train_labels, dav.test_texts,
                                              dav.test_labels)}  # fmt: skip


def model_files(var: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (var / "comms" / "models").iterdir()}


def test_retrain_is_unchanged_without_new_decisions_and_versions_a_confirm(db, data_dir: Path, tmp_path: Path):
    sets = small_sets(data_dir)
    with db.session() as s:
        (first,) = retrain(s, data_dir, tmp_path, sets=sets)
    assert first.changed and first.old_version is None and first.decisions == 0
    files = model_files(tmp_path)
    assert len(files) == 2  # the model and its metadata

    with db.session() as s:
        (again,) = retrain(s, data_dir, tmp_path, sets=sets)
    assert not again.changed and again.new_version == again.old_version == first.new_version
    assert again.new_macro_f1 == again.old_macro_f1 == first.new_macro_f1
    assert model_files(tmp_path) == files  # no new file, none rewritten

    with db.session() as s:
        rows = [(1, {"text": "those people are vermin and should be driven out", "source": "monitor"})]
        items.add_items(s, "tester", rows, author_key=KEY)
        classifier.score_items(s, {})
        item_id = s.scalars(select(CommsItem.id)).one()
        review.decide(s, ANALYST, item_id, review.Decision("confirm", label="hate"))
    with db.session() as s:
        (after,) = retrain(s, data_dir, tmp_path, sets=sets)
    assert after.changed and after.decisions == 1
    assert after.old_version == first.new_version and after.new_version != first.new_version
    assert isinstance(after.new_macro_f1, float) and after.old_macro_f1 == first.new_macro_f1
    assert len(model_files(tmp_path)) == 4
    assert classifier.model_infos(tmp_path)[0]["version"] == after.new_version  # the new one is in use

    with db.session() as s:
        (settled,) = retrain(s, data_dir, tmp_path, sets=sets)
    assert not settled.changed and settled.new_version == after.new_version


def test_retrain_command_names_an_unknown_model(monkeypatch, tmp_path: Path):
    from peaceops.cli import app

    monkeypatch.setenv("PEACEOPS_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PEACEOPS_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    result = CliRunner().invoke(app, ["comms", "retrain", "--dataset", "harm-xx"])
    assert result.exit_code == 1 and "No model named harm-xx" in result.output
