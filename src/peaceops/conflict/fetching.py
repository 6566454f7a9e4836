"""Importing a downloaded UCDP GED release, with the download's own provenance next to the import's."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from peaceops.sources.ucdp_releases import GedRelease
from peaceops.store import audit
from peaceops.store.event_import import import_events
from peaceops.store.provenance import ImportReport
from peaceops.store.sync import ProgressStart


def import_ged_release(
    session: Session, release: GedRelease, actor: str, var_dir: Path, progress: ProgressStart = None
) -> ImportReport:
    """Import the release's CSV like ``peaceops import ucdp-ged`` does, and record where it came from.

    The import run records the CSV and its SHA-256; the audit entry beside it ties that run to the
    published zip (address, version, size, SHA-256), which is what another user would download to check.
    """
    report = import_events(session, "ucdp-ged", release.csv, actor, var_dir, progress)
    download = release.download
    audit.record(
        session,
        actor,
        "fetch",
        "event",
        report.run_id,
        after={
            "dataset": "UCDP GED",
            "version": release.version,
            "url": download.url,
            "archive": str(download.path),
            "archive_sha256": download.sha256,
            "archive_bytes": download.size,
            "member": release.member,
            "downloaded": not download.reused,
        },
    )
    return report
