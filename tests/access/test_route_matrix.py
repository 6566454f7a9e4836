"""The access matrix (issue 15): every route of the app, enumerated from the router itself, tried by every
role against every protected resource kind, on SQLite and PostgreSQL.

One database per backend holds canary records (``support.canaries``): a debrief, a restricted incident
report, an allegation and mission A's open records, each with a greppable marker in every text field.
Six accounts sign in through the login form: a viewer, an analyst, a mission officer of mission B, an
administrator without grants, a partner account (a regional organisation's mediation unit, Blue Paper ¶41),
and the holder (mission A's officer, granted the debrief's and the sensitive incidents' compartments) as the
positive control.

Who may read which kind is asked of ``peaceops.access`` (never re-derived here) and checked once against
the seeded design. Then:

- every GET route, with its path parameters filled with the canaries' ids and its query parameters set
  to probe searches, filters and menus, answers each role without a server error and without a marker
  of a kind the role may not read (pages, JSON, CSV, GeoJSON, XLSX and PDF text, headers, the cookie);
- readers do see each kind on its detail routes (so a broken seeding cannot pass for a tight policy),
  and everyone else is refused there;
- counts and charts of incidents count only the reports the reader may open;
- the audit views show an administrator without grants no restricted or debrief text;
- writes to protected records by roles that may not read them are refused and change nothing;
- every other write route answers every role without a server error or a leak;
- a partner account is refused every route that needs a signed-in user, except its own helpdesk requests
  and its own account (PARTNER_ROUTES), reads and writes alike.

A route whose path parameter the matrix cannot fill fails ``test_every_route_is_exercised_or_listed``
until it is given a value in ``support.matrix.path_values`` or listed in EXCLUDED with a reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from support.canaries import KINDS, MISSION_A, PASSWORD, PROBE, THREAT_AREA, USERS, Seeded, seed, text
from support.databases import make_database
from support.matrix import UNSAFE, Endpoint, concrete_paths, endpoints, kind_of, probes, shown, unfilled
from support.web import any_csrf_from, signed_in

from peaceops.access import compartments, policy
from peaceops.access.models import CompartmentGrant, User
from peaceops.access.policy import Actor
from peaceops.conduct import records as conduct_records
from peaceops.conduct.models import Allegation
from peaceops.incidents import access as incident_access
from peaceops.incidents.models import Incident, IncidentCategory, IncidentEvent, IncidentThreatArea, IncidentVersion
from peaceops.missions.models import Mission
from peaceops.processes import debriefs
from peaceops.processes.models import Debrief
from peaceops.safety import serious_incidents
from peaceops.safety.models import IncidentStatusChange, SafetyIncident
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

pytestmark = pytest.mark.data

# Routes the matrix does not request, each with the reason and where it is tested instead.
EXCLUDED: dict[tuple[str, str], str] = {
    ("POST", "/login"): "the matrix signs every role in through it; tests/web/test_login.py, test_sessions.py",
    ("POST", "/logout"): "ends the requesting client's session; tests/web/test_sessions.py",
    ("DELETE", "/api/admin/users/{user_id}/sessions"): "signs the matrix's own clients out; tests/web/test_sessions.py",
    ("POST", "/admin/users/{user_id}/sessions/end"): "signs the matrix's own clients out; tests/web/test_totp.py",
    ("DELETE", "/api/admin/users/{user_id}/totp"): "ends the user's sessions with the reset; tests/web/test_totp.py",
    ("POST", "/admin/users/{user_id}/totp/reset"): "ends the user's sessions with the reset; tests/web/test_totp.py",
}
MOUNTS = {"/static": "static files (CSS, JavaScript, the world map): no records"}

# What the seeded design intends each role to read; the policy must say the same.
DESIGN: dict[str, set[str]] = {
    "viewer": set(),
    "analyst": {"CONDUCT", "OTHERMISSION"},
    "officer-b": set(),
    "admin": {"CONDUCT", "OTHERMISSION"},
    "partner": set(),
    "holder": set(KINDS),
}
REFUSED = (403, 404)
# The only routes a partner account reaches (access.policy.check_full_access; they admit it through
# web.dependencies.AnyUser): its organisation's helpdesk requests, its own account and second factor, the
# home page, which sends it to the helpdesk, and the second step of signing in (no account's records). Each
# is tested for what it shows a partner in tests/mediation/test_partner_accounts.py.
PARTNER_ROUTES: set[tuple[str, str]] = {
    ("GET", "/"),
    ("GET", "/helpdesk"),
    ("GET", "/helpdesk/new"),
    ("GET", "/helpdesk/{request_id}"),
    ("POST", "/helpdesk"),
    ("POST", "/helpdesk/{request_id}/move"),
    ("GET", "/api/helpdesk"),
    ("GET", "/api/helpdesk.csv"),
    ("GET", "/api/helpdesk/{request_id}"),
    ("POST", "/api/helpdesk"),
    ("POST", "/api/helpdesk/{request_id}/move"),
    ("GET", "/account"),
    ("GET", "/api/account"),
    ("GET", "/account/totp"),
    ("POST", "/account/totp"),
    ("POST", "/account/totp/confirm"),
    ("POST", "/account/recovery-codes"),
    ("POST", "/account/totp/off"),
    ("GET", "/api/me"),
    ("GET", "/login/code"),
    ("GET", "/login/enrol"),
}


@dataclass
class Matrix:
    backend: str
    db: Database
    seeded: Seeded
    app: FastAPI
    clients: dict[str, TestClient]
    may: dict[str, set[str]]  # role -> the kinds the policy lets it read
    endpoints: list[Endpoint]
    mounts: list[str]


def _actor(session: Any, user_id: int) -> Actor:
    """The user as the app sees them on each request: role, mission, granted compartments."""
    user = session.get(User, user_id)
    mission = session.get(Mission, user.mission_id) if user.mission_id else None
    return Actor(
        username=user.username,
        role=user.role,
        id=user.id,
        mission=mission.acronym if mission else None,
        compartments=compartments.granted(session, user.id),
    )


def readable_kinds(session: Any, who: Actor, seeded: Seeded) -> set[str]:
    """The canary kinds ``who`` may read, by the access policy's own functions."""
    restricted = session.get(Incident, seeded.restricted_id)
    opened = session.get(Incident, seeded.open_id)
    kinds = set()
    if compartments.holds(who.compartments, debriefs.compartment_of(seeded.process_id)):
        kinds.add("DEBRIEF")
    if incident_access.may_read(who, restricted, MISSION_A):
        kinds.add("RESTRICTED")
    if policy.may_read_mission(who, MISSION_A, conduct_records.WHAT):
        kinds.add("CONDUCT")
    if incident_access.may_read(who, opened, MISSION_A) and policy.may_read_mission(
        who, MISSION_A, serious_incidents.WHAT
    ):
        kinds.add("OTHERMISSION")
    return kinds


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def matrix(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, data_dir: Path
) -> Iterator[Matrix]:
    """Per backend: the canaries seeded once, one app, one signed-in client per role."""
    tmp = tmp_path_factory.mktemp(f"matrix-{request.param}")
    for db in make_database(request.param, tmp):
        seeded = seed(db, data_dir, tmp)
        with db.session() as s:
            may = {name: readable_kinds(s, _actor(s, seeded.users[name]), seeded) for name in USERS}
        app = create_app(Settings(var_dir=tmp / "var", data_dir=data_dir, secret_key="m" * 40), db=db)
        found, mounts = endpoints(app)
        # A server error is an answer to record (status 500), not an exception that stops the matrix.
        clients = {
            name: signed_in(TestClient(app, raise_server_exceptions=False), name, PASSWORD, header_from="/")
            for name in USERS
        }
        try:
            yield Matrix(request.param, db, seeded, app, clients, may, found, mounts)
        finally:
            for client in clients.values():
                client.close()


def leaks(role: str, url: str, response: Any, matrix: Matrix, sent: AbstractSet[str] = frozenset()) -> list[str]:
    """What is wrong with one answer: a server error, or markers of kinds the role may not read."""
    problems = []
    if response.status_code >= 500:
        problems.append(f"{role} {url}: {response.status_code} {response.text[:200]!r}")
    seen = shown(response)
    forbidden = seen.kinds(sent) - matrix.may[role]
    if forbidden:
        markers = sorted(m for m in seen.markers() - sent if kind_of(m) in forbidden)
        problems.append(f"{role} {url}: {response.status_code} shows {', '.join(markers)}")
    return problems


def still_signed_in(matrix: Matrix) -> None:
    """A client signed out half-way would turn every later answer into a harmless 401: check none was."""
    for role, client in matrix.clients.items():
        assert client.get("/api/me").status_code == 200, f"{role} was signed out during the matrix"


def test_the_policy_gives_each_role_what_the_seeded_design_intends(matrix):
    assert matrix.may == DESIGN


def test_every_route_is_exercised_or_listed(matrix):
    keys = {e.key for e in matrix.endpoints}
    unknown = {e.key: unfilled(e, matrix.seeded) for e in matrix.endpoints if e.key not in EXCLUDED}
    unknown = {k: v for k, v in unknown.items() if v}
    assert not unknown, (
        "routes whose path parameters the matrix cannot fill: give them values in support/matrix.py "
        f"path_values, or list them in EXCLUDED with a reason: {unknown}"
    )
    stale = [k for k in [*EXCLUDED, *(w.key for w in protected_writes(matrix.seeded))] if k not in keys]
    assert not stale, f"listed routes the app no longer has: {stale}"
    assert set(matrix.mounts) == set(MOUNTS)
    gets = [e for e in matrix.endpoints if e.method == "GET"]
    writes = [e for e in matrix.endpoints if e.method in UNSAFE]
    assert len(gets) + len(writes) == len(matrix.endpoints), "a method that is neither GET nor a write"
    assert len(matrix.endpoints) > 250, "the router lists far fewer routes than the app has"


def test_the_audit_views_show_an_administrator_without_grants_no_confidential_text(matrix):
    seeded, holder, admin = matrix.seeded, matrix.clients["holder"], matrix.clients["admin"]
    # Side paths that write audit entries while naming confidential words: an export filtered on a
    # restricted report's actor, a debrief search, a read of each record.
    assert holder.get("/api/incidents.csv", params={"actor": seeded.restricted_actor}).status_code == 200
    assert holder.get("/api/debriefs/search", params={"q": PROBE}).json()["total"] == 1
    assert holder.get(f"/api/incidents/{seeded.restricted_id}").status_code == 200
    assert holder.get(f"/api/debriefs/{seeded.debrief_id}").status_code == 200
    problems = []
    for url in ("/admin/audit", "/api/admin/audit?limit=1000"):
        response = admin.get(url)
        assert response.status_code == 200, url
        problems += leaks("admin", url, response, matrix)
        confidential = shown(response).kinds() & {"DEBRIEF", "RESTRICTED"}
        if confidential:  # said twice on purpose: whatever DESIGN becomes, these two stay out of the log
            problems.append(f"admin {url} shows {', '.join(sorted(confidential))} text")
    assert not problems, "\n".join(problems)
    entries = admin.get("/api/admin/audit?limit=1000").json()["entries"]
    about = {(e["action"], e["entity"], e["entity_id"]) for e in entries}
    # The log does record what happened to the confidential records, by id.
    for step in ("create", "submit", "verify", "publish", "update", "read"):
        assert (step, "incident", str(seeded.restricted_id)) in about, step
    assert ("read", "debrief", str(seeded.debrief_id)) in about
    exports = [e["entity_id"] for e in entries if e["action"] == "export" and e["actor"] == "holder"]
    assert "GET /api/incidents.csv?actor" in exports, exports


def test_no_answer_shows_a_role_what_it_may_not_read(matrix):
    problems: list[str] = []
    requests = 0
    for endpoint in matrix.endpoints:
        if endpoint.method != "GET" or endpoint.key in EXCLUDED:
            continue
        for probe in probes(endpoint, matrix.seeded):
            for role, client in matrix.clients.items():
                response = client.get(probe.url, follow_redirects=False)
                requests += 1
                problems += leaks(role, probe.url, response, matrix, probe.sent_markers())
    assert not problems, f"{len(problems)} of {requests} answers:\n" + "\n".join(problems)
    assert requests > 1000
    still_signed_in(matrix)


def _needs_sign_in(response: Any) -> bool:
    """Whether an anonymous request was sent to sign in: 401 (the API) or a redirect to the sign-in page."""
    return response.status_code == 401 or (
        response.status_code in (302, 303, 307) and response.headers.get("location", "").startswith("/login")
    )


def test_a_partner_account_is_refused_everything_but_its_helpdesk_requests_and_its_account(matrix):
    """Blue Paper ¶41: the helpdesk is open to the UN's partners, and nothing else is. Every route an
    anonymous visitor is sent to sign in for refuses the partner account (403), unless it is one of
    PARTNER_ROUTES; reads and writes alike, whatever the body."""
    partner = matrix.clients["partner"]
    anonymous = TestClient(matrix.app, raise_server_exceptions=False)
    stale = PARTNER_ROUTES - {e.key for e in matrix.endpoints}
    assert not stale, f"PARTNER_ROUTES lists routes the app no longer has: {stale}"
    problems, closed, admitted = [], 0, 0
    for endpoint in matrix.endpoints:
        if endpoint.key in EXCLUDED:
            continue
        body: dict[str, Any] = {}
        if endpoint.method in UNSAFE:
            body = {"data": {}} if endpoint.form_body else {"json": {}} if endpoint.json_body else {}
        for path in concrete_paths(endpoint, matrix.seeded):
            if endpoint.method in UNSAFE:  # a fresh token (a refusal clears the session), so writes reach the route
                anonymous.headers["X-CSRF-Token"] = any_csrf_from(anonymous.get("/login").text)
            outside = anonymous.request(endpoint.method, path, follow_redirects=False, **body)
            if not _needs_sign_in(outside):
                continue  # public (sign-in page, health, language switch): nothing to refuse
            response = partner.request(endpoint.method, path, follow_redirects=False, **body)
            if response.status_code >= 500:
                problems.append(f"partner {endpoint.method} {path}: {response.status_code}")
            elif endpoint.key in PARTNER_ROUTES:
                admitted += 1
            elif response.status_code != 403:
                problems.append(f"partner {endpoint.method} {path}: {response.status_code}, not refused")
            else:
                closed += 1
    anonymous.close()
    assert not problems, f"{len(problems)} routes:\n" + "\n".join(problems)
    assert closed > 250 and admitted >= len(PARTNER_ROUTES) - 1
    still_signed_in(matrix)


def _detail_routes(s: Seeded) -> dict[str, list[str]]:
    """Per kind, the routes that show one record: readers see its marker, everyone else is refused."""
    return {
        "DEBRIEF": [
            f"/debriefs/{s.debrief_id}",
            f"/debriefs/{s.debrief_id}/edit",
            f"/api/debriefs/{s.debrief_id}",
            f"/processes/{s.process_id}/debriefs",
            f"/api/processes/{s.process_id}/debriefs",
        ],
        "RESTRICTED": [
            f"/incidents/{s.restricted_id}",
            f"/incidents/{s.restricted_id}/edit",
            f"/api/incidents/{s.restricted_id}",
        ],
        "CONDUCT": [f"/api/conduct/allegations/{s.allegation_id}"],
        "OTHERMISSION": [
            f"/incidents/{s.open_id}",
            f"/api/incidents/{s.open_id}",
            f"/safety/incidents/{s.safety_id}",
            f"/api/safety/incidents/{s.safety_id}",
        ],
    }


def _list_routes(s: Seeded) -> dict[str, list[str]]:
    """Per kind, lists, searches and exports where a reader finds the record too."""
    return {
        "DEBRIEF": [f"/debriefs?q={PROBE}", f"/api/debriefs/search?q={PROBE}"],
        "RESTRICTED": [
            "/api/incidents",
            "/api/incidents.csv",
            "/api/incidents.geojson",
            f"/api/incidents?threat_area={THREAT_AREA}",
            f"/api/missions/{MISSION_A}/threat-areas?threat_area={THREAT_AREA}",
        ],
        "CONDUCT": ["/conduct/allegations", "/api/conduct/allegations", "/api/conduct/allegations.csv"],
        "OTHERMISSION": ["/api/incidents.csv", "/api/safety/incidents", "/api/safety/incidents.csv"],
    }


def test_readers_see_each_kind_where_it_is_shown_and_everyone_else_is_refused(matrix):
    problems = []
    for kind, urls in _detail_routes(matrix.seeded).items():
        for url in urls:
            for role, client in matrix.clients.items():
                response = client.get(url)
                reads = kind in matrix.may[role]
                if reads and (response.status_code != 200 or kind not in shown(response).kinds()):
                    problems.append(f"{role} may read {kind} but {url} answers {response.status_code} without it")
                if not reads and response.status_code not in REFUSED:
                    problems.append(f"{role} may not read {kind} but {url} answers {response.status_code}")
    for kind, urls in _list_routes(matrix.seeded).items():
        for url in urls:
            for role, client in matrix.clients.items():
                if kind in matrix.may[role]:
                    response = client.get(url)
                    if response.status_code != 200 or kind not in shown(response).kinds():
                        problems.append(f"{role} may read {kind} but {url} answers {response.status_code} without it")
    assert not problems, "\n".join(problems)


def _weekly(body: dict[str, Any]) -> int:
    return sum(cell["count"] for cell in body["cells"])


def _month(body: dict[str, Any], key: str, month: str) -> int:
    rows = body.get("months") or body.get("rows") or []
    return sum(row["mission_reports"] for row in rows if str(row[key]).startswith(month))


def _area(counts: list[dict[str, Any]], field: str = "count") -> int:
    """The canaries' threat area in a list of counts by area (a view's "–", None, counts as 0)."""
    return next(int(c[field] or 0) for c in counts if c["code"] == THREAT_AREA)


COUNTS = {
    "/api/incidents?mission=MINUSCA": lambda body: len(body["incidents"]),
    "/api/incidents/map?start=2024-04-01&end=2024-06-30": lambda body: len(body["points"]),
    "/api/incidents/weekly?start=2024-04-01&end=2024-06-30": _weekly,
    "/api/incidents/beside-ucdp?mission=MINUSCA": lambda body: _month(body, "month", "2024-05"),
    "/api/incidents/panel?mission=MINUSCA&start=2024-04": lambda body: _month(body, "month", "2024-05"),
    # threat areas (decision 046): the filter, the list's counts, the mission and the regional views
    f"/api/incidents?threat_area={THREAT_AREA}": lambda body: len(body["incidents"]),
    "/api/incidents?threat_area=cyber": lambda body: _area(body["threat_areas"]),
    f"/api/missions/{MISSION_A}/threat-areas": lambda body: _area(body["rows"], "incidents"),
    f"/api/regions/017?threat_area={THREAT_AREA}": lambda body: _area(body["threat_areas"]["rows"], "incidents"),
    f"/api/regions/017?threat_area={THREAT_AREA}&_=list": lambda body: len(body["incidents"]),
}


def test_incident_counts_and_charts_count_only_the_reports_the_reader_may_open(matrix):
    problems = []
    for url, count in COUNTS.items():
        for role, client in matrix.clients.items():
            expected = len(matrix.may[role] & {"RESTRICTED", "OTHERMISSION"})  # one published report each
            response = client.get(url)
            if response.status_code in REFUSED and expected == 0:
                continue
            got = count(response.json()) if response.status_code == 200 else f"status {response.status_code}"
            if got != expected:
                problems.append(f"{role} {url}: counts {got}, may open {expected}")
    assert not problems, "\n".join(problems)


# ---- writes --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Write:
    """An unsafe request on a protected record, refused to every role that may not read ``kind``."""

    method: str
    route: str  # the route's path format, as the router lists it
    url: str
    kind: str
    json: dict[str, Any] | None = None
    form: dict[str, Any] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.route


def _report(kind: str, category: str, extra: dict[str, Any]) -> dict[str, Any]:
    """A valid report body: a refusal must come from the policy, not from validation."""
    return {
        "mission": MISSION_A,
        "occurred_at": "2024-05-01 09:00",
        "longitude": 18.5582,
        "latitude": 4.3612,
        "category": category,
        "actors": ["Overwritten actor"],
        "threat_areas": ["cyber"],
        "extra": extra,
        "description": "Overwritten by the matrix.",
        "source_type": "patrol",
        "reliability": "B",
        "credibility": 2,
        "reason": "Overwritten by the matrix.",
    }


def _report_form(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "mission": MISSION_A,
        "date": "2024-05-01",
        "time": "09:00",
        "longitude": "18.5582",
        "latitude": "4.3612",
        "category": report["category"],
        "actors": "Overwritten actor",
        "threat_areas": "cyber",
        "description": report["description"],
        "source_type": "patrol",
        "reliability": "B",
        "credibility": "2",
        "reason": report["reason"],
        **{f"extra_{k}": v for k, v in report["extra"].items()},
    }


def protected_writes(s: Seeded) -> list[Write]:
    restricted = _report("RESTRICTED", "sexual_violence", {"survivors": "5"})
    opened = _report("OTHERMISSION", "armed_clash", {})
    doc = {
        "author": "Overwritten author",
        "period_start": "2023-01-01",
        "period_end": "2024-03-31",
        "what_worked": "Overwritten by the matrix.",
    }
    unflag = {
        "mission": MISSION_A,
        "code": "sexual_violence",
        "label": "Conflict-related sexual violence",
        "sensitive": False,
        "required_fields": ["survivors"],
    }
    status = {"status": "case_opened", "effective_on": "2024-05-02", "note": "Moved by the matrix."}
    reject, note = {"action": "reject", "note": "x"}, {"note": "x"}
    restricted_id, open_id = s.restricted_id, s.open_id

    def w(method: str, route: str, kind: str, *, json: Any = None, form: Any = None, **ids: object) -> Write:
        return Write(method, route, route.format(**ids), kind, json, form)

    page, api = "/incidents/{incident_id}", "/api/incidents/{incident_id}"
    r, o = {"incident_id": restricted_id}, {"incident_id": open_id}
    return [
        # a restricted report: edit, workflow, merges either way, lifting its category's flag
        w("PUT", api, "RESTRICTED", json=restricted, **r),
        w("POST", page + "/edit", "RESTRICTED", form=_report_form(restricted), **r),
        w("POST", page + "/step", "RESTRICTED", form=reject, **r),
        w("POST", api + "/{action}", "RESTRICTED", json=note, action="reject", **r),
        w("POST", api + "/merge", "RESTRICTED", json={"duplicate_id": restricted_id}, **o),
        w("POST", api + "/merge", "RESTRICTED", json={"duplicate_id": open_id}, **r),
        w("POST", page + "/merge", "RESTRICTED", form={"duplicate_id": str(restricted_id)}, **o),
        w("POST", page + "/merge", "RESTRICTED", form={"duplicate_id": str(open_id)}, **r),
        w("POST", "/api/incidents/taxonomy", "RESTRICTED", json=unflag),
        w("POST", "/incidents/taxonomy", "RESTRICTED", form=unflag),
        # mission A's open records, from outside mission A
        w("PUT", api, "OTHERMISSION", json=opened, **o),
        w("POST", page + "/edit", "OTHERMISSION", form=_report_form(opened), **o),
        w("POST", page + "/step", "OTHERMISSION", form=reject, **o),
        w("POST", api + "/{action}", "OTHERMISSION", json=note, action="reject", **o),
        w("POST", "/api/incidents", "OTHERMISSION", json=opened),
        w("POST", "/safety/incidents/{incident_id}/status", "OTHERMISSION", form=status, incident_id=s.safety_id),
        w("POST", "/api/safety/incidents/{incident_id}/status", "OTHERMISSION", json=status, incident_id=s.safety_id),
        # the debrief, and its process's compartment
        w("PUT", "/api/debriefs/{debrief_id}", "DEBRIEF", json=doc, debrief_id=s.debrief_id),
        w("POST", "/debriefs/{debrief_id}", "DEBRIEF", form=doc, debrief_id=s.debrief_id),
        w("POST", "/api/processes/{process_id}/debriefs", "DEBRIEF", json=doc, process_id=s.process_id),
        w("POST", "/processes/{process_id}/debriefs", "DEBRIEF", form=doc, process_id=s.process_id),
    ]


PROTECTED_TABLES = (
    Incident, IncidentVersion, IncidentEvent, IncidentCategory, IncidentThreatArea, Debrief, SafetyIncident,
    IncidentStatusChange, Allegation, CompartmentGrant,
)  # fmt: skip


def fingerprint(db: Database) -> dict[str, list[str]]:
    """Every row of the protected records' tables, as text."""
    with db.session() as s:
        return {
            model.__tablename__: sorted(json.dumps(list(r), default=str) for r in s.execute(select(model.__table__)))
            for model in PROTECTED_TABLES
        }


def test_writes_to_protected_records_are_refused_and_change_nothing(matrix):
    before = fingerprint(matrix.db)
    problems, tried = [], 0
    for write in protected_writes(matrix.seeded):
        for role, client in matrix.clients.items():
            if write.kind in matrix.may[role]:
                continue
            response = client.request(write.method, write.url, json=write.json, data=write.form, follow_redirects=False)
            tried += 1
            problems += leaks(role, f"{write.method} {write.url}", response, matrix)
            if response.status_code not in REFUSED:
                problems.append(f"{role} {write.method} {write.url}: {response.status_code} {response.text[:200]!r}")
            after = fingerprint(matrix.db)
            changed = [name for name in before if before[name] != after[name]]
            if changed:
                problems.append(f"{role} {write.method} {write.url} changed {', '.join(changed)}")
                before = after
    assert not problems, "\n".join(problems)
    assert tried >= 50
    with matrix.db.session() as s:  # the canaries are as seeded
        assert s.get(Incident, matrix.seeded.restricted_id).description.startswith(text("RESTRICTED", "DESCRIPTION"))
        assert s.get(Debrief, matrix.seeded.debrief_id).what_worked == text("DEBRIEF", "WORKED")
    still_signed_in(matrix)


def test_every_other_write_answers_without_a_server_error_or_a_leak(matrix):
    """Every remaining unsafe route, with an empty body, as every role: a refusal or a validation message,
    never a 500 or a marker; and no protected record changes. Runs last: analysts' empty requests may
    legitimately change unprotected records (a gazetteer rebuilt from no events, say)."""
    covered = {w.key for w in protected_writes(matrix.seeded)} | set(EXCLUDED)
    before = fingerprint(matrix.db)
    problems, tried = [], 0
    for endpoint in matrix.endpoints:
        if endpoint.method not in UNSAFE or endpoint.key in covered:
            continue
        body: dict[str, Any] = {"data": {}} if endpoint.form_body else {"json": {}} if endpoint.json_body else {}
        for path in concrete_paths(endpoint, matrix.seeded):
            for role, client in matrix.clients.items():
                response = client.request(endpoint.method, path, follow_redirects=False, **body)
                tried += 1
                problems += leaks(role, f"{endpoint.method} {path}", response, matrix)
    assert not problems, f"{len(problems)} of {tried} answers:\n" + "\n".join(problems)
    assert fingerprint(matrix.db) == before
    still_signed_in(matrix)
