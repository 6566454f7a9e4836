"""Downloads against a real HTTP server on 127.0.0.1 (no network, no mocks), and a GED release fetched and imported."""

from __future__ import annotations

import csv
import hashlib
import io
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from local_http import FileServer, ged_zip, serving
from sqlalchemy import select

from peaceops.conflict.fetching import import_ged_release
from peaceops.errors import PeaceopsError
from peaceops.sources.download import ChecksumMismatch, DownloadError, download_file, recorded_sha256
from peaceops.sources.ucdp_releases import (
    GED_VERSIONS,
    LATEST_GED,
    extract_csv,
    fetch_ged_release,
    ged_version,
    ged_zip_url,
)
from peaceops.store.audit import AuditEntry
from peaceops.store.events import event_files
from peaceops.store.provenance import ImportRun

PATH = "/ged/ged241-csv.zip"


@pytest.fixture
def release(data_dir: Path, tmp_path: Path) -> tuple[bytes, bytes]:
    return ged_zip(data_dir, tmp_path)


@pytest.fixture
def server(release: tuple[bytes, bytes]) -> Iterator[FileServer]:
    with serving(FileServer(files={PATH: release[0]})) as state:
        yield state


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_download_streams_to_the_file_with_its_sha256_and_progress(server, release, tmp_path):
    calls: list[tuple[int | None, int]] = []
    advanced: list[int] = []

    def start(total, have):
        calls.append((total, have))
        return advanced.append

    got = download_file(server.url + PATH, tmp_path / "dl" / "a.zip", progress=start)
    assert got.path.read_bytes() == release[0]
    assert got.sha256 == sha(release[0]) and got.size == len(release[0])
    assert recorded_sha256(got.path) == got.sha256
    assert (tmp_path / "dl" / "a.zip.sha256").read_text() == f"{got.sha256}  a.zip\n"
    assert calls == [(len(release[0]), 0)] and sum(advanced) == len(release[0])
    assert not got.reused and got.requests == 1 and [r.range for r in server.requests] == [None]
    assert not list((tmp_path / "dl").glob("*.part*"))


def test_a_dropped_connection_resumes_with_a_range_request_in_the_same_call(server, release, tmp_path):
    half = len(release[0]) // 2
    server.drop_after = half
    got = download_file(server.url + PATH, tmp_path / "a.zip")
    assert got.path.read_bytes() == release[0] and got.sha256 == sha(release[0])
    assert [(r.range, r.status) for r in server.requests] == [(None, 200), (f"bytes={half}-", 206)]
    assert server.requests[1].if_range == server.etag(PATH)  # resumes only if the file is unchanged
    assert got.resumed_from == half and got.requests == 2


def test_an_interrupted_download_is_kept_and_the_next_call_resumes_it(server, release, tmp_path):
    half = len(release[0]) // 2
    server.drop_after = half
    with pytest.raises(DownloadError, match="run the command again to resume") as stopped:
        download_file(server.url + PATH, tmp_path / "a.zip", attempts=1)
    assert "\n" not in str(stopped.value)
    assert (tmp_path / "a.zip.part").read_bytes() == release[0][:half]
    assert not (tmp_path / "a.zip").exists()

    got = download_file(server.url + PATH, tmp_path / "a.zip")
    assert server.requests[-1].range == f"bytes={half}-" and server.requests[-1].status == 206
    assert got.path.read_bytes() == release[0] and got.resumed_from == half


def test_a_server_that_ignores_range_makes_the_download_start_again(server, release, tmp_path):
    server.drop_after = 1000
    with pytest.raises(DownloadError):
        download_file(server.url + PATH, tmp_path / "a.zip", attempts=1)
    server.ignore_range = True
    got = download_file(server.url + PATH, tmp_path / "a.zip")
    assert (server.requests[-1].range, server.requests[-1].status) == ("bytes=1000-", 200)
    assert got.path.read_bytes() == release[0] and got.sha256 == sha(release[0])
    assert got.resumed_from == 0


def test_a_file_replaced_on_the_server_is_not_spliced_onto_the_old_part(server, release, tmp_path):
    server.drop_after = 1000
    with pytest.raises(DownloadError):
        download_file(server.url + PATH, tmp_path / "a.zip", attempts=1)
    server.files[PATH] = newer = release[0][::-1]  # same length, other bytes, other ETag
    got = download_file(server.url + PATH, tmp_path / "a.zip")
    assert server.requests[-1].range == "bytes=1000-" and server.requests[-1].status == 200
    assert got.path.read_bytes() == newer


def test_a_complete_part_file_is_finished_without_downloading_it_again(server, release, tmp_path):
    (tmp_path / "a.zip.part").write_bytes(release[0])
    got = download_file(server.url + PATH, tmp_path / "a.zip")
    assert [(r.range, r.status) for r in server.requests] == [(f"bytes={len(release[0])}-", 416)]
    assert got.path.read_bytes() == release[0] and got.sha256 == sha(release[0])


def test_a_checksum_mismatch_names_both_digests_and_removes_the_file(server, release, tmp_path):
    wrong = "ab" * 32
    with pytest.raises(ChecksumMismatch) as failed:
        download_file(server.url + PATH, tmp_path / "a.zip", expected_sha256=wrong.upper())
    assert wrong in str(failed.value) and sha(release[0]) in str(failed.value)
    assert list(tmp_path.glob("a.zip*")) == []
    with pytest.raises(PeaceopsError, match="not a SHA-256 checksum"):
        download_file(server.url + PATH, tmp_path / "a.zip", expected_sha256="abc123")
    assert len(server.requests) == 1  # a malformed checksum is refused before any request


def test_a_verified_file_is_reused_and_a_damaged_one_downloaded_again(server, release, tmp_path):
    first = download_file(server.url + PATH, tmp_path / "a.zip")
    again = download_file(server.url + PATH, tmp_path / "a.zip", expected_sha256=first.sha256)
    assert again.reused and again.requests == 0 and len(server.requests) == 1
    assert again.sha256 == first.sha256

    damaged = bytearray(release[0])
    damaged[100] ^= 0xFF
    (tmp_path / "a.zip").write_bytes(bytes(damaged))
    repaired = download_file(server.url + PATH, tmp_path / "a.zip")
    assert not repaired.reused and len(server.requests) == 2
    assert repaired.path.read_bytes() == release[0]


def test_http_errors_and_unreachable_servers_are_one_sentence(server, tmp_path):
    with pytest.raises(DownloadError, match=r"answered HTTP 404 Not Found\.$") as missing:
        download_file(server.url + "/ged/nothing.zip", tmp_path / "dl" / "x.zip")
    assert missing.value.status == 404 and not list((tmp_path / "dl").iterdir())

    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DownloadError, match=r"^Could not connect to 127\.0\.0\.1 \(.+\); check the network\.$"):
        download_file(f"http://127.0.0.1:{port}/x.zip", tmp_path / "x.zip", timeout=5)


def test_a_silent_server_times_out_with_a_clear_message(tmp_path):
    with socket.socket() as listener:  # accepts the connection, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/x.zip"
        with pytest.raises(DownloadError, match=r"sent nothing for 0\.5 s"):
            download_file(url, tmp_path / "x.zip", timeout=0.5)


@pytest.mark.parametrize("text", ["24", "v24.1", "2024.1", "24.1.2", "24,1", ""])
def test_malformed_ged_versions_are_refused(text):
    with pytest.raises(PeaceopsError, match=f"is not a GED version.*e.g. {LATEST_GED}"):
        ged_version(text)


def test_ged_release_addresses_follow_ucdps_pattern():
    assert ged_version(None) == LATEST_GED == GED_VERSIONS[-1]
    assert ged_zip_url("https://ucdp.uu.se/downloads", "24.1") == "https://ucdp.uu.se/downloads/ged/ged241-csv.zip"
    assert ged_zip_url("https://mirror.example/ucdp/", "25.1") == "https://mirror.example/ucdp/ged/ged251-csv.zip"
    assert ged_version(" 26.1 ") == "26.1"


def test_a_missing_release_names_the_version_and_the_base_url_setting(server, tmp_path):
    with pytest.raises(DownloadError, match=r"UCDP has no GED 19\.1 release at .*ged191-csv\.zip.*UCDP_BASE_URL"):
        fetch_ged_release(server.url, tmp_path / "var", "19.1")


def test_a_release_that_is_not_a_zip_is_removed_so_the_next_fetch_downloads_it(server, tmp_path):
    server.files[PATH] = b"<html>Service temporarily unavailable</html>"
    with pytest.raises(PeaceopsError, match="ged241-csv.zip is not a readable zip archive.*removed"):
        fetch_ged_release(server.url, tmp_path / "var", "24.1")
    assert list((tmp_path / "var" / "downloads").iterdir()) == []


def test_a_ged_release_is_fetched_extracted_and_imported_once(db, server, release, tmp_path):
    var = tmp_path / "var"
    fetched = fetch_ged_release(server.url, var, "24.1")
    assert fetched.download.sha256 == sha(release[0])
    assert fetched.csv == var / "downloads" / "ged241-csv" / "GEDEvent_v24_1.csv"
    assert fetched.csv.read_bytes() == release[1] and fetched.member == "GEDEvent_v24_1.csv"

    with db.session() as session:
        report = import_ged_release(session, fetched, "test", var)
    assert report.rows_read == report.accepted + report.rejected > 0
    assert report.inserted == report.accepted
    stored = {i for f in event_files(var) for i in pq.read_table(f, columns=["event_id"]).column(0).to_pylist()}
    published = {row["id"] for row in csv.DictReader(io.StringIO(release[1].decode("utf-8-sig")))}
    assert stored == published and report.accepted == len(published)
    with db.session() as session:
        run = session.scalars(select(ImportRun).where(ImportRun.id == report.run_id)).one()
        assert run.kind == "ucdp-ged" and run.sha256 == sha(release[1]) and run.source == str(fetched.csv)
        fetch = session.scalars(select(AuditEntry).where(AuditEntry.action == "fetch")).one()
        assert fetch.entity_id == str(report.run_id)
        assert fetch.after["archive_sha256"] == sha(release[0]) and fetch.after["url"] == server.url + PATH

    csv_written = fetched.csv.stat().st_mtime_ns
    again = fetch_ged_release(server.url, var, "24.1", sha256=sha(release[0]))
    assert again.download.reused and len(server.requests) == 1
    assert again.csv.stat().st_mtime_ns == csv_written  # not extracted again either
    with db.session() as session:
        second = import_ged_release(session, again, "test", var)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, report.accepted)


def test_the_largest_csv_is_taken_from_an_archive_with_several(tmp_path, release):
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.csv", "a,b\n1,2\n")
        zf.writestr("nested/GEDEvent_v24_1.csv", release[1])
    path, member = extract_csv(archive, tmp_path / "out")
    assert member == "nested/GEDEvent_v24_1.csv" and path == tmp_path / "out" / "GEDEvent_v24_1.csv"
    assert path.read_bytes() == release[1]
