"""Scorecard pages over HTTP, the mission report as HTML and PDF (read back with poppler), value exports."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from perf_actors import ADMIN, ADMIN_B, OFFICER
from perf_web import csrf_from
from sqlalchemy import select

from peaceops.performance import assessments as wf
from peaceops.performance.exchange import read_rows
from peaceops.performance.frameworks import current_framework, find_mission
from peaceops.performance.models import Indicator, IndicatorValue
from peaceops.performance.values import save_value, set_target

Q = "2024-Q1"
BASE = "/performance/missions/UNMISS"


@pytest.fixture
def reported(unmiss):
    """UNMISS with Q1 2024 values, targets and an approved assessment with a narrative."""
    with unmiss.session() as s:
        f = current_framework(s, find_mission(s, "UNMISS"))
        set_target(s, f, "POC_ALERT_RESPONSE", "2024", 90, ADMIN)
        set_target(s, f, "COMMS_RESPONSE_RATE", Q, 80, ADMIN)
        for code, value in {"POC_ALERTS": 40, "POC_ALERTS_ANSWERED": 30, "COMMS_INCIDENTS": 12}.items():
            save_value(s, f, code, Q, value, OFFICER)
        save_value(s, f, "COMMS_ADDRESSED", Q, 11, OFFICER, note="one complaint referred to OIOS")
        save_value(s, f, "POC_ALERTS", "2023-Q4", 35, OFFICER)
        save_value(s, f, "POC_ALERTS_ANSWERED", "2023-Q4", 20, OFFICER)
        save_value(s, f, "POC_PATROLS_DAY", Q, 120, OFFICER, disaggregation="")
        wf.open_assessment(s, "UNMISS", Q, OFFICER)
        wf.set_narrative(s, "UNMISS", Q, "Alerts were answered faster after the Bor hub opened.", OFFICER)
        wf.submit(s, "UNMISS", Q, OFFICER)
        wf.approve(s, "UNMISS", Q, ADMIN_B)
    return unmiss


def test_scorecard_api_contract_page_and_drilldown(reported, client_for):
    client = client_for("viewer")
    card = client.get("/api/performance/scorecard?period=2024-03")
    assert card.status_code == 200
    body = card.json()
    assert set(body) == {"period", "rows"} and body["period"] == "2024-03"
    rows = {(r["mission"], r["priority"]): r for r in body["rows"]}
    assert all(set(r) == {"mission", "priority", "rating", "indicators", "with_data"} for r in body["rows"])
    assert {m for m, _ in rows} == {"UNMISS"} and len(rows) == 7  # the default template tags all 7 priorities
    assert rows[("UNMISS", "A4P+.P6")]["rating"] == "on_track"  # 11 of 12 complaints addressed, target 80 %
    assert rows[("UNMISS", "A4P+.P2")]["rating"] == "at_risk"  # 75 % answered against 90 %
    assert client.get("/api/performance/scorecard?period=2024-Q1").status_code == 422

    page = client.get("/performance/scorecard?period=2024-03")
    assert page.status_code == 200 and 'id="heatmap"' in page.text
    link = "/performance/scorecard/UNMISS/A4P%2B.P2?period=2024-03"
    assert link in page.text and 'id="rollup-theme-table"' in page.text and 'id="spec-trend"' in page.text
    cell = client.get(link)
    assert cell.status_code == 200 and "POC_ALERT_RESPONSE" in cell.text and f"{BASE}/report?period={Q}" in cell.text
    twin = client.get("/api/performance/scorecard/UNMISS/A4P%2B.P2?period=2024-03").json()
    assert twin["rating"] == "at_risk" and len(twin["indicators"]) == rows[("UNMISS", "A4P+.P2")]["indicators"]
    summary = client.get("/api/performance/scorecard/summary?period=2024-03").json()
    assert summary["rows"] == body["rows"] and len(summary["trend"]) == 24 * 9  # 24 months x (7 priorities, 2 themes)
    assert client.get("/api/performance/scorecard/UNMISS/A4P%2B.P99?period=2024-03").status_code == 404


def test_report_html(reported, client_for):
    client = client_for("viewer")
    page = client.get(f"{BASE}/report?period={Q}")
    assert page.status_code == 200
    assert "UNMISS: Q1 2024" in page.text and "Alerts were answered faster after the Bor hub opened." in page.text
    # Only O2 (alerts) and O6 (complaints) have values: the four others are listed on the closing page
    assert page.text.count('class="report-page report-objective"') == 2 and 'id="report-unmeasured"' in page.text
    pages = page.text.split('<section class="report-page')[1:]
    assert len(pages) == 4 and all("<svg" in p.split("</section>")[0] for p in pages)  # a chart on every page
    assert f"{BASE}/report.pdf?period={Q}" in page.text
    data = client.get(f"/api/performance/missions/UNMISS/report?period={Q}").json()
    assert data["status"] == "approved" and data["sections"] == 4 and data["rating_counts"]["on_track"] >= 1


@pytest.mark.pdf
def test_report_pdf_pages_and_text(reported, client_for, tmp_path: Path):
    client = client_for("viewer")
    response = client.get(f"{BASE}/report.pdf?period={Q}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == 4  # summary, one page per objective with values (2), scorecard trend, narrative and trail
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "UNMISS: Q1 2024" in text and "2024-01-01 to 2024-03-31" in text
    assert "Page 4 of 4" in text and "Bor hub opened" in text
    pngs = subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    assert pngs.returncode == 0 and len(list(tmp_path.glob("page-*.png"))) == pages


def _stored(db, framework_id: int) -> set[tuple]:
    with db.session() as s:
        rows = s.execute(
            select(Indicator.code, IndicatorValue.period, IndicatorValue.disaggregation, IndicatorValue.value)
            .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
            .where(Indicator.framework_id == framework_id)
        )
        return {tuple(r) for r in rows}


def test_export_csv_and_xlsx_round_trip(reported, client_for):
    client = client_for("officer-unmiss")
    with reported.session() as s:
        framework_id = current_framework(s, find_mission(s, "UNMISS")).id
    stored = _stored(reported, framework_id)
    assert len(stored) >= 9  # entered values plus the formula values computed from them
    csv_response = client.get(f"{BASE}/export.csv")
    assert csv_response.status_code == 200 and "attachment" in csv_response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(csv_response.text)))
    assert {(r["indicator_code"], r["period"], r["disaggregation"], float(r["value"])) for r in rows} == stored
    addressed = next(r for r in rows if r["indicator_code"] == "COMMS_ADDRESSED" and r["period"] == Q)
    assert (addressed["entered_by"], addressed["note"], addressed["kind"]) == (
        "officer-unmiss",
        "one complaint referred to OIOS",
        "entered",
    )
    rate = next(r for r in rows if r["indicator_code"] == "COMMS_RESPONSE_RATE")
    assert rate["kind"] == "formula" and float(rate["value"]) == pytest.approx(100 * 11 / 12) and rate["target"] == "80"
    xlsx = client.get(f"{BASE}/export.xlsx").content
    back = read_rows("export.xlsx", xlsx)  # the reader uploads go through
    assert {(r["indicator_code"], r["period"], r["disaggregation"], float(r["value"])) for _, r in back} == stored
    assert len(client.get(f"{BASE}/export.csv?period=2023-Q4").text.splitlines()) == 1 + 3  # two entered, one formula

    # Round trip: edit the exported workbook (2023-Q4, not locked), keep entered rows, upload it back.
    book = load_workbook(io.BytesIO(xlsx))
    sheet = book["values"]
    header = [c.value for c in sheet[1]]
    keep = [header]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        record = dict(zip(header, row, strict=True))
        if record["kind"] == "entered" and record["period"] == "2023-Q4":
            if record["indicator_code"] == "POC_ALERTS_ANSWERED":
                row = tuple(28 if h == "value" else v for h, v in zip(header, row, strict=True))
            keep.append(list(row))
    book.remove(sheet)
    edited = book.create_sheet("values", 0)
    for row in keep:
        edited.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    page = client.get(f"{BASE}/entry?period=2023-Q4")
    upload = client.post(
        "/api/performance/missions/UNMISS/upload",
        data={"period": "2023-Q4"},
        files={"file": ("edited.xlsx", buffer.getvalue())},
        headers={"X-CSRF-Token": csrf_from(page.text)},
    )
    assert upload.status_code == 200, upload.text
    report = upload.json()
    assert (report["saved"], report["unchanged"], report["rejected"]) == (1, 1, 0)
    after = _stored(reported, framework_id)
    assert ("POC_ALERTS_ANSWERED", "2023-Q4", "", 28.0) in after and (
        "POC_ALERT_RESPONSE",
        "2023-Q4",
        "",
        80.0,
    ) in after
    assert len(after) == len(stored)  # replaced, not duplicated
