"""The agreements memory: one search box (keyword, semantic, hybrid; filters), each agreement with its
provisions, a side-by-side comparison on one category, and exports (CSV, HTML brief, PDF brief)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from peaceops.agreements import comparison
from peaceops.agreements.catalogue import agreement_detail
from peaceops.agreements.categories import HEADLINE, category_label
from peaceops.agreements.export import export_csv
from peaceops.agreements.search import Filters, facets, search
from peaceops.agreements.shapes import AgreementDetail, AgreementHit, AgreementSearch, Comparison, Facets
from peaceops.errors import ValidationFailed
from peaceops.i18n import _
from peaceops.reports.agreements_brief import render_brief
from peaceops.reports.pdf import to_pdf
from peaceops.web.csv_export import download_headers
from peaceops.web.dependencies import CurrentUser, SessionDep
from peaceops.web.templating import render
from peaceops.web.view_cache import cached

pages = APIRouter(include_in_schema=False)
api = APIRouter()
Mode = Literal["keyword", "semantic", "hybrid"]
Limit = Annotated[int, Query(ge=1, le=200, description="How many results, best first (1-200).")]
Text = Annotated[str, Query(description='Search words: "phrase", OR, -exclude; any wording for semantic.')]
Categories = Annotated[list[str] | None, Query(description="PA-X category codes that must be coded (Ce, SsrDdr ...).")]
Ids = Annotated[list[int] | None, Query(description="Agreement ids (peaceops' agreement_id), repeatable.")]


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            _("{name} {value!r} is not a date; write it as YYYY-MM-DD.").format(name=name, value=value)
        ) from None


def _filters(
    category: list[str] | None,
    country: str | None,
    region: str | None,
    stage: str | None,
    date_from: str | None,
    date_to: str | None,
) -> Filters:
    return Filters(
        categories=[c for c in category or [] if c],
        country=country or None,
        region=region or None,
        stage=stage or None,
        date_from=_date(date_from, "date_from"),
        date_to=_date(date_to, "date_to"),
    )


def _run(request: Request, session: Any, q: str, mode: str, limit: int, filters: Filters) -> list[AgreementHit]:
    var_dir = request.app.state.settings.var_dir
    return [r.as_api() for r in search(session, var_dir, q, mode=mode, filters=filters, limit=limit)]


@pages.get("/agreements")
def agreements_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    q: Text = "",
    mode: Mode = "hybrid",
    limit: Limit = 20,
    category: Categories = None,
    country: str | None = None,
    region: str | None = None,
    stage: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Response:
    filters = _filters(category, country, region, stage, date_from, date_to)
    searched = bool(q.strip() or filters.active)
    results = _run(request, session, q, mode, limit, filters) if searched else []
    offered = cached(request, session, "agreement facets", user, (), lambda: facets(session))
    context = {
        "q": q,
        "mode": mode,
        "limit": limit,
        "filters": filters,
        "results": results,
        "searched": searched,
        "facets": offered,
        "headline": HEADLINE,
        "totals": offered.totals,
        "query_string": request.url.query,
        "category_label": category_label,
    }
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "agreement-results":
        return render(request, "mediation/_agreement_results.html", context)
    return render(request, "mediation/agreements.html", context)


@pages.get("/agreements/compare")
def compare_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    ids: Ids = None,
    category: str = "Ce",
) -> Response:
    ids = ids or []
    result = comparison.compare(session, ids, category)
    context = {
        "comparison": result,
        "ids": ids,
        "ids_query": "&".join(f"ids={i}" for i in ids),
        "headline": HEADLINE,
        "category_label": category_label,
    }
    return render(request, "mediation/agreement_compare.html", context)


@pages.get("/agreements/export.csv")
def export_csv_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    ids: Ids = None,
    q: Text = "",
    mode: Mode = "hybrid",
    limit: Limit = 50,
    category: Categories = None,
    country: str | None = None,
    region: str | None = None,
    stage: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Response:
    """The chosen agreements (``ids``), or those a search finds, as CSV."""
    selection = list(ids or []) or [
        r.agreement_id
        for r in _run(request, session, q, mode, limit, _filters(category, country, region, stage, date_from, date_to))
    ]
    return Response(
        export_csv(session, selection),
        media_type="text/csv; charset=utf-8",
        headers=download_headers("agreements.csv"),
    )


def _brief(session: Any, ids: list[int], category: str | None) -> str:
    if not ids:
        raise ValidationFailed(_("Choose at least one agreement for the brief."))
    compared = comparison.compare(session, ids[: comparison.MAX_AGREEMENTS], category) if category else None
    title = (
        _("Peace agreements brief: {category}").format(category=category_label(compared.category.label))
        if compared
        else _("Peace agreements brief")
    )
    return render_brief(session, ids, title=title, comparison=compared)


@pages.get("/agreements/brief")
def brief_page(
    session: SessionDep,
    user: CurrentUser,
    ids: Ids = None,
    category: str | None = None,
) -> Response:
    """A printable, self-contained HTML brief of the chosen agreements (with the comparison, if a category)."""
    return Response(_brief(session, ids or [], category), media_type="text/html; charset=utf-8")


@pages.get("/agreements/brief.pdf")
def brief_pdf_page(
    session: SessionDep,
    user: CurrentUser,
    ids: Ids = None,
    category: str | None = None,
) -> Response:
    pdf = to_pdf(_brief(session, ids or [], category))
    return Response(pdf, media_type="application/pdf", headers=download_headers("agreements-brief.pdf", inline=True))


@pages.get("/agreements/{agreement_id}")
def agreement_page(request: Request, session: SessionDep, user: CurrentUser, agreement_id: int) -> Response:
    detail = agreement_detail(session, agreement_id)
    ucdp_types = {"full": _("full"), "partial": _("partial"), "process": _("process")}  # UCDP's pa_type
    context = {"agreement": detail, "headline": HEADLINE, "category_label": category_label, "ucdp_types": ucdp_types}
    return render(request, "mediation/agreement.html", context)


@api.get("/agreements/search", response_model=AgreementSearch, summary="Search peace agreements")
def search_api(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    q: Text = "",
    mode: Mode = "hybrid",
    limit: Limit = 20,
    category: Categories = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-3 code or country name.")] = None,
    region: Annotated[str | None, Query(description="PA-X region, e.g. 'Africa (excl MENA)'.")] = None,
    stage: Annotated[str | None, Query(description="PA-X stage code: Pre, SubPar, SubComp, Imp, Cea, Ren.")] = None,
    date_from: Annotated[str | None, Query(description="Signed on or after, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, Query(description="Signed on or before, YYYY-MM-DD.")] = None,
) -> AgreementSearch:
    """Keyword (phrases, OR, -exclude), semantic (sentence embeddings) or hybrid (reciprocal rank fusion)."""
    filters = _filters(category, country, region, stage, date_from, date_to)
    return AgreementSearch(results=_run(request, session, q, mode, limit, filters))


@api.get("/agreements/facets", response_model=Facets, summary="What the search filters offer")
def facets_api(session: SessionDep, user: CurrentUser) -> Facets:
    return facets(session)


@api.get("/agreements/compare", response_model=Comparison, summary="How several agreements treat one category")
def compare_api(
    session: SessionDep,
    user: CurrentUser,
    ids: Ids = None,
    category: str = "Ce",
) -> Comparison:
    return comparison.compare(session, ids or [], category)


@api.get(
    "/agreements/{agreement_id}",
    response_model=AgreementDetail,
    summary="One agreement with its categories and provisions",
    responses={404: {"description": "No agreement with this id."}},
)
def agreement_api(session: SessionDep, user: CurrentUser, agreement_id: int) -> AgreementDetail:
    return agreement_detail(session, agreement_id)
