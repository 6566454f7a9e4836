"""Reading a plain question as aspects, and the PA-X categories its plain words name.

"ceasefire monitoring with women's participation" asks for two things at once; ranking it as one bag of
words lets agreements about ceasefire monitoring alone fill the page. A plain query (no operators) is
split on "with", "and", "including", "as well as", "plus", "on", commas and semicolons; each part is an
aspect. An aspect is met by its text (the agreement holds every content word of it, by stem) or by its
PA-X category (PA-X codes the agreement for a category the aspect's words name), or both; searches rank
agreements meeting every aspect first and say, per result, how each aspect was met.

Plain words map to categories two ways: the words of each category's label in the codebook's column
dictionary (``agreement_category``: "Prisoner release" -> TjPrire; a sub-code by its own part of the
label, not the parent's it repeats), and ``SYNONYMS`` below, the words
the PA-X codebook's definitions use for categories whose labels are codes or jargon ("DDR",
"International Mission/Force/Similar"). A label word naming more than ``GENERIC_LABEL_WORD`` categories
("other", "rights", "reform") names none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.agreements.models import AgreementCategory, AgreementCode
from peaceops.agreements.query_syntax import STOPWORDS, KeywordQuery, is_plain, parse

SPLIT = re.compile(r"\s*(?:[,;]|\b(?:with|and|including|as well as|plus|on|&)\b)\s*", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
GENERIC_LABEL_WORD = 3  # a label word shared by more categories than this names none of them
# Words that say what kind of text is wanted, not what it is about.
QUERY_NOISE = frozenset(
    "agreement agreements accord accords provision provisions clause clauses text texts deal deals "
    "treaty treaties protocol protocols article articles mention mentions reference references".split()
)
LABEL_NOISE = frozenset("other general rhetorical substantive specific new references provisions similar".split())

# Words the PA-X codebook (v4) uses in defining categories whose labels do not say them plainly.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "Ce": ("ceasefire", "cease-fire", "truce", "armistice", "hostilities", "cessation"),
    "SsrDdr": (
        "ddr",
        "disarmament",
        "demobilisation",
        "demobilization",
        "reintegration",
        "combatants",
        "cantonment",
        "weapons",
    ),
    "DdrDemil": ("demilitarisation", "demilitarization", "demilitarised", "buffer"),
    "SsrArm": ("army", "military", "soldiers", "armed"),
    "SsrPol": ("policing", "gendarmerie"),
    "SsrPsf": ("rebels", "militia", "militias", "paramilitary", "guerrilla"),
    "SsrFf": ("withdrawal", "foreign"),
    "SsrInt": ("intelligence",),
    "SsrCrOcr": ("criminal", "trafficking", "smuggling"),
    "SsrDrugs": ("narcotics", "drug"),
    "Terr": ("terrorist", "terrorists", "extremism"),
    "Cor": ("bribery", "embezzlement"),
    "MpsMe": ("integration", "merger", "merge", "unified"),
    "MpsJt": ("joint",),
    "GeWom": ("women", "woman", "gender", "girls", "female"),
    "GeLgbti": ("lgbt", "lgbti", "homosexual"),
    "GCh": ("child", "children", "youth", "minors", "boys"),
    "GDis": ("disability", "disabilities", "disabled"),
    "GAge": ("elderly",),
    "GRa": ("ethnic", "minorities", "minority"),
    "GRe": ("religious", "religion"),
    "GInd": ("indigenous", "aboriginal", "tribal"),
    "GRef": ("refugees", "displaced", "idps", "idp", "returnees", "repatriation"),
    "Polps": ("power-sharing", "powersharing", "coalition", "unity"),
    "Terps": ("territorial",),
    "TpsAut": ("autonomy", "autonomous", "self-government", "self-rule"),
    "TpsSub": ("federal", "federation", "federalism", "decentralisation", "decentralization"),
    "TpsLoc": ("municipal", "local"),
    "EpsRes": ("revenue", "wealth-sharing"),
    "Cons": ("constitution", "constitutional"),
    "Ele": ("election", "elections", "electoral", "voting", "ballot"),
    "ElecComm": ("commission",),
    "PolPar": ("parties", "party"),
    "PolNewTemp": ("interim", "transitional", "transition"),
    "Civso": ("ngos", "ngo", "society"),
    "Pubad": ("administration", "bureaucracy", "officials"),
    "StBor": ("border", "borders", "boundary", "demarcation", "delimitation"),
    "StInd": ("independence", "secession"),
    "StRef": ("referendum", "plebiscite"),
    "StSd": ("self-determination",),
    "HrGen": ("human", "humanitarian-law"),
    "HrNi": ("ombudsman", "ombudsperson", "nhri"),
    "HrDem": ("democratic", "democratisation"),
    "ProtCiv": ("civilians", "civilian"),
    "CprTort": ("torture", "inhuman", "degrading"),
    "CprFmov": ("movement",),
    "CprFspe": ("expression", "speech"),
    "CprFass": ("assembly", "association"),
    "CprTria": ("trial",),
    "CprVote": ("vote",),
    "HrDet": ("detention", "arbitrary"),
    "Med": ("media", "press", "journalists", "broadcasting", "radio"),
    "HrCit": ("citizenship", "nationality", "stateless"),
    "JusJu": ("judiciary", "judicial", "judges", "courts", "court"),
    "JusPri": ("prisons", "prison"),
    "JusEm": ("emergency",),
    "DevHum": ("humanitarian", "relief", "aid"),
    "DevInfra": ("infrastructure", "reconstruction", "roads", "rebuilding"),
    "DevSoc": ("development", "poverty"),
    "NatRes": ("oil", "gas", "minerals", "mining", "diamonds", "timber", "petroleum"),
    "IntFu": ("donors", "donor", "funds", "funding"),
    "Tax": ("taxes", "tax", "customs", "duties"),
    "CenBan": ("bank", "currency"),
    "LaRef": ("land",),
    "LaRefRet": ("restitution", "property"),
    "LaNom": ("pastoralists", "pastoral", "nomads", "nomadic", "grazing", "livestock", "herders"),
    "LaCH": ("heritage", "monuments", "shrines"),
    "LaEn": ("environmental", "ecological", "pollution"),
    "Wat": ("water", "river", "rivers", "riparian", "irrigation"),
    "TjAm": ("amnesty", "pardon", "amnesties", "immunity"),
    "TjPrire": ("prisoners", "detainees", "hostages"),
    "TjVic": ("victims",),
    "TjMis": ("missing", "disappeared", "disappearances"),
    "TjRep": ("reparation", "compensation"),
    "TjNR": ("reconciliation", "truth"),
    "TjVet": ("vetting", "lustration"),
    "TjJaIc": ("icc", "tribunal"),
    "ImPK": ("peacekeeping", "peacekeepers", "peacekeeper", "observers", "monitors", "monitoring", "mission"),
    "ImUN": ("un", "united-nations"),
    "ImE": ("enforcement", "sanctions"),
    "ImRef": ("ratification",),
}


@dataclass(frozen=True)
class Aspect:
    """One part of a question: as typed, its content words, and the PA-X categories they name."""

    text: str
    words: tuple[str, ...]
    codes: tuple[str, ...]


def stem(word: str) -> str:
    """A word without possessive and common suffixes, enough to compare query and lexicon words."""
    word = word.lower().removesuffix("'s").removesuffix("’s")
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word.removesuffix("s")


def content_words(text: str) -> tuple[str, ...]:
    words = [w.lower().removesuffix("'s") for w in WORD.findall(text.replace("’", "'"))]
    kept = [w for w in words if w not in STOPWORDS and w not in QUERY_NOISE and len(w) > 1]
    return tuple(dict.fromkeys(kept))


def lexicon(labels: Mapping[str, str]) -> dict[str, set[str]]:
    """Stemmed plain word -> the PA-X codes it names, from category labels (code -> label) and ``SYNONYMS``."""
    from_labels: dict[str, set[str]] = {}
    for code, label in labels.items():
        own = label.rsplit(": ", 1)[-1]  # a sub-code's label repeats its parent's: "Taxation: Power to Tax"
        for word in content_words(own.replace("/", " ")):
            if word not in LABEL_NOISE:
                from_labels.setdefault(stem(word), set()).add(code)
    out = {w: codes for w, codes in from_labels.items() if len(codes) <= GENERIC_LABEL_WORD}
    for code, words in SYNONYMS.items():
        for word in words:
            out.setdefault(stem(word), set()).add(code)
    return out


def codes_for(words: Iterable[str], words_to_codes: Mapping[str, set[str]]) -> tuple[str, ...]:
    """The categories named by any of ``words`` (a hyphenated word also by its parts)."""
    found: list[str] = []
    for word in words:
        whole = words_to_codes.get(stem(word))
        keys = [word] if whole or "-" not in word else word.split("-")
        for key in keys:
            found.extend(sorted(words_to_codes.get(stem(key), ())))
    return tuple(dict.fromkeys(found))


def split(q: str, words_to_codes: Mapping[str, set[str]]) -> list[Aspect]:
    """The aspects of a plain question, in order; one aspect for a single-part question; none for a query
    with operators (it is exact as written) or one with no content words."""
    if not is_plain(parse(q)):
        return []
    aspects: list[Aspect] = []
    for part in SPLIT.split(q):
        words = content_words(part)
        if words and all(words != a.words for a in aspects):
            aspects.append(Aspect(part.strip(" .?!"), words, codes_for(words, words_to_codes)))
    return aspects


def category_labels(session: Session) -> dict[str, str]:
    """Code -> label of the provision categories (not the codebook's basic-information columns)."""
    rows = session.execute(
        select(AgreementCategory.code, AgreementCategory.label).where(
            AgreementCategory.family.not_like("Basic information%")
        )
    )
    return {code: label for code, label in rows}


def understand(session: Session, q: str) -> list[Aspect]:
    """The aspects of ``q`` with the categories their words name in this database's codebook."""
    return split(q, lexicon(category_labels(session)))


def coded(session: Session, codes: Iterable[str], ids: Iterable[int] | None = None) -> dict[int, dict[str, int]]:
    """Agreement id -> {code: value} for the agreements coded (value > 0) for any of ``codes``."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return {}
    stmt = select(AgreementCode.agreement_id, AgreementCode.code, AgreementCode.value).where(
        AgreementCode.code.in_(wanted), AgreementCode.value > 0
    )
    if ids is not None:
        stmt = stmt.where(AgreementCode.agreement_id.in_(list(ids)))
    out: dict[int, dict[str, int]] = {}
    for agreement_id, code, value in session.execute(stmt):
        held = out.setdefault(int(agreement_id), {})
        held[code] = max(held.get(code, 0), int(value))
    return out


def text_query(aspect: Aspect) -> KeywordQuery:
    """Every content word of the aspect (an AND), for the keyword index."""
    return parse(" AND ".join(f'"{w}"' for w in aspect.words))
