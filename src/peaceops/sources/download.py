"""Downloading a published file over HTTP(S): resumable, checksummed, with progress and plain-language errors.

Field missions work on slow, interrupted links, so a download goes to ``<name>.part`` and an interrupted
transfer continues from where it stopped (a ``Range`` request guarded by ``If-Range``, so a file replaced on
the server is fetched afresh rather than spliced). The SHA-256 is computed while the bytes arrive. A finished
file gets a ``<name>.sha256`` line in ``sha256sum`` format beside it; a later call that finds the file and a
matching line uses the file without asking the network.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx

from peaceops import __version__
from peaceops.errors import PeaceopsError, ValidationFailed

# start(total bytes or None when the server does not say, bytes already on disk) -> advance(bytes). Called again
# when a transfer resumes or restarts: the new call says where the bar stands now.
DownloadProgress = Callable[[int | None, int], Callable[[int], None]] | None

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
_UNSATISFIED_RANGE = re.compile(r"^bytes \*/(\d+)$")


class DownloadError(PeaceopsError):
    """A file could not be downloaded; ``status`` is the HTTP status when the server answered with an error."""

    status_code = 502

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ChecksumMismatch(DownloadError):
    """The downloaded bytes are not the expected ones; the file has been removed."""


@dataclass(frozen=True)
class Download:
    """A complete file on disk and how it got there."""

    url: str
    path: Path
    sha256: str
    size: int
    reused: bool  # True: the verified file was already on disk and nothing was requested
    resumed_from: int  # bytes kept from an earlier, interrupted transfer (0: downloaded from the start)
    requests: int  # HTTP requests this call made


class _Interrupted(Exception):
    """The transfer stopped part-way; the bytes received so far are on disk."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def normalise_sha256(value: str) -> str:
    """A SHA-256 as 64 lower-case hex digits; anything else is a clear error (a typo must not pass as a check)."""
    digest = value.strip().lower()
    if not SHA256_HEX.match(digest):
        raise ValidationFailed(f"{value!r} is not a SHA-256 checksum: expected 64 hexadecimal digits.")
    return digest


def downloads_dir(var_dir: Path) -> Path:
    """Where downloaded releases are kept, so a second fetch finds them."""
    return var_dir / "downloads"


def forget(path: Path) -> None:
    """Remove a downloaded file and its checksum line (it turned out to be unusable)."""
    path.unlink(missing_ok=True)
    checksum_path(path).unlink(missing_ok=True)


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def recorded_sha256(path: Path) -> str | None:
    """The digest recorded beside a finished download, if there is one."""
    try:
        line = checksum_path(path).read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return None
    return line[0] if line and SHA256_HEX.match(line[0]) else None


def download_file(
    url: str,
    dest: Path,
    *,
    expected_sha256: str | None = None,
    progress: DownloadProgress = None,
    timeout: float = 30.0,
    attempts: int = 3,
    client: httpx.Client | None = None,
) -> Download:
    """Download ``url`` to ``dest`` unless a verified copy is already there; resume a partial ``.part`` file.

    ``attempts`` transfers are made in one call when the connection drops after bytes arrived; a failure
    that made no progress (refused connection, HTTP error) is reported at once.
    """
    expected = normalise_sha256(expected_sha256) if expected_sha256 else None
    cached = _verified_copy(url, dest, expected)
    if cached:
        return cached
    dest.parent.mkdir(parents=True, exist_ok=True)
    own_client = client is None
    http = client or httpx.Client(
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        headers={"User-Agent": f"peaceops/{__version__}"},
    )
    try:
        return _download(http, url, dest, expected, progress, timeout, max(1, attempts))
    finally:
        if own_client:
            http.close()


def _verified_copy(url: str, dest: Path, expected: str | None) -> Download | None:
    """The file already on disk, when its recorded digest still matches its bytes (and the expected one)."""
    recorded = recorded_sha256(dest)
    if not dest.is_file() or recorded is None or (expected and recorded != expected):
        return None
    if sha256_of(dest) != recorded:
        return None
    return Download(url, dest, recorded, dest.stat().st_size, reused=True, resumed_from=0, requests=0)


@dataclass
class _Transfer:
    """State carried between the requests of one download."""

    part: Path
    validator: str | None = None  # ETag or Last-Modified of the bytes in the .part file
    requests: int = 0
    resumed_from: int = 0
    got: int = 0  # bytes received in the current transfer

    @property
    def validator_file(self) -> Path:
        return self.part.with_name(self.part.name + ".validator")

    @property
    def have(self) -> int:
        return self.part.stat().st_size if self.part.is_file() else 0

    def load(self) -> None:
        if self.part.is_file() and self.validator_file.is_file():
            self.validator = self.validator_file.read_text(encoding="utf-8").strip() or None

    def remember(self, response: httpx.Response) -> None:
        """Keep the validator of a full response, so a later resume can ask "only if unchanged" (If-Range)."""
        etag = response.headers.get("ETag")
        self.validator = etag if etag and not etag.startswith("W/") else response.headers.get("Last-Modified")
        if self.validator:
            self.validator_file.write_text(self.validator, encoding="utf-8")
        else:
            self.validator_file.unlink(missing_ok=True)

    def discard(self) -> None:
        self.part.unlink(missing_ok=True)
        self.validator_file.unlink(missing_ok=True)
        self.validator = None


class _Restart(Exception):
    """The partial file cannot be continued (the server sent another part, or the file got shorter)."""


def _download(
    http: httpx.Client,
    url: str,
    dest: Path,
    expected: str | None,
    progress: DownloadProgress,
    timeout: float,
    attempts: int,
) -> Download:
    transfer = _Transfer(dest.with_name(dest.name + ".part"))
    transfer.load()
    for attempt in range(1, attempts + 1):
        try:
            digest, size = _attempt(http, url, transfer, progress, timeout)
            break
        except _Interrupted as stop:
            if attempt == attempts or not transfer.got:
                then = "run the command again to resume from there" if transfer.have else "try again later"
                raise DownloadError(f"{stop}; {then}.") from None
    else:  # pragma: no cover - the loop either breaks or raises
        raise AssertionError("unreachable")
    if expected and digest != expected:
        transfer.discard()
        raise ChecksumMismatch(
            f"{dest.name} from {url} has SHA-256 {digest}, not the expected {expected}; the file was removed."
        )
    transfer.part.replace(dest)
    transfer.validator_file.unlink(missing_ok=True)
    checksum_path(dest).write_text(f"{digest}  {dest.name}\n", encoding="ascii")
    return Download(
        url, dest, digest, size, reused=False, resumed_from=transfer.resumed_from, requests=transfer.requests
    )


def _attempt(
    http: httpx.Client, url: str, transfer: _Transfer, progress: DownloadProgress, timeout: float
) -> tuple[str, int]:
    """One transfer: continue the .part file (or start it), stream to it, return (digest, size)."""
    transfer.got = 0
    try:
        return _request_or_restart(http, url, transfer, progress)
    except httpx.TimeoutException as exc:
        if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
            raise DownloadError(f"Could not connect to {_host(url)} within {timeout:g} s; check the network.") from None
        raise _Interrupted(f"{_host(url)} sent nothing for {timeout:g} s ({_kept(transfer)})") from None
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        raise _Interrupted(f"The connection to {_host(url)} broke ({_reason(exc)}; {_kept(transfer)})") from None
    except httpx.ConnectError as exc:
        raise DownloadError(f"Could not connect to {_host(url)} ({_reason(exc)}); check the network.") from None
    except httpx.TooManyRedirects:
        raise DownloadError(f"{url} redirects in a loop; the address is probably out of date.") from None
    except httpx.InvalidURL:
        raise DownloadError(f"{url!r} is not a valid web address.") from None
    except httpx.TransportError as exc:
        raise DownloadError(f"Downloading {url} failed ({_reason(exc)}).") from None
    except OSError as exc:
        raise DownloadError(f"Could not write {transfer.part} ({exc.strerror or exc}).") from None


def _request_or_restart(
    http: httpx.Client, url: str, transfer: _Transfer, progress: DownloadProgress
) -> tuple[str, int]:
    try:
        return _request(http, url, transfer, progress)
    except _Restart:
        transfer.discard()
    try:
        return _request(http, url, transfer, progress)  # the .part is gone: this request asks for all of it
    except _Restart:
        raise DownloadError(f"{url} sends parts of the file other than those asked for.") from None


def _request(http: httpx.Client, url: str, transfer: _Transfer, progress: DownloadProgress) -> tuple[str, int]:
    have = transfer.have
    headers = {"Accept-Encoding": "identity"}  # Range offsets count stored bytes, not a re-encoded stream
    if have:
        headers["Range"] = f"bytes={have}-"
        if transfer.validator:
            headers["If-Range"] = transfer.validator
    transfer.requests += 1
    with http.stream("GET", url, headers=headers) as response:
        return _receive(response, url, transfer, have, progress)


def _receive(
    response: httpx.Response, url: str, transfer: _Transfer, have: int, progress: DownloadProgress
) -> tuple[str, int]:
    status = response.status_code
    if status == 416 and have:
        # The .part is at least as long as the file: complete if the lengths agree, otherwise start over.
        whole = _UNSATISFIED_RANGE.match(response.headers.get("Content-Range", ""))
        if not whole or int(whole.group(1)) != have:
            raise _Restart
        if progress:
            progress(have, have)
        transfer.resumed_from = have
        return sha256_of(transfer.part), have
    if status >= 400:
        raise DownloadError(f"{url} answered HTTP {status} {response.reason_phrase}.", status=status)
    if status not in (200, 206):
        raise DownloadError(f"{url} answered HTTP {status} {response.reason_phrase} instead of the file.", status)
    digest = hashlib.sha256()
    if status == 206:
        span = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if not have or not span or int(span.group(1)) != have:
            raise _Restart
        total = None if span.group(3) == "*" else int(span.group(3))
        with transfer.part.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    else:
        # A fresh start, or a server that ignores Range or whose file changed (If-Range): the whole file follows.
        have = 0
        total = _int(response.headers.get("Content-Length"))
        transfer.remember(response)
    transfer.resumed_from = have
    advance = progress(total, have) if progress else None
    with transfer.part.open("ab" if have else "wb") as out:
        received = _stream(response, out, digest, advance, transfer)
    if total is not None and received != total:
        raise _Interrupted(f"The connection to {_host(url)} closed after {received:,} of {total:,} bytes")
    return digest.hexdigest(), received


def _stream(
    response: httpx.Response,
    out: BinaryIO,
    digest: hashlib._Hash,
    advance: Callable[[int], None] | None,
    transfer: _Transfer,
) -> int:
    """Copy the body to ``out`` as it arrives; an interruption keeps every byte received so far."""
    try:
        for chunk in response.iter_raw():  # as received: a chunk buffer would lose its bytes on a dropped line
            out.write(chunk)
            digest.update(chunk)
            transfer.got += len(chunk)
            if advance:
                advance(len(chunk))
    finally:
        out.flush()
    return out.tell()


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return url


def _kept(transfer: _Transfer) -> str:
    return f"{transfer.have:,} bytes kept"


def _reason(exc: Exception) -> str:
    text = str(exc).strip().rstrip(".")
    return text or exc.__class__.__name__
