"""Text items (posts, articles, radio transcripts): import from CSV, JSONL or the API, idempotently.

The natural key is (source, external_id); a row without an id gets the hash of its normalised text, so
importing the same file twice, or the same text twice from one source, never adds a second row. Each
rejected row is reported with its line and reason; good rows are kept. The author handle is replaced
by its keyed hash (privacy.py) before anything is stored with the item.

An item may name the mission it was collected for (column ``mission``, an acronym, or the import's
default mission); the importer must be allowed to change that mission's records (analysts and
administrators: any mission or none; mission officers: their own mission only), else the row is
rejected with the reason. Items without a mission join the shared pool (scope.py says who reads what).

An optional ``threat_areas`` column (codes separated by ``;``, a list in JSON) tags each item (decision 046);
an unknown code rejects the row. A row of an item already stored changes only its tags, and only where the
importer may change that item's mission's records (else it stays unchanged); a file without the column
leaves stored tags alone.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_editor
from peaceops.comms import duplicates, privacy, scope
from peaceops.comms.language import detect
from peaceops.comms.models import ITEM_TAGS, SHOWN, CommsItem
from peaceops.comms.shapes import ImportRejection, ItemImport
from peaceops.errors import ImportFileError, PermissionDenied, ValidationFailed
from peaceops.framework.threat_areas import parse_threat_areas
from peaceops.framework.threat_tags import set_areas
from peaceops.i18n import _
from peaceops.sources.records import Rejection, SourceRows
from peaceops.sources.tabular import csv_rows, encode, unreadable_text
from peaceops.store.base import utcnow
from peaceops.store.imports import finish_import

FIELDS = (
    "text",
    "source",
    "external_id",
    "language",
    "platform",
    "author",
    "posted_at",
    "place",
    "country_iso3",
    "latitude",
    "longitude",
    "url",
    "gold_label",
    "mission",
    "threat_areas",
)
MAX_TEXT = 20_000
KIND = "comms-items"  # the import runs' kind; items are scored on arrival, so they come in through comms' pages


@dataclass(frozen=True)
class ItemInput:
    text: str
    source: str
    external_id: str = ""
    language: str = ""
    platform: str = ""
    author: str = ""
    posted_at: datetime | None = None
    place: str = ""
    country_iso3: str = ""
    latitude: float | None = None
    longitude: float | None = None
    url: str = ""
    gold_label: str = ""
    mission: str = ""  # acronym; "" = the import's default mission, or none
    threat_areas: tuple[str, ...] | None = None  # None: the row says nothing about threat areas
    provenance: str = "monitored"  # models.PROVENANCES; imports are always "monitored", the demo's "held_out"


@dataclass(frozen=True)
class Origin:
    """Where a batch of items comes from, for its import run: the file's name, SHA-256 and layout."""

    source: str
    sha256: str
    layout: str

    @classmethod
    def of_text(cls, source: str, content: str, fmt: str) -> Origin:
        return cls(source or "upload", hashlib.sha256(encode(content)).hexdigest(), fmt)


def _time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValidationFailed(
                f"posted_at {value!r} is not an ISO date-time such as 2024-03-01T14:05:00Z"
            ) from None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _float(value: Any, name: str, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationFailed(f"{name} {value!r} is not a number") from None
    if not low <= number <= high:
        raise ValidationFailed(f"{name} {number} is outside {low}…{high}")
    return number


def from_mapping(row: dict[str, Any], default_source: str = "") -> ItemInput:
    """Validate one raw row (CSV or JSON object) into an ItemInput; ValidationFailed names the field."""
    text = str(row.get("text") or "").strip()
    if not text:
        raise ValidationFailed("text is empty")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"text is longer than {MAX_TEXT:,} characters")
    source = str(row.get("source") or default_source).strip()
    if not source:
        raise ValidationFailed("source is empty (name the feed, page or monitoring tool the item came from)")
    country = str(row.get("country_iso3") or "").strip().upper()
    if country and not (len(country) == 3 and country.isalpha()):
        raise ValidationFailed(f"country_iso3 {country!r} is not an ISO3 code such as 'SSD'")
    lat = _float(row.get("latitude"), "latitude", -90, 90)
    lon = _float(row.get("longitude"), "longitude", -180, 180)
    if (lat is None) != (lon is None):
        raise ValidationFailed("latitude and longitude must be given together")
    url = str(row.get("url") or "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise ValidationFailed(f"url {url[:60]!r} does not start with http:// or https://")
    return ItemInput(
        text=text,
        source=source[:80],
        external_id=str(row.get("external_id") or row.get("id") or "").strip()[:120],
        language=str(row.get("language") or "").strip().lower()[:8],
        platform=str(row.get("platform") or "").strip()[:40],
        author=str(row.get("author") or "").strip()[:200],
        posted_at=_time(row.get("posted_at")),
        place=str(row.get("place") or "").strip()[:200],
        country_iso3=country,
        latitude=lat,
        longitude=lon,
        url=url[:500],
        gold_label=str(row.get("gold_label") or "").strip().lower()[:24],
        mission=str(row.get("mission") or "").strip().upper()[:32],
        threat_areas=None if row.get("threat_areas") is None else tuple(parse_threat_areas(row["threat_areas"])),
    )


def expected_items() -> str:
    """Which file an item import expects, said after a file is refused as a whole (the page and the CLI)."""
    message = _(
        "The file expected: monitored items as a CSV file (UTF-8) whose first line names the columns, at least "
        "text (the others: {columns}), or a JSONL file with one JSON object per line."
    )
    return message.format(columns=", ".join(f for f in FIELDS if f != "text"))


def parse(content: str, fmt: str, name: str = "The file") -> list[tuple[int, dict[str, Any] | str]]:
    """(line, raw row) pairs, or (line, reason) for a line that cannot be read at all; ``name`` is the
    file's own name, for the messages."""
    out: list[tuple[int, dict[str, Any] | str]] = []
    if fmt == "csv":
        header, rows = csv_rows(content, name, short_rows=True)
        if "text" not in [h.lower() for h in header]:
            message = _("{name} has no 'text' column; expected columns: {columns}.")
            raise ImportFileError(message.format(name=name, columns=", ".join(FIELDS)))
        for n, row in rows:
            error = row.get("__error__")
            out.append((n, f"the line {error}" if error else {k.lower(): v for k, v in row.items()}))
        return out
    if fmt == "jsonl":
        for n, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            if problem := unreadable_text(line):
                out.append((n, f"the line {problem}"))
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                out.append((n, f"not valid JSON ({exc.msg})"))
                continue
            out.append((n, value if isinstance(value, dict) else "not a JSON object"))
        return out
    raise ImportFileError(_("Unknown item format {fmt!r}; use csv or jsonl.").format(fmt=fmt))


def _unescape(text: str) -> str:
    """Posts collected from web pages often arrive HTML-escaped ("&amp;", "&#128514;"): show the characters."""
    return html.unescape(text) if "&" in text else text


def add_items(
    session: Session,
    actor: str,
    rows: Iterable[tuple[int, ItemInput | dict[str, Any] | str]],
    *,
    author_key: bytes,
    default_source: str = "",
    progress: Callable[[int], None] | None = None,
    who: Actor | None = None,
    mission: str = "",
    origin: Origin | None = None,
) -> ItemImport:
    """Store new items (language detected, author hashed); existing (source, external_id) are unchanged.

    Every call is an import run (kind ``comms-items``) with its rejected lines, as ``origin`` describes the
    file (None: items sent to the API).

    ``mission`` is the default mission of rows that name none; ``who`` (None: the system itself, e.g. the
    demo) must be allowed to change each row's mission's records (see the module docstring).
    """
    origin = origin or Origin("api", "", "json")
    rows_read = unchanged = 0
    rejected: list[tuple[int, str]] = []
    staged: dict[tuple[str, str], tuple[int, ItemInput]] = {}
    known: dict[str, int] = {}
    for line, raw in rows:
        rows_read += 1
        if isinstance(raw, str):
            rejected.append((line, raw))
            continue
        try:
            data = raw if isinstance(raw, ItemInput) else from_mapping(raw, default_source)
            acronym = (data.mission or mission).strip().upper()
            if acronym and acronym not in known:
                known.update(scope.mission_ids(session, {acronym}))
                if acronym not in known:
                    raise ValidationFailed(f"mission {acronym!r} is not the acronym of a mission in peaceops")
            if who is not None:
                check_editor(who, "monitored items", acronym or None)
        except (ValidationFailed, PermissionDenied) as exc:
            rejected.append((line, str(exc)))
            continue
        if acronym != data.mission:
            data = replace(data, mission=acronym)
        key = (data.source, data.external_id or duplicates.text_key(data.text))
        if key in staged:
            unchanged += 1
            continue
        staged[key] = (line, data)
    existing: set[tuple[str, str]] = set()
    by_source: dict[str, list[str]] = {}
    for source, ext in staged:
        by_source.setdefault(source, []).append(ext)
    for source, exts in by_source.items():
        for start in range(0, len(exts), 500):
            found = session.execute(
                select(CommsItem.source, CommsItem.external_id).where(
                    CommsItem.source == source, CommsItem.external_id.in_(exts[start : start + 500])
                )
            )
            existing.update((s, e) for s, e in found)
    new_rows: list[dict[str, Any]] = []
    now = utcnow()
    for key, (_line, data) in staged.items():
        if key in existing:
            unchanged += 1
            continue
        language, method = detect(data.text, data.language)
        author_hash = None
        if data.author:
            author_hash = privacy.hash_author(author_key, data.platform, data.author)
            privacy.remember_author(session, author_hash, data.author, data.platform)
        new_rows.append(
            {
                "source": key[0], "external_id": key[1], "text": _unescape(data.text), "language": language,
                "language_method": method, "platform": data.platform, "author_hash": author_hash,
                "posted_at": data.posted_at, "place": data.place, "country_iso3": data.country_iso3,
                "latitude": data.latitude, "longitude": data.longitude, "url": data.url,
                "text_key": duplicates.text_key(data.text), "duplicate_of": None, "gold_label": data.gold_label,
                "label": "", "score": None, "probabilities": {}, "model_version": "", "lexicon_hits": [],
                "status": "new", "narrative_id": None, "imported_by": actor, "imported_at": now,
                "mission_id": known.get(data.mission), "provenance": data.provenance,
            }
        )  # fmt: skip
        if progress and len(new_rows) % 500 == 0:
            progress(500)
    for start in range(0, len(new_rows), 1000):  # executemany: far faster than one ORM object per row
        session.execute(insert(CommsItem), new_rows[start : start + 1000])
    tags = {key: data.threat_areas for key, (_line, data) in staged.items() if data.threat_areas is not None}
    updated = _tag(session, who, tags, existing) if tags else 0
    unchanged -= updated
    rejections = [Rejection(line, reason) for line, reason in rejected]
    run = SourceRows(KIND, origin.source, origin.sha256, origin.layout, rejections=rejections, rows_read=rows_read)
    counts = {"inserted": len(new_rows), "updated": updated, "unchanged": unchanged}
    return ItemImport(
        rows_read=rows_read,
        added=len(new_rows),
        unchanged=unchanged,
        updated=updated,
        rejected=[ImportRejection(line=line, reason=reason) for line, reason in rejected],
        run_id=finish_import(session, run, actor, "comms_item", counts).run_id,
    )


def _tag(
    session: Session,
    who: Actor | None,
    tags: dict[tuple[str, str], tuple[str, ...]],
    existing: set[tuple[str, str]],
) -> int:
    """Tag the rows' items with their threat areas; how many stored items (``existing``) changed. A stored
    item is retagged only where ``who`` may change its mission's records (None: the system itself)."""
    changed = 0
    by_source: dict[str, list[str]] = {}
    for source, ext in tags:
        by_source.setdefault(source, []).append(ext)
    for source, exts in by_source.items():
        for start in range(0, len(exts), 500):
            found = session.execute(
                select(CommsItem.id, CommsItem.external_id, CommsItem.mission_id).where(
                    CommsItem.source == source, CommsItem.external_id.in_(exts[start : start + 500])
                )
            ).all()
            for item_id, ext, mission_id in found:
                key = (source, ext)
                if key in existing and not _may_tag(session, who, mission_id):
                    continue
                if set_areas(session, ITEM_TAGS, item_id, tags[key]) and key in existing:
                    changed += 1
    return changed


def _may_tag(session: Session, who: Actor | None, mission_id: int | None) -> bool:
    if who is None:
        return True
    try:
        check_editor(who, "monitored items", scope.mission_acronym(session, mission_id) or None)
    except PermissionDenied:
        return False
    return True


def import_text(
    session: Session,
    actor: str,
    content: str,
    fmt: str,
    *,
    author_key: bytes,
    default_source: str = "",
    who: Actor | None = None,
    mission: str = "",
    source: str = "",
) -> ItemImport:
    name = PurePath(source).name if source else "The file"
    return add_items(
        session, actor, parse(content, fmt, name), author_key=author_key, default_source=default_source, who=who,
        mission=mission, origin=Origin.of_text(source, content, fmt),
    )  # fmt: skip


def regroup_duplicates(session: Session) -> int:
    """Recompute near-duplicate groups over all items; returns how many items are in a group."""
    shown = select(CommsItem.id, CommsItem.text).where(SHOWN)  # a training row is never a group's root
    groups = duplicates.group([(i, t) for i, t in session.execute(shown)])
    session.execute(update(CommsItem).values(duplicate_of=None))
    by_root: dict[int, list[int]] = {}
    for item_id, root in groups.items():
        by_root.setdefault(root, []).append(item_id)
    for root, members in by_root.items():
        session.execute(update(CommsItem).where(CommsItem.id.in_(members)).values(duplicate_of=root))
    return len(groups)
