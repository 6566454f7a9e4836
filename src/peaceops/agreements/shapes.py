"""What the agreements functions return: typed, frozen shapes that the pages, their JSON twins (as the
response models, see decision 019), the printable brief and the tests all read. Field order is the JSON's
key order."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True)


class AspectReason(_Shape):
    """How one aspect of the question (a part split off at "with", "and", a comma ...) was met by a result."""

    aspect: str = Field(description="The part of the question, as typed.")
    met: bool = Field(description="Met by its words, its PA-X category or both.")
    words: list[str] = Field(description="The aspect's words the agreement holds (all of them, when met by text).")
    categories: list[CategoryName] = Field(description="PA-X categories named by the aspect that PA-X codes here.")
    passage: str | None = Field(description="A passage holding the aspect's words, plain text.")
    passage_html: str | None = Field(description="The passage, HTML-escaped, matched words in <mark>.")


class AgreementHit(_Shape):
    """One search result: the API contract's fields first (pax_id, title, date, score, snippet), then the extras."""

    pax_id: int | None = Field(description="PA-X AgtId; null for an agreement known only to UCDP.")
    title: str
    date: str | None = Field(description="Date signed, YYYY-MM-DD.")
    score: float = Field(
        description="Keyword: BM25/ts_rank; semantic: cosine; hybrid: sum of z-scores plus a bonus for aspects met "
        "by PA-X category. Results meeting more aspects of the question come first whatever their score."
    )
    snippet: str = Field(description="The passage that matched (a provision where one matched), plain text.")
    agreement_id: int = Field(description="peaceops' own id: /agreements/{agreement_id}.")
    ucdp_paid: int | None = Field(description="UCDP Peace Agreement Dataset id, where known.")
    provision_number: int | None = Field(description="The provision the snippet comes from, if any.")
    snippet_html: str = Field(description="The snippet, HTML-escaped, matched words in <mark>.")
    country: str | None
    region: str | None
    stage: str | None
    stage_label: str | None
    matched_by: list[str] = Field(description="Which rankings found it: keyword, semantic, category.")
    aspects: list[AspectReason] = Field(
        default_factory=list, description="Per aspect of a plain question: whether and why it was met."
    )


class AgreementSearch(_Shape):
    results: list[AgreementHit] = Field(description="Best first.")


class CountryRef(_Shape):
    iso3: str
    name: str | None


class CategoryCode(_Shape):
    code: str
    label: str
    source: str = Field(description="pax (PA-X coding) or ucdp (UCDP flag mapped onto the PA-X code).")
    value: int = Field(description="1-3 for PA-X ordinal codes, 1 for binary codes and UCDP flags.")
    strength: str | None


class CategoryFamily(_Shape):
    family: str
    codes: list[CategoryCode]


class ProvisionText(_Shape):
    number: int
    text: str


class AgreementDetail(_Shape):
    """Everything on record for one agreement; provisions in their order."""

    agreement_id: int
    pax_id: int | None
    ucdp_paid: int | None
    source: str
    release: str | None
    title: str
    date: str | None
    country: str | None
    countries: list[CountryRef]
    region: str | None
    conflict: str | None
    conflict_type: str | None
    ucdp_conflict: str | None
    agreement_type: str | None
    stage: str | None
    stage_label: str | None
    status: str | None
    parties: str | None
    third_parties: str | None
    description: str | None
    ucdp_type: str | None
    ucdp_comment: str | None
    pages: int | None
    url: str | None
    categories: list[CategoryFamily]
    provisions: list[ProvisionText]


class Passage(_Shape):
    """A passage that treats the compared category, as plain text and as escaped HTML with <mark>."""

    provision_number: int | None
    text: str
    html: str


class ComparedAgreement(_Shape):
    agreement_id: int
    pax_id: int | None
    ucdp_paid: int | None
    title: str
    date: str | None
    country: str | None
    stage: str | None
    stage_label: str | None
    pax_value: int | None = Field(description="PA-X code value for the category (null: not coded).")
    ucdp_flag: int | None = Field(description="1 when UCDP flags the agreement for this category.")
    coded: bool
    subcodes: dict[str, int | None]
    passages: list[Passage]
    passages_from: str = Field(description="provisions, summary or none.")
    provisions_on_record: int


class ComparedCategory(_Shape):
    code: str
    label: str
    family: str
    scale: str


class CategoryName(_Shape):
    """A category code and its label (a sub-code of the compared category, a headline category)."""

    code: str
    label: str


class Comparison(_Shape):
    """Several agreements side by side on one category, in the order given."""

    category: ComparedCategory
    subcodes: list[CategoryName]
    words: list[str]
    agreements: list[ComparedAgreement]


class FacetCountry(_Shape):
    iso3: str
    name: str
    agreements: int


class FacetCategory(_Shape):
    code: str
    label: str
    family: str
    agreements: int


class StageName(_Shape):
    code: str
    label: str


class Facets(_Shape):
    """What the search filters offer, with how much the agreements memory holds."""

    totals: dict[str, int]
    regions: list[str]
    stages: list[StageName]
    countries: list[FacetCountry]
    categories: list[FacetCategory]
    headline: list[CategoryName]


class PaxProcessAgreement(_Shape):
    pax_id: int
    signed_on: str | None = Field(description="Date signed, YYYY-MM-DD.")
    stage: str | None = Field(description="The PA-X stage code (Pre, Cea, SubPar, SubComp, Imp, Ren...).")


class PaxProcess(_Shape):
    """A PA-X peace process (``PP``, ``PPName``) as its agreements in the memory describe it."""

    pax_process_id: int
    name: str = Field(description="PPName, e.g. 'Angola: UNITA process'.")
    country: str | None = Field(description="The PA-X country text (Con) most of its agreements give.")
    region: str | None = Field(description="The PA-X region (Reg) most of its agreements give.")
    countries: list[str] = Field(description="ISO3 codes of the places its agreements concern.")
    agreements: list[PaxProcessAgreement] = Field(description="Oldest first.")
