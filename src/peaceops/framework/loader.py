"""Loading the framework file into the store and reading it back for pages and the API."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from peaceops.errors import ValidationFailed
from peaceops.framework.models import ELEMENT_KINDS, FrameworkElement, FrameworkLink, FrameworkVersion

FRAMEWORK_FILE = Path(__file__).with_name("a4p.toml")


def load_framework(session: Session, path: Path = FRAMEWORK_FILE) -> dict[str, int]:
    """Upsert versions, elements and links from the TOML file; running it twice changes nothing."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    counts = {"versions": 0, "elements": 0, "links": 0, "changed": 0}
    versions = {v.code: v for v in session.scalars(select(FrameworkVersion))}
    elements = {e.code: e for e in session.scalars(select(FrameworkElement))}
    wanted_links: list[tuple[str, str]] = []
    for v in data["versions"]:
        version = versions.get(v["code"])
        if version is None:
            version = FrameworkVersion(code=v["code"])
            session.add(version)
            versions[v["code"]] = version
        counts["changed"] += _assign(
            version,
            title=v["title"],
            adopted=v.get("adopted"),
            summary=v.get("summary", ""),
            supersedes_code=v.get("supersedes"),
        )
        counts["versions"] += 1
        for position, e in enumerate(v.get("elements", []), start=1):
            if e["kind"] not in ELEMENT_KINDS:
                raise ValidationFailed(f"Framework element {e['code']}: kind {e['kind']!r} is not known.")
            element = elements.get(e["code"])
            if element is None:
                element = FrameworkElement(code=e["code"])
                session.add(element)
                elements[e["code"]] = element
            counts["changed"] += _assign(
                element,
                version=version,
                kind=e["kind"],
                position=position,
                title=e["title"],
                description=e["description"],
            )
            counts["elements"] += 1
            wanted_links += [(e["code"], target) for target in e.get("advances", [])]
    session.flush()
    have = {(link.source_id, link.target_id) for link in session.scalars(select(FrameworkLink))}
    for source, target in wanted_links:
        if target not in elements:
            raise ValidationFailed(f"Framework element {source} advances {target}, which is not defined.")
        pair = (elements[source].id, elements[target].id)
        if pair not in have:
            session.add(FrameworkLink(source_id=pair[0], target_id=pair[1], relation="advances"))
            counts["changed"] += 1
        counts["links"] += 1
    return counts


def _assign(obj: Any, **values: Any) -> int:
    changed = 0
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = 1
    return changed


def framework_tree(session: Session) -> dict[str, Any]:
    """Versions with their elements grouped by kind, each element with the codes it advances."""
    links: dict[int, list[str]] = {}
    advanced_by: dict[int, list[str]] = {}
    codes = dict(session.execute(select(FrameworkElement.id, FrameworkElement.code)).all())
    for link in session.scalars(select(FrameworkLink)):
        links.setdefault(link.source_id, []).append(codes[link.target_id])
        advanced_by.setdefault(link.target_id, []).append(codes[link.source_id])
    out: dict[str, Any] = {"versions": [], "commitment_areas": [], "priorities": [], "themes": []}
    query = select(FrameworkVersion).options(selectinload(FrameworkVersion.elements)).order_by(FrameworkVersion.id)
    for version in session.scalars(query):
        out["versions"].append(
            {
                "code": version.code,
                "title": version.title,
                "adopted": version.adopted.isoformat() if version.adopted else None,
                "supersedes": version.supersedes_code,
                "summary": version.summary,
                "elements": [e.code for e in version.elements],
            }
        )
        for e in version.elements:
            key = {"commitment_area": "commitment_areas", "priority": "priorities", "theme": "themes"}[e.kind]
            out[key].append(
                {
                    "code": e.code,
                    "kind": e.kind,
                    "version": version.code,
                    "title": e.title,
                    "description": e.description,
                    "advances": sorted(links.get(e.id, [])),
                    "advanced_by": sorted(advanced_by.get(e.id, [])),
                }
            )
    return out
