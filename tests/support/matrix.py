"""The access matrix's machinery: every route of the app as the router has it, concrete requests for each
(path parameters filled with the canary records' ids, query parameters that probe side paths), and a scan
of every answer for canary markers (body, headers, the session cookie, CSV, JSON, XLSX and PDF text).

The test itself is tests/access/test_route_matrix.py; the records are seeded by ``support.canaries``.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, params
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount

from support.canaries import MARKER, MISSION_A, PROBE, THREAT_AREA, Seeded

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
_PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


@dataclass(frozen=True)
class Endpoint:
    """One method of one route, as the app's router holds it."""

    method: str
    path: str  # the route's path format: /incidents/{incident_id}
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    form_body: bool
    json_body: bool

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path


def endpoints(app: FastAPI) -> tuple[list[Endpoint], list[str]]:
    """Every (method, route) of ``app``, with the query parameters its dependencies read; and the mounts
    (static files), which are not routes of ours."""
    out: list[Endpoint] = []
    mounts: list[str] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount) or isinstance(context.route, Mount):
            mounts.append(context.path or "")
            continue
        assert isinstance(route, APIRoute), f"a route of an unexpected kind: {route!r}"
        path = context.path_format or route.path_format
        query_fields, body_fields = _fields(route.dependant)
        query = tuple(sorted({p.alias for p in query_fields}))
        forms = any(isinstance(p.field_info, params.Form) for p in body_fields)
        for method in sorted(context.methods or route.methods):
            out.append(
                Endpoint(
                    method=method,
                    path=path,
                    path_params=tuple(_PARAM.findall(path)),
                    query_params=query,
                    form_body=forms,
                    json_body=bool(body_fields) and not forms,
                )
            )
    return out, mounts


def _fields(dependant: Any) -> tuple[list[Any], list[Any]]:
    """The query and body parameters of a route and of every dependency it has, however deep."""
    query, body = list(dependant.query_params), list(dependant.body_params)
    for sub in dependant.dependencies:
        q, b = _fields(sub)
        query += q
        body += b
    return query, body


# ---- path parameters ------------------------------------------------------------------------------------------
# A path parameter is filled by name; a few names mean different records under different paths. The ids of
# records the matrix does not seed (they are not protected kinds) point at a record that does not exist, so
# their "not found" answers are scanned too. A route with a parameter named in neither table fails
# ``unfilled`` until it is added here or to the test's EXCLUDED list with a reason.
NOT_SEEDED = "999999"


def path_values(seeded: Seeded) -> dict[str, Callable[[str], list[str]]]:
    """Parameter name -> (route path -> the values to try)."""

    def incident(path: str) -> list[str]:
        if path.startswith(("/safety/", "/api/safety/")):
            return [str(seeded.safety_id)]
        return [str(seeded.restricted_id), str(seeded.open_id)]

    def code(path: str) -> list[str]:
        if path.startswith(("/regions/", "/api/regions/")):
            return ["017"]  # Middle Africa, which holds mission A's host country
        if "/results/" in path:
            return [seeded.result_code or NOT_SEEDED]
        return [seeded.indicator_code or NOT_SEEDED]

    def fixed(*values: object) -> Callable[[str], list[str]]:
        return lambda path: [str(v) for v in values]

    def what(path: str) -> list[str]:
        if path.startswith("/resources/"):
            return ["requirements", "budgets"]
        return ["courses", "records", "requests"]

    return {
        "acronym": fixed(MISSION_A),
        "incident_id": incident,
        "debrief_id": fixed(seeded.debrief_id),
        "process_id": fixed(seeded.process_id),
        "allegation_id": fixed(seeded.allegation_id),
        "run_id": fixed(seeded.conduct_run_id),
        "user_id": fixed(seeded.users["holder"]),
        "code": code,
        "period": fixed("2024-Q1"),
        "element": fixed("A4P.1"),
        "fmt": fixed("csv", "xlsx"),
        "what": what,  # the training, support and resources exports
        "register": fixed("plans", "tasks", "bases"),  # the transition exports
        "iso3": fixed("CAF"),
        "level": fixed("cm"),
        "unit_id": fixed("482"),  # the Central African Republic's Gleditsch-Ward number
        "action": fixed("reject"),
        "kind": fixed("parties"),
        # Kinds the matrix does not seed: their refusal and "not found" paths are what is exercised.
        "commitment_id": fixed(seeded.commitment_id or NOT_SEEDED),
        "subscription_id": fixed(NOT_SEEDED),
        "alert_id": fixed(NOT_SEEDED),
        "agreement_id": fixed(NOT_SEEDED),
        "pledge_id": fixed(NOT_SEEDED),
        "framework_id": fixed(NOT_SEEDED),
        "operation_id": fixed(NOT_SEEDED),
        "milestone_id": fixed(NOT_SEEDED),
        "expert_id": fixed(NOT_SEEDED),
        "request_id": fixed(NOT_SEEDED),
        "mediator_id": fixed(NOT_SEEDED),
        "item_id": fixed(NOT_SEEDED),
        "narrative_id": fixed(NOT_SEEDED),
        "term_id": fixed(NOT_SEEDED),
        "task_id": fixed(NOT_SEEDED),
        "job_id": fixed(NOT_SEEDED),
    }


def unfilled(endpoint: Endpoint, seeded: Seeded) -> list[str]:
    known = path_values(seeded)
    return [name for name in endpoint.path_params if name not in known]


def concrete_paths(endpoint: Endpoint, seeded: Seeded) -> list[str]:
    """Every combination of the parameter values, as paths."""
    known = path_values(seeded)
    paths = [endpoint.path]
    for name in endpoint.path_params:
        values = known[name](endpoint.path)
        paths = [p.replace("{" + name + "}", v, 1) for p in paths for v in values]
    return paths


# ---- query parameters that probe side paths --------------------------------------------------------------------
def probe_values(seeded: Seeded, path: str) -> dict[str, str]:
    """Query parameter -> the value that steers a search, filter or menu towards the canaries."""
    conduct = path.startswith(("/conduct", "/api/conduct"))
    return {
        "q": PROBE,
        "mission": MISSION_A,
        "process": str(seeded.process_id),
        "actor": seeded.restricted_actor,
        "category": "sexual_violence",
        "year": "2024",
        "country": "BGD" if conduct else "CAF",
        "start": "2024-01-01",
        "end": "2024-12-31",
        "threat_area": THREAT_AREA,  # the restricted report's area: its filter and counts must not show it
    }


@dataclass(frozen=True)
class Probe:
    """One GET request: the path and its query."""

    endpoint: Endpoint
    path: str
    query: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        return self.path + ("?" + urlencode(self.query) if self.query else "")

    def sent_markers(self) -> set[str]:
        """Markers the request itself carries (a filter on a restricted actor's name): never counted as leaks."""
        return {m.group(0).upper() for _, value in self.query for m in MARKER.finditer(value)}


def probes(endpoint: Endpoint, seeded: Seeded) -> list[Probe]:
    """The plain request for every filled path, and one with the side-path probes the route accepts."""
    out = []
    for path in concrete_paths(endpoint, seeded):
        out.append(Probe(endpoint, path))
        values = probe_values(seeded, endpoint.path)
        query = tuple((name, values[name]) for name in endpoint.query_params if name in values)
        if query:
            out.append(Probe(endpoint, path, query))
    return out


# ---- what an answer shows ---------------------------------------------------------------------------------------
@dataclass
class Shown:
    """The text of an answer, decoded as far as its type allows."""

    text: str
    decoded: list[str] = field(default_factory=list)  # how: "xlsx", "pdf", "cookie"...

    def markers(self) -> set[str]:
        return {m.group(0).upper() for m in MARKER.finditer(self.text)}

    def kinds(self, ignore: AbstractSet[str] = frozenset()) -> set[str]:
        return {kind_of(m) for m in self.markers() - ignore}


def kind_of(marker: str) -> str:
    """``CANARYDEBRIEFAUTHOR`` -> ``DEBRIEF``."""
    found = MARKER.match(marker)
    assert found, marker
    return found.group(1).upper()


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


def _pdf_text(content: bytes) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        return content.decode("latin-1")
    done = subprocess.run([tool, "-q", "-", "-"], input=content, capture_output=True, timeout=60, check=False)
    return done.stdout.decode("utf-8", "replace")


def _cookie_payloads(set_cookies: list[str]) -> list[str]:
    """The JSON inside Starlette's signed session cookie (base64, then the signature)."""
    out = []
    for cookie in set_cookies:
        value = cookie.split(";", 1)[0].split("=", 1)[-1].strip('"')
        payload = value.split(".", 1)[0]
        try:
            out.append(base64.b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8", "replace"))
        except ValueError:
            continue
    return out


def shown(response) -> Shown:  # an httpx.Response
    """Body (decoded by type), headers and session cookie of an answer, as one text to scan."""
    kind = response.headers.get("content-type", "")
    content = response.content
    parts = [f"{k}: {v}" for k, v in response.headers.multi_items()]
    decoded = []
    if content.startswith(b"PK") and ("spreadsheet" in kind or "zip" in kind or "excel" in kind):
        parts.append(_xlsx_text(content))
        decoded.append("xlsx")
    elif content.startswith(b"%PDF"):
        parts.append(_pdf_text(content))
        decoded.append("pdf")
    else:
        body = content.decode("utf-8", "replace")
        parts.append(body)
        if "json" in kind:  # \u-escaped text, as a client would read it
            try:
                parts.append(json.dumps(json.loads(body), ensure_ascii=False))
            except ValueError:
                pass
    cookies = _cookie_payloads(response.headers.get_list("set-cookie"))
    if cookies:
        parts.extend(cookies)
        decoded.append("cookie")
    return Shown("\n".join(parts), decoded)
