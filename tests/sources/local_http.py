"""A real HTTP server on 127.0.0.1 for download tests: Range/206/416, If-Range, and scripted misbehaviour."""

from __future__ import annotations

import gzip
import hashlib
import re
import sys
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLE = "ucdp/ged/ged_global_sample_1000.csv.gz"  # the smallest shared GED file, in the 23.1/24.1 CSV layout


@dataclass
class Seen:
    path: str
    range: str | None
    if_range: str | None
    status: int


@dataclass
class FileServer:
    """Serves ``files`` (URL path -> bytes); records each request; misbehaves on demand."""

    files: dict[str, bytes] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    drop_after: int | None = None  # send this many body bytes of the next response, then close the connection
    ignore_range: bool = False  # answer every request with the whole file (200), as some servers do
    url: str = ""

    def etag(self, path: str) -> str:
        return '"' + hashlib.sha256(self.files[path]).hexdigest()[:16] + '"'


def _handler(state: FileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
            body = state.files.get(self.path)
            asked = self.headers.get("Range")
            seen = Seen(self.path, asked, self.headers.get("If-Range"), 200)
            state.requests.append(seen)
            if body is None:
                seen.status = 404
                self._send(404, b"not found", {})
                return
            etag = state.etag(self.path)
            start = 0
            match = re.fullmatch(r"bytes=(\d+)-", asked or "")
            honour = match and not state.ignore_range and seen.if_range in (None, etag)
            if honour and match:
                start = int(match.group(1))
                if start >= len(body):
                    seen.status = 416
                    self._send(416, b"", {"Content-Range": f"bytes */{len(body)}"})
                    return
                seen.status = 206
            headers = {"ETag": etag, "Accept-Ranges": "none" if state.ignore_range else "bytes"}
            if seen.status == 206:
                headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
            payload = body[start:]
            if state.drop_after is not None:
                cut, state.drop_after = state.drop_after, None
                self._send(seen.status, payload[:cut], headers, length=len(payload))
                self.close_connection = True
                return
            self._send(seen.status, payload, headers)

        def _send(self, status: int, payload: bytes, headers: dict[str, str], length: int | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/zip" if status < 400 else "text/plain")
            self.send_header("Content-Length", str(len(payload) if length is None else length))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up on a kept-alive connection is normal here, not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serving(state: FileServer) -> Iterator[FileServer]:
    server = _Server(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def ged_zip(data_dir: Path, folder: Path, member: str = "GEDEvent_v24_1.csv") -> tuple[bytes, bytes]:
    """A release-shaped zip (one GED CSV, deflated) built from the shared sample: (zip bytes, CSV bytes)."""
    csv_bytes = gzip.decompress((data_dir / SAMPLE).read_bytes())
    path = folder / "release.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, csv_bytes)
    return path.read_bytes(), csv_bytes
