"""``peaceops comms classify``: a CSV in, the same rows in order with label and probability out; clear errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.comms.estimator import TrainedModel

ROWS = [
    {"id": "1", "tweet": "RT @x: you are a stupid bitch, shut up", "note": "has, a comma"},
    {"id": "2", "tweet": "The ceasefire talks resume in Juba on Monday", "note": ""},
    {"id": "3", "tweet": "", "note": "empty text is kept"},
    {"id": "4", "tweet": 'He said "go home" to all of them\nand left', "note": "quoted, two lines"},
]


@pytest.fixture
def classify(monkeypatch: pytest.MonkeyPatch, comms_models: tuple[Path, dict[str, TrainedModel]], tmp_path: Path):
    monkeypatch.setenv("PEACEOPS_VAR_DIR", str(comms_models[0]))
    monkeypatch.setenv("PEACEOPS_DATABASE_URL", f"sqlite:///{tmp_path / 'unused.sqlite'}")

    def run(*args: str):
        return CliRunner().invoke(app, ["comms", "classify", *args])

    return run


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_classify_keeps_every_row_and_column_in_order_with_the_models_label(classify, comms_models, tmp_path):
    source, out = _write(tmp_path / "in.csv", ROWS), tmp_path / "out.csv"
    result = classify("--in", str(source), "--text-column", "tweet", "--language", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as fh:
        got = list(csv.DictReader(fh))
    assert [{k: r[k] for k in ("id", "tweet", "note")} for r in got] == ROWS
    assert list(got[0]) == ["id", "tweet", "note", "label", "probability"]
    model = comms_models[1]["harm-en"]
    expected = model.predict([ROWS[0]["tweet"], ROWS[1]["tweet"], ROWS[3]["tweet"]])
    for row, (label, probability, _) in zip([got[0], got[1], got[3]], expected, strict=True):
        assert row["label"] == {"normal": "neither"}.get(label, label) and row["label"] in {
            "hate",
            "offensive",
            "neither",
        }
        assert float(row["probability"]) == pytest.approx(probability, abs=1e-4) and 0 < probability <= 1
    assert (got[2]["label"], got[2]["probability"]) == ("", "")  # no text: kept, not classified


def test_classify_amharic_uses_the_amharic_model(classify, comms_models, tmp_path):
    rows = [{"text": "ወያኔ ሌባ ነው ሁሉም ዘረኛ"}, {"text": "ዛሬ ዝናብ ዘነበ"}]
    source, out = _write(tmp_path / "am.csv", rows), tmp_path / "am-out.csv"
    result = classify("--in", str(source), "--text-column", "text", "--language", "am", "--out", str(out))
    assert result.exit_code == 0, result.output
    expected = [lab for lab, _, _ in comms_models[1]["harm-am"].predict([r["text"] for r in rows])]
    with out.open(newline="", encoding="utf-8") as fh:
        assert [r["label"] for r in csv.DictReader(fh)] == [{"normal": "neither"}.get(e, e) for e in expected]


def test_classify_errors_are_one_plain_sentence_and_write_nothing(classify, tmp_path, monkeypatch):
    source, out = _write(tmp_path / "in.csv", ROWS), tmp_path / "out.csv"
    cases = [
        (["--text-column", "text", "--language", "en"], "has no column 'text'"),
        (["--text-column", "tweet", "--language", "fr"], "use one of en, am"),
    ]
    for args, message in cases:
        result = classify("--in", str(source), "--out", str(out), *args)
        assert result.exit_code == 1 and message in " ".join(result.output.split()) and "Traceback" not in result.output
    missing = classify("--in", str(tmp_path / "nope.csv"), "--text-column", "t", "--language", "en", "--out", str(out))
    assert missing.exit_code == 1 and "does not exist" in missing.output
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(b"id,tweet\n" + b"1,fine\n" * 5000 + "2,caf\xe9 ouvert\n".encode("latin-1"))
    result = classify("--in", str(bad), "--text-column", "tweet", "--language", "en", "--out", str(out))
    assert result.exit_code == 1 and "not UTF-8" in result.output
    assert not out.exists() and not list(tmp_path.glob(".out.csv*"))  # no half-written output
    monkeypatch.setenv("PEACEOPS_VAR_DIR", str(tmp_path / "fresh"))
    result = classify("--in", str(source), "--text-column", "tweet", "--language", "am", "--out", str(out))
    assert result.exit_code == 1 and "peaceops comms retrain --dataset harm-am" in " ".join(result.output.split())
