"""Response shapes of the agreements API (search, one agreement, comparison, filter options)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AgreementHitOut(BaseModel):
    pax_id: int | None = Field(description="PA-X AgtId; null for an agreement known only to UCDP.")
    title: str
    date: str | None = Field(description="Date signed, YYYY-MM-DD.")
    score: float = Field(description="Keyword: BM25/ts_rank; semantic: cosine; hybrid: reciprocal rank fusion.")
    snippet: str = Field(description="The passage that matched (a provision where one matched), plain text.")
    agreement_id: int = Field(description="peaceops' own id: /agreements/{agreement_id}.")
    ucdp_paid: int | None = Field(description="UCDP Peace Agreement Dataset id, where known.")
    provision_number: int | None = Field(description="The provision the snippet comes from, if any.")
    snippet_html: str = Field(description="The snippet, HTML-escaped, matched words in <mark>.")
    country: str | None
    region: str | None
    stage: str | None
    stage_label: str | None
    matched_by: list[str] = Field(description="Which rankings found it: keyword, semantic.")


class AgreementSearchOut(BaseModel):
    results: list[AgreementHitOut] = Field(description="Best first.")


class CountryRef(BaseModel):
    iso3: str
    name: str | None


class CodeOut(BaseModel):
    code: str
    label: str
    source: str = Field(description="pax (PA-X coding) or ucdp (UCDP flag mapped onto the PA-X code).")
    value: int = Field(description="1-3 for PA-X ordinal codes, 1 for binary codes and UCDP flags.")
    strength: str | None


class CategoryFamilyOut(BaseModel):
    family: str
    codes: list[CodeOut]


class ProvisionOut(BaseModel):
    number: int
    text: str


class AgreementDetailOut(BaseModel):
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
    categories: list[CategoryFamilyOut]
    provisions: list[ProvisionOut]


class PassageOut(BaseModel):
    provision_number: int | None
    text: str
    html: str


class ComparedAgreementOut(BaseModel):
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
    passages: list[PassageOut]
    passages_from: str = Field(description="provisions, summary or none.")
    provisions_on_record: int


class CategoryOut(BaseModel):
    code: str
    label: str
    family: str
    scale: str


class SubcodeOut(BaseModel):
    code: str
    label: str


class ComparisonOut(BaseModel):
    category: CategoryOut
    subcodes: list[SubcodeOut]
    words: list[str]
    agreements: list[ComparedAgreementOut]


class FacetCountryOut(BaseModel):
    iso3: str
    name: str
    agreements: int


class FacetCategoryOut(BaseModel):
    code: str
    label: str
    family: str
    agreements: int


class StageOut(BaseModel):
    code: str
    label: str


class FacetsOut(BaseModel):
    totals: dict[str, int]
    regions: list[str]
    stages: list[StageOut]
    countries: list[FacetCountryOut]
    categories: list[FacetCategoryOut]
    headline: list[SubcodeOut]
