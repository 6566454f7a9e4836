"""Retrieval quality and speed of agreement search, against plain BM25 measured in the same run.

Run: .venv/bin/python bench/search.py [--postgres] [--var-dir DIR]

Relevance comes from PA-X's own coding, not from us: each query names a PA-X category, and the relevant
agreements are those PA-X codes for it (gain = the code's value, 1-3 for ordinal codes, 1 for binary ones).
Only the 1,868 coded agreements are judged, so every ranking is scored on its coded agreements in order
(agreements PA-X never coded are dropped from the lists, as in "condensed list" evaluation).
recall@50 is the share of relevant agreements in the top 50, divided by min(50, number relevant).
The baseline is Okapi BM25 (k1 1.2, b 0.75, lower-cased word tokens, no stemming) over the very same
texts the keyword index holds: title, summary (description, UCDP note, parties, country, process) and
provision texts. Embeddings are cached in the var directory, so a second run computes none.

The queries are split in two halves by position: A (even positions) is the half any ranking parameter was
tuned on, B (odd positions) is held out; both are printed, with the mean over all queries, and the ratio
of the hybrid's nDCG@10 to BM25's on each with a bootstrap interval (20 queries a half make it wide).
"""

from __future__ import annotations

import argparse
import math
import random
import re
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import create_engine, select, text

from peaceops.agreements.models import Agreement, AgreementCode, Provision
from peaceops.agreements.search import search
from peaceops.agreements.semantic import build_index
from peaceops.platform import import_file, prepare
from peaceops.settings import Settings
from peaceops.store import Database

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FILES = (
    ("pax-agreements", ("pax", "coded_v4", "pax_all_agreements_data.csv")),
    ("pax-agreements", ("pax", "metadata_v10", "pax.csv")),
    ("pax-provisions", ("pax", "provision_texts", "pax_provisions_mapped_to_constitutions.csv")),
    ("ucdp-peace-agreements", ("ucdp", "peace_agreements", "ucdp-peace-agreements-221.csv")),
)
# (PA-X category code, query as a mediator might type it)
QUERIES: tuple[tuple[str, str], ...] = (
    ("Ce", "ceasefire and cessation of hostilities"),
    ("SsrDdr", "disarmament, demobilisation and reintegration of former combatants"),
    ("Polps", "power sharing in a government of national unity"),
    ("GeWom", "participation of women in the peace process"),
    ("TjAm", "amnesty for combatants"),
    ("Cons", "drafting a new constitution"),
    ("LaRefRet", "property restitution and return of land to displaced owners"),
    ("ElecComm", "independent electoral commission"),
    ("GRef", "return of refugees and internally displaced persons"),
    ("TjPrire", "release of prisoners and detainees"),
    ("GCh", "child soldiers and protection of children"),
    ("NatRes", "sharing revenue from oil and natural resources"),
    ("SsrPol", "police reform"),
    ("MpsMe", "integration of rebel forces into the national army"),
    ("SsrFf", "withdrawal of foreign troops"),
    ("TjRep", "reparations and compensation for victims"),
    ("TjNR", "national reconciliation"),
    ("ImPK", "deployment of an international peacekeeping force"),
    ("TpsAut", "regional autonomy and self-government"),
    ("Cor", "fight against corruption"),
    ("Med", "media and freedom of the press"),
    ("StBor", "border demarcation between the two states"),
    ("SsrDrugs", "drug trafficking"),
    ("StRef", "referendum on independence"),
    ("TjMis", "missing persons"),
    ("JusJu", "reform of the judiciary and courts"),
    ("Wat", "water sharing and river rights"),
    ("DevHum", "humanitarian assistance and aid delivery"),
    ("Tax", "taxation"),
    ("HrNi", "national human rights commission"),
    ("Terr", "combating terrorism"),
    ("LaEn", "protection of the environment"),
    ("Ele", "holding free and fair elections"),
    ("DevInfra", "reconstruction of roads and infrastructure"),
    ("CprTort", "prohibition of torture"),
    ("SsrCrOcr", "organised crime"),
    ("GInd", "rights of indigenous peoples"),
    ("PolPar", "registration and regulation of political parties"),
    ("Pubad", "civil service and public administration reform"),
    ("LaNom", "pastoralists and nomadic grazing rights"),
)
MODES = ("keyword", "semantic", "hybrid")
PAGE = 20  # latency is timed for one page of results, snippets included
DEPTH = 200  # results asked for; enough that 50 coded agreements remain after dropping uncoded ones


def ndcg(ranking: Sequence[int], gains: dict[int, float], k: int = 10) -> float:
    dcg = sum(gains.get(d, 0.0) / math.log2(i + 2) for i, d in enumerate(ranking[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranking: Sequence[int], gains: dict[int, float], k: int = 50) -> float:
    return len(set(ranking[:k]) & set(gains)) / min(len(gains), k)


TOKEN = re.compile(r"\w+", re.UNICODE)


class BM25:
    """Okapi BM25, the textbook formula (Robertson & Zaragoza 2009), over whole agreements."""

    def __init__(self, docs: dict[int, str], k1: float = 1.2, b: float = 0.75) -> None:
        self.ids = list(docs)
        self.tfs = [Counter(TOKEN.findall(docs[i].lower())) for i in self.ids]
        self.lengths = [sum(tf.values()) for tf in self.tfs]
        self.avg = sum(self.lengths) / len(self.lengths)
        df: Counter[str] = Counter(w for tf in self.tfs for w in tf)
        n = len(self.ids)
        self.idf = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in df.items()}
        self.k1, self.b = k1, b

    def rank(self, query: str, depth: int) -> list[int]:
        words = set(TOKEN.findall(query.lower()))
        scores: list[tuple[float, int]] = []
        for i, (tf, length) in enumerate(zip(self.tfs, self.lengths, strict=True)):
            s = 0.0
            for w in words:
                f = tf.get(w)
                if f:
                    s += self.idf[w] * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * length / self.avg))
            if s > 0:
                scores.append((s, self.ids[i]))
        scores.sort(key=lambda x: (-x[0], x[1]))
        return [i for _, i in scores[:depth]]


def documents(db: Database) -> dict[int, str]:
    """The texts of the keyword index, one per agreement."""
    with db.session() as s:
        provisions: dict[int, list[str]] = {}
        for agreement_id, body in s.execute(select(Provision.agreement_id, Provision.text).order_by(Provision.number)):
            provisions.setdefault(agreement_id, []).append(body)
        docs = {}
        for a in s.scalars(select(Agreement)):
            parts = [a.title, a.description, a.ucdp_comment, a.parties, a.third_parties, a.country, a.conflict]
            docs[a.id] = " ".join([p for p in parts if p] + provisions.get(a.id, []))
        return docs


def judgements(db: Database) -> tuple[set[int], dict[str, dict[int, float]]]:
    with db.session() as s:
        coded = set(
            s.scalars(select(Agreement.id).where(Agreement.release.is_not(None)).where(Agreement.pax_id.is_not(None)))
        )
        rows = s.execute(
            select(AgreementCode.agreement_id, AgreementCode.code, AgreementCode.value).where(
                AgreementCode.source == "pax"
            )
        ).all()
    has_codes = {a for a, _, _ in rows}
    gains: dict[str, dict[int, float]] = {code: {} for code, _ in QUERIES}
    for agreement_id, code, value in rows:
        if code in gains:
            gains[code][agreement_id] = float(value)
    return coded & has_codes, gains


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="Run on PostgreSQL (127.0.0.1, database test).")
    parser.add_argument("--var-dir", type=Path, default=Settings().var_dir, help="Where the embeddings cache lives.")
    args = parser.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        schema = None
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            with create_engine(PG_URL).begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            db = Database(PG_URL, schema=schema)
        else:
            db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        try:
            prepare(db)
            started = time.perf_counter()
            for kind, parts in FILES:
                import_file(db, kind, settings.data_path(*parts), "bench")
            print(f"database: {db.dialect}; import of the four files {time.perf_counter() - started:.1f} s")
            with db.session() as s:
                index = build_index(s, args.var_dir)
            print(
                f"embeddings ({index.model}): {index.agreements} agreements + {index.provisions} provisions, "
                f"{index.computed} computed now in {index.seconds:.1f} s (cache: {args.var_dir / 'embeddings'})"
            )
            judged, gains = judgements(db)
            bm25 = BM25(documents(db))
            rows = run(db, args.var_dir, bm25, judged, gains)
        finally:
            db.dispose()
            if schema:
                with create_engine(PG_URL).begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    print(
        f"\n{len(QUERIES)} queries; relevant agreements per query: "
        f"median {statistics.median(len(gains[c]) for c, _ in QUERIES):.0f} of {len(judged)} judged"
    )
    halves = (
        ("all", range(len(QUERIES))),
        ("A (tuning)", range(0, len(QUERIES), 2)),
        ("B (held out)", range(1, len(QUERIES), 2)),
    )
    head = "".join(f"{f'{h} nDCG@10':>22}{'R@50':>7}" for h, _ in halves)
    print(f"{'system':<18}{head}{'p50 ms':>9}{'p95 ms':>9}")
    for name, (nds, rcs, lat) in rows.items():
        cells = "".join(
            f"{statistics.mean(nds[i] for i in part):>22.3f}{statistics.mean(rcs[i] for i in part):>7.3f}"
            for _, part in halves
        )
        print(f"{name:<18}{cells}{percentile(lat, 0.5) * 1000:>9.1f}{percentile(lat, 0.95) * 1000:>9.1f}")
    base, hybrid = rows["BM25 (baseline)"][0], rows["peaceops hybrid"][0]
    print("\nhybrid / BM25 nDCG@10, with a 95% bootstrap interval over the half's queries (2,000 resamples):")
    for label, part in halves:
        low, high = ratio_interval([base[i] for i in part], [hybrid[i] for i in part])
        ratio = statistics.mean(hybrid[i] for i in part) / statistics.mean(base[i] for i in part)
        print(f"  {label:<14} {ratio:.3f}  [{low:.3f}, {high:.3f}]  ({len(part)} queries)")


def ratio_interval(base: list[float], system: list[float], samples: int = 2000) -> tuple[float, float]:
    """Percentile bootstrap of mean(system) / mean(base), resampling queries (fixed seed: repeatable)."""
    rng = random.Random(16)
    n, ratios = len(base), []
    for _ in range(samples):
        picks = [rng.randrange(n) for _ in range(n)]
        ratios.append(sum(system[i] for i in picks) / max(sum(base[i] for i in picks), 1e-9))
    return percentile(ratios, 0.025), percentile(ratios, 0.975)


def run(
    db: Database, var_dir: Path, bm25: BM25, judged: set[int], gains: dict[str, dict[int, float]]
) -> dict[str, tuple[list[float], list[float], list[float]]]:
    """Per system: nDCG@10 and recall@50 of each query (in QUERIES order) and each query's latency."""
    out: dict[str, tuple[list[float], list[float], list[float]]] = {}
    with db.session() as s:
        for mode in MODES:  # warm-up: model load, first queries
            search(s, var_dir, "ceasefire", mode=mode, limit=DEPTH)
        systems = {"BM25 (baseline)": None, **{f"peaceops {m}": m for m in MODES}}
        for name, mode in systems.items():
            nds, rcs, lat = [], [], []
            for code, query in QUERIES:
                if mode is None:
                    ranking = bm25.rank(query, DEPTH)
                else:
                    ranking = [r.agreement_id for r in search(s, var_dir, query, mode=mode, limit=DEPTH)]
                condensed = [i for i in ranking if i in judged]
                relevant = {i: g for i, g in gains[code].items() if i in judged}
                nds.append(ndcg(condensed, relevant))
                rcs.append(recall(condensed, relevant))
                # Latency as a person sees it: one page of 20 results with their snippets.
                t = time.perf_counter()
                if mode is None:
                    bm25.rank(query, PAGE)
                else:
                    search(s, var_dir, query, mode=mode, limit=PAGE)
                lat.append(time.perf_counter() - t)
            out[name] = (nds, rcs, lat)
    return out


if __name__ == "__main__":
    main()
