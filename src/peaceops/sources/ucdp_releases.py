"""UCDP's published GED global releases: where each one lives, and getting it onto disk as a CSV.

UCDP publishes GED once a year as ``<base>/ged/ged{YY}{N}-csv.zip`` (version 25.1 is ``ged251-csv.zip``), a
zip holding one CSV (``GEDEvent_v25_1.csv``). The addresses of 17.1 to 26.1 follow that pattern in public
code that downloads them. UCDP publishes no checksums for the zips, so none is built in: the SHA-256 of what
was downloaded is recorded and shown, and a user holding a checksum can pass it to have it checked.
"""

from __future__ import annotations

import re
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from peaceops.errors import ImportFileError, ValidationFailed
from peaceops.sources.download import Download, DownloadError, DownloadProgress, download_file, downloads_dir, forget

DEFAULT_BASE_URL = "https://ucdp.uu.se/downloads"
# Oldest to newest; the last is the default. A well-formed version not listed here is still tried, so a
# release published after this list was written can be fetched without a new peaceops.
GED_VERSIONS: tuple[str, ...] = ("17.1", "18.1", "19.1", "20.1", "21.1", "22.1", "23.1", "24.1", "25.1", "26.1")
LATEST_GED = GED_VERSIONS[-1]
_VERSION = re.compile(r"^(\d{2})\.(\d{1,2})$")


@dataclass(frozen=True)
class GedRelease:
    """A GED release on disk: the verified zip and the CSV taken out of it."""

    version: str
    download: Download
    csv: Path
    member: str  # the CSV's name inside the zip


def ged_version(text: str | None) -> str:
    """A version as UCDP writes it ("25.1"); None means the newest one known."""
    if text is None:
        return LATEST_GED
    match = _VERSION.match(text.strip())
    if not match:
        raise ValidationFailed(
            f"{text!r} is not a GED version: write it as year.release, e.g. {LATEST_GED} "
            f"(known: {', '.join(GED_VERSIONS)})."
        )
    return f"{int(match.group(1)):02d}.{int(match.group(2))}"


def ged_zip_name(version: str) -> str:
    year, release = ged_version(version).split(".")
    return f"ged{year}{release}-csv.zip"


def ged_zip_url(base_url: str, version: str) -> str:
    return f"{base_url.rstrip('/')}/ged/{ged_zip_name(version)}"


def fetch_ged_release(
    base_url: str,
    var_dir: Path,
    version: str | None = None,
    *,
    sha256: str | None = None,
    progress: DownloadProgress = None,
    timeout: float = 30.0,
) -> GedRelease:
    """Download a GED release into ``<var_dir>/downloads/`` (unless a verified copy is there) and extract its CSV."""
    version = ged_version(version)
    url = ged_zip_url(base_url, version)
    folder = downloads_dir(var_dir)
    try:
        download = download_file(
            url, folder / ged_zip_name(version), expected_sha256=sha256, progress=progress, timeout=timeout
        )
    except DownloadError as exc:
        if exc.status == 404:
            raise DownloadError(
                f"UCDP has no GED {version} release at {url} (HTTP 404); check the version (newest known: "
                f"{LATEST_GED}) and PEACEOPS_UCDP_BASE_URL.",
                status=404,
            ) from None
        raise
    csv, member = extract_csv(download.path, folder / download.path.name.removesuffix(".zip"))
    return GedRelease(version, download, csv, member)


def extract_csv(archive: Path, folder: Path) -> tuple[Path, str]:
    """The archive's CSV (the largest, should there be several) streamed into ``folder``; reused when current.

    A damaged archive is removed with its checksum line, so the next fetch downloads it again.
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [i for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(".csv")]
            if not members:
                names = ", ".join(i.filename for i in zf.infolist()[:10]) or "nothing"
                raise ImportFileError(f"{archive.name} holds no CSV file (it holds {names}).")
            info = max(members, key=lambda i: i.file_size)
            target = folder / PurePosixPath(info.filename).name  # the base name only: nothing lands outside
            if _current(target, info, archive):
                return target, info.filename
            folder.mkdir(parents=True, exist_ok=True)
            part = target.with_name(target.name + ".part")
            try:
                with zf.open(info) as src, part.open("wb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
            except BaseException:
                part.unlink(missing_ok=True)
                raise
            part.replace(target)
            return target, info.filename
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        forget(archive)
        raise ImportFileError(
            f"{archive.name} is not a readable zip archive ({exc}); it was removed, so the next fetch downloads "
            "it again."
        ) from None


def _current(target: Path, info: zipfile.ZipInfo, archive: Path) -> bool:
    """The CSV was taken from this very archive: complete (same size) and written after the archive."""
    if not target.is_file():
        return False
    stat = target.stat()
    return stat.st_size == info.file_size and stat.st_mtime_ns >= archive.stat().st_mtime_ns
