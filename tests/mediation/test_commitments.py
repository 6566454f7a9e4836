"""Implementation tracking: commitments seeded from real PA-X rows of a host country, the CSV/XLSX importer
(rejections with line numbers, idempotent rerun), the derived POL_PROVISIONS_DONE, the API's filters, and
the access rules on linked confidential records (on SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from support.databases import make_database
from support.web import csrf_from, signed_in_client

from peaceops.access import compartments
from peaceops.access.policy import LOCAL_ADMIN, SYSTEM
from peaceops.access.users import add_user
from peaceops.agreements.models import Agreement, AgreementCode, AgreementCountry
from peaceops.commitments.models import Commitment, CommitmentLink, CommitmentStatus
from peaceops.commitments.tracking import StatusDoc, record_status
from peaceops.errors import PermissionDenied
from peaceops.incidents.models import Incident, IncidentCategory
from peaceops.missions.lookup import mission_by_acronym
from peaceops.performance.derived import DERIVATIONS, Context, DerivationUnavailable
from peaceops.performance.models import Indicator, IndicatorValue, ResultsFramework
from peaceops.platform import import_file, provision_performance, seed_commitments
from peaceops.processes.debriefs import DebriefDoc, create_debrief
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import create_process
from peaceops.settings import Settings
from peaceops.store import Database
from peaceops.web import create_app

PASSWORD = "commitments password, long enough"
SECRET = "the quiet corridor deal"
HEADER = "agreement,ref,category,text,parties,due,process,status,status_date,evidence,source,recorded_by\n"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def tracked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[dict]:
    """Per backend: the real missions register and PA-X agreements, commitments seeded for the active missions'
    host countries, a process with a debrief, a restricted incident, and accounts."""
    tmp = tmp_path_factory.mktemp(f"commitments-{request.param}")
    for db in make_database(request.param, tmp):
        import_file(db, "missions", data_dir / "un_peacekeeping" / "missions" / "DPPADPOSS-PKO.csv", "test")
        import_file(db, "pax-agreements", data_dir / "pax" / "coded_v4" / "pax_all_agreements_data.csv", "test")
        first = seed_commitments(db, "test")
        with db.session() as s:
            process = create_process(
                s, SYSTEM, ProcessDoc(name="South Sudan peace process", conflict="South Sudan", phase="implementation")
            )
            debrief = create_debrief(
                s, LOCAL_ADMIN, process.id,
                DebriefDoc(author="Departing envoy", period_start=date(2022, 1, 1), period_end=date(2023, 6, 30),
                           tacit_understandings=SECRET),
            )  # fmt: skip
            mission = mission_by_acronym(s, "UNMISS")
            category = IncidentCategory(mission_id=mission.id, code="gbv", label="GBV", sensitive=True)
            s.add(category)
            s.flush()
            incident = Incident(
                mission_id=mission.id, occurred_at=datetime(2023, 3, 1, 10), longitude=31.6, latitude=4.85, cell=0,
                category_id=category.id, source_type="patrol", reliability="B", credibility=2, status="published",
                compartment="incidents:sensitive:unmiss", reported_by="test", description=SECRET,
            )  # fmt: skip
            s.add(incident)
            for name, role in (("analyst", "analyst"), ("holder", "analyst"), ("viewer", "viewer")):
                add_user(s, name, PASSWORD, role)
            s.flush()
            for compartment in (f"process:{process.id}", "incidents:sensitive:unmiss"):
                compartments.grant(s, "holder", compartment, actor="test")
            ids = {"process": process.id, "debrief": debrief.id, "incident": incident.id}
        yield {"db": db, "seed": first, "tmp": tmp, **ids}


@pytest.fixture(scope="module")
def clients(tracked: dict, data_dir: Path) -> Iterator[dict[str, TestClient]]:
    settings = Settings(var_dir=tracked["tmp"] / "var", data_dir=data_dir, secret_key="c" * 40)
    app = create_app(settings, db=tracked["db"])
    made = {name: signed_in_client(app, name, PASSWORD, header_from="/") for name in ("analyst", "holder", "viewer")}
    yield made
    for client in made.values():
        client.close()


def _ssd_agreement(db: Database) -> int:
    """The PA-X AgtId of a real South Sudan agreement with PA-X provision codes."""
    with db.session() as s:
        return int(
            s.scalar(
                select(Agreement.pax_id)
                .join(AgreementCountry, AgreementCountry.agreement_id == Agreement.id)
                .join(AgreementCode, AgreementCode.agreement_id == Agreement.id)
                .where(AgreementCountry.iso3 == "SSD", AgreementCode.source == "pax", AgreementCode.value > 0)
                .order_by(Agreement.pax_id)
                .limit(1)
            )
        )


def test_seeding_turns_the_pax_codes_of_host_country_agreements_into_unassessed_commitments(tracked):
    db = tracked["db"]
    assert "UNMISS" in tracked["seed"].missions and tracked["seed"].inserted > 0
    with db.session() as s:
        ssd = select(AgreementCountry.agreement_id).where(AgreementCountry.iso3 == "SSD")
        codes = s.scalar(
            select(func.count())
            .select_from(AgreementCode)
            .join(Agreement, Agreement.id == AgreementCode.agreement_id)
            .where(
                AgreementCode.agreement_id.in_(ssd),
                AgreementCode.source == "pax",
                AgreementCode.value > 0,
                Agreement.pax_id.is_not(None),
            )
        )
        seeded = s.scalar(
            select(func.count())
            .select_from(Commitment)
            .where(Commitment.agreement_id.in_(ssd), Commitment.origin == "pax")
        )
        statuses = set(s.scalars(select(Commitment.status).where(Commitment.origin == "pax")))
    assert codes and seeded == codes
    assert statuses <= {"not_assessed", "implemented", "not_started", "under_way"}  # other tests record some
    again = seed_commitments(db, "test")
    assert again.inserted == 0 and again.unchanged == tracked["seed"].inserted


def _rows(agt: int, future: str) -> str:
    return HEADER + (
        f"{agt},Ce,Ce,Ceasefire monitored by CTSAMVM,SPLM/A; SPLM/A-IO,30 days after signing,,under way,"
        "2019-01-15,Monitoring teams deployed,https://example.org/ctsamvm,Mediation unit\n"
        "999999,Ce,Ce,No such agreement,,,,,,,,\n"
        f"{agt},Ce,Ce,,,,,finished,2019-02-01,,,\n"
        f"{agt},Ce,Ce,,,,,implemented,,,,\n"
        f"{agt},Ce,Ce,,,,,implemented,{future},,,\n"
        f"{agt},Ce,Ce,,,,424242,,,,,\n"
        f"{agt},,,,,,,,,,,\n"
        f"{agt},Ce,Ce,,,,,implemented,2020-06-30,Verified by the monitoring body,RJMEC report Q2 2020,\n"
    )


def test_import_rejects_each_bad_row_with_its_line_and_a_rerun_changes_nothing(tracked, tmp_path):
    db = tracked["db"]
    agt = _ssd_agreement(db)
    future = (date.today() + timedelta(days=30)).isoformat()
    path = tmp_path / "tracking.csv"
    path.write_text(_rows(agt, future), encoding="utf-8")
    report = import_file(db, "commitments", path, "test")
    reasons = {r.line: r.reason for r in report.rejections}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert "agreement 999999 is not in the agreements memory" in reasons[3]
    assert "status 'finished' is not known" in reasons[4]
    assert "needs its status_date" in reasons[5]
    assert "in the future" in reasons[6]
    assert "process 424242 is not in the process registry" in reasons[7]
    assert "ref and category are both empty" in reasons[8]
    assert all(reason.startswith(f"Line {line}") for line, reason in reasons.items())
    assert report.accepted == 2
    with db.session() as s:
        commitment = s.scalar(select(Commitment).join(Agreement).where(Agreement.pax_id == agt, Commitment.ref == "Ce"))
        assert commitment is not None
        assert commitment.status == "implemented"
        assert commitment.parties == ["SPLM/A", "SPLM/A-IO"]
        assert [(h.status, h.changed_on) for h in commitment.history] == [
            ("under_way", date(2019, 1, 15)),
            ("implemented", date(2020, 6, 30)),
        ]
        history = s.scalar(select(func.count()).select_from(CommitmentStatus))
    rerun = import_file(db, "commitments", path, "test")
    assert (rerun.inserted, rerun.updated, rerun.unchanged) == (0, 0, 2)
    assert len(rerun.rejections) == 6
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(CommitmentStatus)) == history


def test_an_xlsx_file_in_the_same_layout_imports_and_a_damaged_one_is_refused(tracked, tmp_path):
    from openpyxl import Workbook

    db = tracked["db"]
    agt = _ssd_agreement(db)
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append([agt, "Pol-1", "Pol", "Elections held", "Government", "2024", None, "disputed",
                  datetime(2021, 5, 1), "Opposition contests the timetable", "UN report", "analyst"])  # fmt: skip
    sheet.append([agt, "Pol-2", "Pol", "x", None, None, "abc", None, None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "tracking.xlsx"
    path.write_bytes(buffer.getvalue())
    report = import_file(db, "commitments", path, "test")
    assert report.inserted == 1 and [r.line for r in report.rejections] == [3]
    assert "process 'abc' is not a whole number" in report.rejections[0].reason
    with db.session() as s:
        commitment = s.scalar(
            select(Commitment).join(Agreement).where(Agreement.pax_id == agt, Commitment.ref == "Pol-1")
        )
        assert commitment is not None and commitment.status == "disputed"
        assert commitment.history[0].recorded_by == "analyst"
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(Exception, match="cannot be opened as an XLSX workbook"):
        import_file(db, "commitments", tmp_path / "broken.xlsx", "test")


def test_pol_provisions_done_is_derived_from_the_host_countrys_commitments(tracked):
    db = tracked["db"]
    derive = DERIVATIONS["commitments_implemented_share"]
    with db.session() as s:
        mission = mission_by_acronym(s, "MINURSO")  # Western Sahara: nothing assessed there
        with pytest.raises(DerivationUnavailable, match="no commitment of ESH's agreements has been assessed"):
            derive(s, mission, Context(var_dir=None))
    with db.session() as s:
        ids = list(
            s.scalars(
                select(Commitment.id)
                .join(AgreementCountry, AgreementCountry.agreement_id == Commitment.agreement_id)
                .where(AgreementCountry.iso3 == "CAF", Commitment.origin == "pax")
                .order_by(Commitment.id)
                .limit(3)
            )
        )
        record_status(s, SYSTEM, ids[0], StatusDoc(status="implemented", changed_on=date(2022, 2, 10)))
        record_status(s, SYSTEM, ids[1], StatusDoc(status="not_started", changed_on=date(2022, 2, 10)))
        record_status(s, SYSTEM, ids[2], StatusDoc(status="implemented", changed_on=date(2022, 8, 1)))
    with db.session() as s:
        derived = derive(s, mission_by_acronym(s, "MINUSCA"), Context(var_dir=None))
    points = {p.period.key: (p.value, p.numerator, p.denominator) for p in derived.points}
    assert points["2022-Q1"] == (50.0, 1, 2)
    assert points["2022-Q2"] == (50.0, 1, 2)
    assert points["2022-Q3"][1:] == (2, 3) and round(points["2022-Q3"][0], 3) == 66.667
    assert min(points) == "2022-Q1"
    provision_performance(db, tracked["tmp"] / "var", missions=["MINUSCA"])  # the path the demo takes
    with db.session() as s:
        stored = dict(
            s.execute(
                select(IndicatorValue.period, IndicatorValue.value)
                .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
                .join(ResultsFramework, ResultsFramework.id == Indicator.framework_id)
                .where(Indicator.code == "POL_PROVISIONS_DONE", IndicatorValue.disaggregation == "")
                .where(ResultsFramework.mission_id == mission_by_acronym(s, "MINUSCA").id)
            ).all()
        )
    assert stored.get("2022-Q1") == 50.0


def test_the_api_filters_by_agreement_country_status_category_and_process(tracked, clients):
    db, client = tracked["db"], clients["viewer"]
    agt = _ssd_agreement(db)
    by_agreement = client.get("/api/commitments", params={"agreement": agt}).json()
    assert by_agreement["total"] > 0 and {c["pax_id"] for c in by_agreement["commitments"]} == {agt}
    ssd = client.get("/api/commitments", params={"country": "ssd"}).json()
    assert ssd["total"] >= by_agreement["total"]
    with db.session() as s:  # one implemented commitment of its own: the test needs no other to run first
        mine = s.scalar(select(Commitment.id).join(Agreement).where(Agreement.pax_id == agt).order_by(Commitment.id))
        record_status(s, SYSTEM, mine, StatusDoc(status="implemented", changed_on=date(2021, 5, 4)))
        s.commit()
    done = client.get("/api/commitments", params={"country": "SSD", "status": "implemented"}).json()
    assert done["commitments"] and {c["status"] for c in done["commitments"]} == {"implemented"}
    category = by_agreement["commitments"][0]["category"]
    one = client.get("/api/commitments", params={"agreement": agt, "category": category}).json()
    assert {c["category"] for c in one["commitments"]} == {category}
    with db.session() as s:
        first = s.scalar(select(Commitment).join(Agreement).where(Agreement.pax_id == agt).order_by(Commitment.id))
        first.process_id = tracked["process"]
        s.commit()
        linked_id = first.id
    by_process = client.get("/api/commitments", params={"process": tracked["process"]}).json()
    assert [c["id"] for c in by_process["commitments"]] == [linked_id]
    for params in ({"status": "done"}, {"agreement": "abc"}, {"agreement": "-3"}, {"country": "SOUTH"}):
        assert client.get("/api/commitments", params=params).status_code == 422
    assert client.get("/api/commitments/0").status_code == 404
    assert client.get("/commitments", params={"status": "nope"}).status_code == 422
    assert client.get("/commitments/999999999").status_code == 404
    page = client.get("/commitments", params={"agreement": agt})
    assert page.status_code == 200 and f"/commitments/{linked_id}" in page.text
    chart = client.get("/commitments/chart", params={"agreement": agt, "by": "party"})
    assert chart.status_code == 200 and 'data-chart="spec-all"' in chart.text
    assert client.get("/commitments/chart", params={"country": "ZZZ"}).status_code == 200
    assert (
        f"/commitments?agreement={agt}"
        in client.get(f"/agreements/{by_agreement['commitments'][0]['agreement_id']}").text
    )


def test_linked_restricted_records_show_only_to_their_holders_and_a_viewer_cannot_record(tracked, clients):
    db = tracked["db"]
    with db.session() as s:
        commitment = s.scalar(select(Commitment).where(Commitment.origin == "pax").order_by(Commitment.id.desc()))
        commitment.links.append(CommitmentLink(kind="debrief", target_id=tracked["debrief"]))
        commitment.links.append(CommitmentLink(kind="incident", target_id=tracked["incident"]))
        s.commit()
        cid = commitment.id
    held = clients["holder"].get(f"/api/commitments/{cid}").json()
    assert {(link["kind"], link["id"]) for link in held["links"]} == {
        ("debrief", tracked["debrief"]), ("incident", tracked["incident"])
    }  # fmt: skip
    for name in ("analyst", "viewer"):
        answer = clients[name].get(f"/api/commitments/{cid}")
        assert answer.json()["links"] == []
        page = clients[name].get(f"/commitments/{cid}").text
        assert "Linked records" not in page and "Departing envoy" not in page and SECRET not in page
        assert f"/incidents/{tracked['incident']}" not in page and f"debriefs/{tracked['debrief']}" not in page
    viewer = clients["viewer"]
    refused = viewer.post(f"/api/commitments/{cid}/status", json={"status": "implemented", "changed_on": "2023-01-01"})
    assert refused.status_code == 403
    assert 'name="changed_on"' not in viewer.get(f"/commitments/{cid}").text
    with db.session() as s, pytest.raises(PermissionDenied):
        from peaceops.access.policy import Actor

        record_status(s, Actor("v", "viewer"), cid, StatusDoc(status="implemented", changed_on=date(2023, 1, 1)))
    analyst = clients["analyst"]
    bad = analyst.post(f"/api/commitments/{cid}/status", json={"status": "implemented", "changed_on": "tomorrow"})
    assert bad.status_code == 422
    ok = analyst.post(
        f"/api/commitments/{cid}/status",
        json={"status": "under_way", "changed_on": "2023-04-01", "evidence": "Law drafted", "source": "Gazette 12"},
    )
    assert ok.status_code == 201 and ok.json()["commitment"]["status"] == "under_way"
    assert ok.json()["history"][-1]["recorded_by"] == "analyst"


def test_the_status_form_shows_each_error_beside_its_field_and_keeps_the_input(tracked, clients):
    db = tracked["db"]
    with db.session() as s:
        cid = s.scalar(select(Commitment.id).where(Commitment.origin == "pax").order_by(Commitment.id))
    client = clients["analyst"]
    page = client.get(f"/commitments/{cid}")
    token = csrf_from(page.text)
    future = (date.today() + timedelta(days=3)).isoformat()
    sent = {"status": "implemented", "changed_on": future, "evidence": "Kept evidence text", "source": "ref 7",
            "csrf_token": token}  # fmt: skip
    answer = client.post(f"/commitments/{cid}", data=sent)
    assert answer.status_code == 422
    assert 'id="status-date-error"' in answer.text and "in the future" in answer.text
    assert "Kept evidence text" in answer.text and 'value="ref 7"' in answer.text
    missing = client.post(f"/commitments/{cid}", data={**sent, "status": "", "changed_on": "2021-01-01"})
    assert missing.status_code == 422 and 'id="status-status-error"' in missing.text
    done = client.post(f"/commitments/{cid}", data={**sent, "changed_on": "2021-01-01"}, follow_redirects=False)
    assert done.status_code == 303
    assert "The status change is recorded." in client.get(done.headers["location"]).text
