"""Names the agreements memory shows: PA-X stages, regions, the headline categories a mediator compares,
and how UCDP's provision flags map onto PA-X category codes.

Category labels for every PA-X code come from the codebook's column dictionary at import time
(``agreement_category`` table); the few here are the ones pages offer by default.
"""

from __future__ import annotations

from peaceops.i18n import N_, _

# PA-X ``Stage`` codes and what they mean, as the PA-X codebook v4 names them ("Stage: Agreement stage",
# data/pax/docs/PA-X_codebook_Version4.pdf). Every page, export and API answer shows a stage through
# ``stage_label``; nothing else spells these out.
STAGES: dict[str, str] = {
    "Pre": N_("Pre-negotiation/process"),
    "SubPar": N_("Framework-substantive, partial"),
    "SubComp": N_("Framework-substantive, comprehensive"),
    "Imp": N_("Implementation/renegotiation"),
    "Cea": N_("Ceasefire/related"),
    "Ren": N_("Renewal"),
    "Oth": N_("Other"),
}

# PA-X regions; UCDP's region numbers (1 Europe, 2 Middle East, 3 Asia, 4 Africa, 5 Americas) map onto them.
REGIONS: tuple[str, ...] = (
    N_("Africa (excl MENA)"),
    N_("Americas"),
    N_("Asia and Pacific"),
    N_("Europe and Eurasia"),
    N_("Middle East and North Africa"),
    N_("Cross-regional"),
)
UCDP_REGIONS: dict[str, str] = {
    "1": "Europe and Eurasia",
    "2": "Middle East and North Africa",
    "3": "Asia and Pacific",
    "4": "Africa (excl MENA)",
    "5": "Americas",
}

# UCDP ``pa_type``: 1 full, 2 partial, 3 process; read as the closest PA-X stage for UCDP-only agreements.
UCDP_TYPES: dict[str, str] = {"1": "full", "2": "partial", "3": "process"}
UCDP_TYPE_STAGE: dict[str, str] = {"full": "SubComp", "partial": "SubPar", "process": "Pre"}

# UCDP provision flags (Pettersson, Högbladh & Öberg 2019) and the PA-X code that covers the same ground.
# Flags without a close PA-X counterpart keep their own name with a "ucdp_" prefix.
UCDP_FLAG_CODES: dict[str, str] = {
    "cease": "Ce",
    "intarmy": "MpsMe",
    "ddr": "SsrDdr",
    "withd": "SsrFf",
    "pp": "PolParTrans",
    "intgov": "PpsEx",
    "intciv": "Pubad",
    "elections": "Ele",
    "interim": "PolNewTemp",
    "natalks": "ucdp_natalks",
    "shagov": "Polps",
    "aut": "TpsAut",
    "fed": "TpsSub",
    "ind": "StInd",
    "ref": "StRef",
    "shaloc": "TpsLoc",
    "regdev": "ucdp_regdev",
    "cul": "LaCH",
    "demarcation": "StBor",
    "locgov": "ucdp_locgov",
    "amn": "TjAm",
    "pris": "TjPrire",
    "recon": "TjNR",
    "return": "GRef",
    "pko": "ImPK",
    "gender": "GeWom",
}
UCDP_ONLY_LABELS: dict[str, str] = {
    "ucdp_natalks": N_("National talks (UCDP)"),
    "ucdp_regdev": N_("Regional development (UCDP)"),
    "ucdp_locgov": N_("Local government (UCDP)"),
}

# The categories mediators compare most often, offered first on the search and comparison pages.
HEADLINE: dict[str, str] = {
    "Ce": N_("Ceasefire"),
    "SsrDdr": N_("DDR"),
    "Polps": N_("Political power sharing"),
    "Terps": N_("Territorial power sharing"),
    "Mps": N_("Military power sharing"),
    "GeWom": N_("Women, girls and gender"),
    "TjAm": N_("Amnesty/pardon"),
    "TjPrire": N_("Prisoner release"),
    "TjNR": N_("Reconciliation"),
    "TjVic": N_("Victims"),
    "Cons": N_("Constitutional reform"),
    "Ele": N_("Elections"),
    "LaRef": N_("Land reform/rights"),
    "NatRes": N_("Natural resources"),
    "GRef": N_("Refugees and displaced persons"),
    "HrGen": N_("Human rights/rule of law"),
    "SsrPol": N_("Police"),
    "SsrArm": N_("Armed forces"),
    "ImPK": N_("International mission or force"),
    "ImUN": N_("UN signatory"),
}


# Words that mark a passage as treating a category, for the side-by-side comparison (matched by stem).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "Ce": ("ceasefire", "cease-fire", "hostilities", "truce", "armistice"),
    "SsrDdr": ("disarmament", "demobilisation", "demobilization", "reintegration", "cantonment", "weapons"),
    "Polps": ("power-sharing", "power", "sharing", "coalition", "unity", "transitional", "government"),
    "Terps": ("autonomy", "federal", "decentralisation", "decentralization", "regional", "local"),
    "Mps": ("integration", "army", "forces", "command", "military"),
    "GeWom": ("women", "woman", "gender", "girls"),
    "TjAm": ("amnesty", "pardon", "immunity"),
    "TjPrire": ("prisoners", "detainees", "release"),
    "TjNR": ("reconciliation",),
    "TjVic": ("victims",),
    "Cons": ("constitution", "constitutional"),
    "Ele": ("elections", "electoral", "vote"),
    "LaRef": ("land", "property", "restitution"),
    "NatRes": ("resources", "oil", "mining", "minerals", "revenue"),
    "GRef": ("refugees", "displaced", "return", "repatriation"),
    "HrGen": ("human", "rights", "law"),
    "SsrPol": ("police", "policing"),
    "SsrArm": ("army", "armed", "military", "forces"),
    "ImPK": ("peacekeeping", "mission", "monitoring", "force", "observers"),
    "ImUN": ("united", "nations", "secretary-general"),
}


def stage_label(stage: str | None) -> str | None:
    """The codebook's name for a PA-X stage code (an unknown code is shown as it is, never dropped); in
    English, as data: pages show it through ``_()``."""
    return None if stage is None else STAGES.get(stage, stage)


def category_label(label: str | None) -> str:
    """A PA-X category label or family in the current language, part by part ("Taxation: Power to Tax" is
    two labels of the codebook, each in ``codebook_labels``); a part without a translation stays as it is."""
    if not label:
        return ""
    return ": ".join(_(part) if part else part for part in label.split(": "))


def stage_code(text: str) -> str | None:
    """The stage code for a code, a label, or a label's first part ("ceasefire" for Cea), any case."""
    key = text.strip().lower()
    for code, label in STAGES.items():
        if key in (code.lower(), label.lower(), label.split("/")[0].lower()):
            return code
    return None
