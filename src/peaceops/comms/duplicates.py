"""Near-duplicate grouping: retweets, copy-paste campaigns and lightly edited copies count once.

Two keys. ``text_key`` is the SHA-1 of the normalised text (mentions, links, punctuation, case and
Ethiopic homophone spellings removed), so exact copies collide at once. Near copies are found with
MinHash over character 4-gram shingles (64 hash functions, 16 bands of 4 rows for locality-sensitive
bucketing); a candidate pair whose estimated Jaccard similarity is at least ``threshold`` (0.7) is
joined, and each group points at its oldest member (lowest id). Deterministic: crc32 shingle hashes and
fixed permutation coefficients.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from peaceops.comms.normalise import normalise

PERMUTATIONS = 64
BANDS = 16
SHINGLE = 4
_PRIME = (1 << 31) - 1  # Mersenne prime: (a*x + b) mod p is a universal hash for x, a, b < p
_rng = np.random.default_rng(7)
_A = _rng.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)


def text_key(text: str) -> str:
    return hashlib.sha1(normalise(text).encode()).hexdigest()


def _shingles(text: str) -> np.ndarray | None:
    norm = normalise(text)
    if len(norm) < SHINGLE:
        return None
    found = {zlib.crc32(norm[i : i + SHINGLE].encode()) % _PRIME for i in range(len(norm) - SHINGLE + 1)}
    return np.fromiter(found, dtype=np.uint64, count=len(found))


def signature(text: str) -> np.ndarray | None:
    """MinHash signature (64 values) of one text; None for texts shorter than one shingle."""
    x = _shingles(text)
    if x is None:
        return None
    # a, x < 2^31: a*x + b stays below 2^63, no overflow in uint64
    return ((np.outer(_A, x) + _B[:, None]) % np.uint64(_PRIME)).min(axis=1)


def signatures(texts: Sequence[str], chunk: int = 400) -> list[np.ndarray | None]:
    """Signatures of many texts, hashed a chunk at a time (same values as ``signature``, much faster)."""
    out: list[np.ndarray | None] = []
    for start in range(0, len(texts), chunk):
        parts = [_shingles(t) for t in texts[start : start + chunk]]
        present = [p for p in parts if p is not None]
        if not present:
            out.extend(None for _ in parts)
            continue
        offsets = np.cumsum([0] + [len(p) for p in present[:-1]])
        hashed = (np.outer(_A, np.concatenate(present)) + _B[:, None]) % np.uint64(_PRIME)
        mins = np.minimum.reduceat(hashed, offsets, axis=1).T
        it = iter(mins)
        out.extend(None if p is None else next(it) for p in parts)
    return out


def group(items: Sequence[tuple[int, str]], threshold: float = 0.7) -> dict[int, int]:
    """item id → id of its group's first member, for every item that has a near-duplicate."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.get(i, i) != i:
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    sigs: dict[int, np.ndarray] = {}
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    by_key: dict[str, int] = {}
    rows = PERMUTATIONS // BANDS
    ordered = sorted(items)
    fresh: list[tuple[int, str]] = []
    for item_id, text in ordered:
        key = text_key(text)
        if key in by_key:
            union(by_key[key], item_id)
            continue
        by_key[key] = item_id
        fresh.append((item_id, text))
    for (item_id, _text), sig in zip(fresh, signatures([t for _, t in fresh]), strict=True):
        if sig is None:
            continue
        sigs[item_id] = sig
        for band in range(BANDS):
            buckets[(band, sig[band * rows : (band + 1) * rows].tobytes())].append(item_id)
    for members in buckets.values():
        if len(members) < 2:
            continue
        first = members[0]
        for other in members[1:]:
            if find(first) != find(other) and float(np.mean(sigs[first] == sigs[other])) >= threshold:
                union(first, other)
    out = {i: find(i) for i, _ in items}
    sizes: dict[int, int] = defaultdict(int)
    for root in out.values():
        sizes[root] += 1
    return {i: root for i, root in out.items() if sizes[root] > 1}
