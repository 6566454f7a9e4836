"""Classify a whole CSV file with a trained harm model: ``peaceops comms classify``.

An analyst's file goes through the same model that scores monitored items (the newest ``harm-<lang>``
in ``<var_dir>/comms/models``), in chunks, so a file of any size streams through in little memory. The
output has the input's rows in the input's order, every input column kept, plus ``label`` (hate,
offensive or neither: the model's "normal" is written "neither") and ``probability`` (the calibrated
probability of that label). A row whose text is empty is kept with both left blank. The output is
written to a temporary file beside ``out`` and renamed at the end, so a file that turns out to be bad
halfway (a line that is not UTF-8, a quote never closed) leaves no half-written output behind.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peaceops.comms.classifier import HARM_MODELS
from peaceops.comms.estimator import TrainedModel, latest
from peaceops.errors import ImportFileError, NotFound, ValidationFailed

CHUNK = 4096
OUTPUT_LABELS = {"normal": "neither"}
ADDED = ("label", "probability")


@dataclass(frozen=True)
class Classified:
    rows: int
    by_label: dict[str, int]
    model: str


def harm_model(var_dir: Path, language: str) -> TrainedModel:
    """The newest trained harm model of ``language`` (en, am); NotFound says how to train one."""
    name = HARM_MODELS.get(language)
    if name is None:
        raise ValidationFailed(f"Language {language!r} has no harm model; use one of {', '.join(HARM_MODELS)}.")
    model = latest(var_dir, name)
    if model is None:
        raise NotFound(
            f"No trained {name} model in {var_dir / 'comms' / 'models'}: train one with "
            f"'peaceops comms retrain --dataset {name}' (or run 'peaceops demo'), with PEACEOPS_VAR_DIR set as here."
        )
    return model


def _rows(reader: Iterator[list[str]], path: Path) -> Iterator[list[str]]:
    """The reader's rows, a line that is not UTF-8 or not CSV becoming one clear error."""
    try:
        yield from reader
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{path} is not UTF-8 text (after line {getattr(reader, 'line_num', '?')}); save it as UTF-8 CSV "
            "and run again. Nothing was written."
        ) from None
    except csv.Error as exc:
        raise ImportFileError(
            f"{path} line {getattr(reader, 'line_num', '?')} cannot be read as CSV ({exc}). Nothing was written."
        ) from None


def classify_csv(model: TrainedModel, source: Path, out: Path, text_column: str) -> Classified:
    """Write ``source``'s rows to ``out`` in order with ``label`` and ``probability`` (see the module doc)."""
    if source.resolve() == out.resolve():
        raise ValidationFailed("--out names the input file; write the result to another file.")
    if not source.is_file():
        raise ImportFileError(f"{source} does not exist or is not a file.")
    tmp = out.with_name(f".{out.name}.part")
    by_label: dict[str, int] = {}
    rows = 0
    try:
        with (
            source.open(newline="", encoding="utf-8-sig") as fin,
            tmp.open("w", newline="", encoding="utf-8") as fout,
        ):
            reader = csv.reader(fin)
            lines = _rows(reader, source)
            header = next(lines, None)
            if header is None:
                raise ImportFileError(f"{source} is empty: expected a header line naming a {text_column!r} column.")
            if text_column not in header:
                raise ValidationFailed(
                    f"{source} has no column {text_column!r}; its columns are: {', '.join(header)[:300]}. "
                    "Name the text column with --text-column."
                )
            clash = [c for c in ADDED if c in header]
            if clash:
                raise ValidationFailed(
                    f"{source} already has a column {clash[0]!r}; rename it so the result does not overwrite it."
                )
            col, width = header.index(text_column), len(header)
            writer = csv.writer(fout)
            writer.writerow([*header, *ADDED])
            chunk: list[list[str]] = []
            for row in lines:
                chunk.append(row + [""] * (width - len(row)) if len(row) < width else row)
                if len(chunk) == CHUNK:
                    rows += _write(model, chunk, col, writer, by_label)
                    chunk = []
            rows += _write(model, chunk, col, writer, by_label)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return Classified(rows, by_label, f"{model.name}@{model.version[:12]}")


def _write(model: TrainedModel, chunk: list[list[str]], col: int, writer: Any, by_label: dict[str, int]) -> int:
    if not chunk:
        return 0
    texts = [row[col].strip() for row in chunk]
    wanted = [n for n, t in enumerate(texts) if t]
    predicted = dict(zip(wanted, model.predict([texts[n] for n in wanted]), strict=True))
    for n, row in enumerate(chunk):
        if n in predicted:
            label, probability, _ = predicted[n]
            label = OUTPUT_LABELS.get(label, label)
            by_label[label] = by_label.get(label, 0) + 1
            writer.writerow([*row, label, f"{probability:.4f}"])
        else:
            writer.writerow([*row, "", ""])
    return len(chunk)
