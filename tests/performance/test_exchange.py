"""CSV and XLSX round trips through the web app: download a template, fill it, upload it, see the values."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from perf_web import csrf_from
from sqlalchemy import select

from peaceops.errors import ImportFileError
from peaceops.performance.exchange import COLUMNS, read_rows
from peaceops.store.provenance import ImportRejection, ImportRun

BASE = "/performance/missions/UNMISS"
Q = "2024-Q1"
FILLED = {
    ("POC_ALERTS", ""): ("40", "50"),
    ("POC_ALERTS_ANSWERED", ""): ("30", ""),
    ("CD_TRAINED", ""): ("120", ""),
    ("CD_TRAINED", "sex:female"): ("45", ""),
    ("SAF_CASEVAC_60", ""): ("35", "60"),
}


def fill(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    for row in rows:
        found = FILLED.get((row["indicator_code"], row["disaggregation"]))
        if found:
            row["value"], row["target"] = found
    return rows


def grid_values(client) -> dict[tuple[str, str], dict]:
    response = client.get(f"/api/performance/missions/UNMISS/values?period={Q}")
    assert response.status_code == 200
    rows = response.json()["rows"]
    return {(r["code"], r["disaggregation"]): r for r in rows}


def upload(client, name: str, content: bytes, mime: str):
    token = csrf_from(client.get(f"{BASE}/entry?period={Q}").text)
    return client.post(
        f"{BASE}/entry/upload",
        data={"period": Q, "csrf_token": token},
        files={"file": (name, content, mime)},
    )


def test_csv_round_trip(client_for):
    client = client_for("officer-unmiss")
    response = client.get(f"{BASE}/entry/template.csv?period={Q}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="UNMISS-v1-2024-Q1.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == COLUMNS
    codes = {r["indicator_code"] for r in rows}
    assert {"POC_ALERTS", "CD_TRAINED"} <= codes
    assert not codes & {"POC_ALERT_RESPONSE", "FAT_MALICIOUS_RATE"}  # formula and derived rows are not entered
    assert {r["disaggregation"] for r in rows if r["indicator_code"] == "CD_TRAINED"} >= {"", "sex:female", "sex:male"}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(fill(rows))
    page = upload(client, "unmiss-q1.csv", out.getvalue().encode(), "text/csv")
    assert page.status_code == 200
    assert "5 values saved, 2 targets set" in page.text
    values = grid_values(client)
    assert values[("POC_ALERTS", "")]["value"] == 40 and values[("POC_ALERTS", "")]["target"] == 50
    assert values[("CD_TRAINED", "sex:female")]["value"] == 45
    assert values[("POC_ALERT_RESPONSE", "")]["value"] == 75  # the formula followed the upload
    assert values[("POC_ALERTS", "")]["entered_by"] == "officer-unmiss"
    assert values[("POC_ALERTS", "")]["source"].startswith("upload unmiss-q1.csv (")


def test_xlsx_round_trip(client_for):
    client = client_for("analyst")
    response = client.get(f"{BASE}/entry/template.xlsx?period={Q}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["values"]
    header = [c.value for c in sheet[1]]
    assert header == COLUMNS
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=True))
        found = FILLED.get((cells["indicator_code"].value, cells["disaggregation"].value or ""))
        if found:
            cells["value"].value = float(found[0])  # typed as numbers, the way Excel stores them
            cells["target"].value = float(found[1]) if found[1] else None
    buffer = io.BytesIO()
    book.save(buffer)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    page = upload(client, "unmiss-q1.xlsx", buffer.getvalue(), mime)
    assert "5 values saved, 2 targets set" in page.text
    values = grid_values(client)
    assert values[("SAF_CASEVAC_60", "")]["value"] == 35 and values[("SAF_CASEVAC_60", "")]["target"] == 60
    assert values[("CD_TRAINED", "")]["value"] == 120


def test_bad_rows_are_reported_by_line_and_good_rows_kept(client_for, unmiss):
    client = client_for("officer-unmiss")
    text = (
        ",".join(COLUMNS) + "\n"
        "UNMISS,2024-Q1,POC_ALERTS,,count,,,,40,\n"
        "UNMISS,2024-Q1,POC_ALERTS_ANSWERED,,count,,,,55,\n"  # more answered than received
        "UNMISS,2024-Q1,SAF_CASEVAC_60,,percent,,,50,140,\n"  # a good target with a bad value
        "UNMISS,2024-Q1,NO_SUCH_CODE,,count,,,,1,\n"
        "MINUSCA,2024-Q1,POC_ALERTS,,count,,,,1,\n"
        "UNMISS,2024-Q1,CD_TRAINED,,count,,,120,,\n"  # a target where the value is empty
        "UNMISS,2024-Q1,POL_GOOD_OFFICES,,count,,,,,\n"  # empty: skipped
    )
    response = client.post(
        "/api/performance/missions/UNMISS/upload",
        data={"period": Q},
        files={"file": ("mixed.csv", text.encode() + b"UNMISS,2024-Q1,CD_TRAINED,C\xf4te,count,,,,3,\n", "text/csv")},
        headers={"X-CSRF-Token": csrf_from(client.get(f"{BASE}/entry?period={Q}").text)},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["saved"], report["targets"], report["skipped"], report["rejected"]) == (1, 1, 1, 5)
    reasons = {r["line"]: r["reason"] for r in report["rejections"]}
    assert sorted(reasons) == [3, 4, 5, 6, 9]
    assert reasons[9].startswith("Line 9 is not UTF-8 text (byte 0xf4)")
    assert "Line 3: POC_ALERTS_ANSWERED is 55, more than POC_ALERTS (40)" in reasons[3]
    assert "above 100" in reasons[4] and "NO_SUCH_CODE" in reasons[5] and "for MINUSCA, not UNMISS" in reasons[6]
    values = grid_values(client)
    assert values[("POC_ALERTS", "")]["value"] == 40 and values[("POC_ALERTS_ANSWERED", "")]["value"] is None
    assert values[("SAF_CASEVAC_60", "")]["target"] is None  # a rejected row leaves nothing behind
    assert values[("CD_TRAINED", "")]["target"] == 120
    with unmiss.session() as s:
        run = s.scalar(select(ImportRun).where(ImportRun.id == report["run_id"]))
        assert run.kind == "performance-values" and run.actor == "officer-unmiss" and run.rejected == 5
        lines = s.scalars(select(ImportRejection.line).where(ImportRejection.run_id == run.id))
        assert sorted(lines) == [3, 4, 5, 6, 9]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"indicator_code,value\nPOC_ALERTS,1\n", "lacks the column\\(s\\) period"),
        (b"\xff\xfe\x00garbage", "is saved as UTF-16; save the file as UTF-8"),
        (b'period,"indicator_code,value\n2024-Q1,POC_ALERTS,1\n', "header row \\(line 1\\) is broken"),
        (b"PK\x03\x04 not really a zip", "cannot be opened as an XLSX workbook"),
    ],
)
def test_unreadable_files_are_refused_whole(content, message):
    with pytest.raises(ImportFileError, match=message):
        read_rows("upload.csv", content)


def test_a_line_that_cannot_be_read_is_rejected_alone_and_the_others_are_read():
    huge = "x" * 200_000
    content = (
        b"period,indicator_code,value,note\n"
        b'2024-Q1,"POC_ALERTS,1,unclosed\n'
        b"2024-Q1,POC_ALERTS_ANSWERED,2,C\xf4te\n"
        + f"2024-Q1,CD_TRAINED,3,{huge}\n".encode()
        + "2024-Q1,SAF_CASEVAC_60,4,Côte d'Ivoire\n".encode()
    )
    rows = dict(read_rows("upload.csv", content))
    assert sorted(rows) == [2, 3, 4, 5]
    assert rows[2].startswith("opens a quote") and rows[2].endswith("the lines after it are read on their own")
    assert rows[3].startswith("is not UTF-8 text (byte 0xf4)")
    assert rows[4].startswith("has a value longer than 131,072 characters")
    assert rows[5] == {
        "period": "2024-Q1",
        "indicator_code": "SAF_CASEVAC_60",
        "value": "4",
        "note": "Côte d'Ivoire",
    }
