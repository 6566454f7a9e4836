"""Monitored items and narratives tagged with threat areas: the import's optional column (bad codes refused
with their line, a rerun changing nothing), who may retag, and counts that never reach past the reader's
comms scope."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from threat_support import ANALYST, MISSION_A, OFFICER_A, OFFICER_B, VIEWER, count

from peaceops.comms import items, narratives, review, threats
from peaceops.comms.models import CommsItem, CommsNarrative
from peaceops.comms.scope import scope_for
from peaceops.errors import PermissionDenied, ValidationFailed
from peaceops.store import Database
from peaceops.store.audit import AuditEntry

KEY = b"k" * 32
CSV = (
    "text,source,external_id,mission,country_iso3,threat_areas\n"
    "Arms smuggled across the river at night,monitor,a1,MINUSCA,CAF,organised_crime\n"
    "Hackers took the radio's page down,monitor,a2,MINUSCA,CAF,cyber;hybrid_threats\n"
    "Floods will push herders south,monitor,p1,,CAF,climate_security\n"
    "Kidnappers want ransom,monitor,a3,MINUSCA,CAF,kidnapping\n"
    "Goma: a cell plans attacks,monitor,b1,MONUSCO,COD,terrorism\n"
)


def _import(db: Database, text: str = CSV, who=ANALYST):  # noqa: ANN001, ANN202
    with db.write() as s:
        return items.import_text(s, who.username, text, "csv", author_key=KEY, who=who, source="items.csv")


def _ids(db: Database) -> dict[str, int]:
    with db.session() as s:
        return dict(s.execute(select(CommsItem.external_id, CommsItem.id)).all())


def test_the_import_tags_items_rejects_an_unknown_code_with_its_line_and_a_rerun_changes_nothing(
    missions: Database,
):
    first = _import(missions)
    assert (first.added, first.updated, first.unchanged) == (4, 0, 0)
    assert [(r.line, "'kidnapping' is not a threat area" in r.reason) for r in first.rejected] == [(5, True)]
    again = _import(missions)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    ids = _ids(missions)
    with missions.session() as s:
        assert threats.item_areas(s, ids.values()) == {
            ids["a1"]: ["organised_crime"],
            ids["a2"]: ["hybrid_threats", "cyber"],
            ids["p1"]: ["climate_security"],
            ids["b1"]: ["terrorism"],
        }


def test_a_stored_item_is_retagged_only_by_someone_who_may_change_its_missions_records(missions: Database):
    _import(missions)
    header = "text,source,external_id,mission,threat_areas\n"
    # officer B names their own mission on the row, but the stored item a1 is mission A's: left unchanged
    sneaky = _import(missions, header + "Arms smuggled across the river at night,monitor,a1,MONUSCO,cyber\n", OFFICER_B)
    assert (sneaky.updated, sneaky.unchanged) == (0, 1)
    own = _import(
        missions, header + "Arms smuggled across the river at night,monitor,a1,MINUSCA,terrorism\n", OFFICER_A
    )
    assert (own.updated, own.unchanged) == (1, 0)
    with missions.session() as s:
        assert threats.item_areas(s, [_ids(missions)["a1"]]) == {_ids(missions)["a1"]: ["terrorism"]}


def test_items_are_counted_and_filtered_within_the_readers_scope_only(missions: Database):
    _import(missions)
    with missions.session() as s:
        seen = {
            name: threats.item_counts(s, scope_for(s, who).where())
            for name, who in (("analyst", ANALYST), ("a", OFFICER_A), ("b", OFFICER_B), ("viewer", VIEWER))
        }
        assert [count(seen[n], "organised_crime") for n in ("analyst", "a", "b", "viewer")] == [1, 1, 0, 0]
        assert [count(seen[n], "terrorism") for n in ("analyst", "a", "b", "viewer")] == [1, 0, 1, 0]
        assert [count(seen[n], "climate_security") for n in ("analyst", "a", "b", "viewer")] == [1, 1, 1, 1]  # pool
        queue = review.queue(s, frozenset(), status="new", visible=scope_for(s, OFFICER_B).where(), threat_area="cyber")
        assert queue["total"] == 0 and queue["items"] == []
        mine = review.queue(s, frozenset(), status="new", visible=scope_for(s, OFFICER_A).where(), threat_area="cyber")
        assert [i["external_id"] for i in mine["items"]] == ["a2"] and mine["items"][0]["threat_areas"] == [
            "hybrid_threats",
            "cyber",
        ]


def test_tagging_an_item_by_hand_follows_the_mission_rule_and_is_audited(missions: Database):
    _import(missions)
    ids = _ids(missions)
    with missions.write() as s:
        assert threats.tag_item(s, OFFICER_A, ids["a1"], "terrorism;cyber") == ["terrorism", "cyber"]
        for who, item in ((OFFICER_B, ids["a1"]), (OFFICER_A, ids["p1"]), (VIEWER, ids["p1"])):
            with pytest.raises(PermissionDenied):
                threats.tag_item(s, who, item, ["cyber"])
        with pytest.raises(ValidationFailed):
            threats.tag_item(s, ANALYST, ids["p1"], ["piracy"])
        entry = s.scalar(select(AuditEntry).where(AuditEntry.entity == "comms_item", AuditEntry.action == "tag"))
        assert entry.after == {"threat_areas": ["terrorism", "cyber"]} and entry.actor == "officer-a"


def test_narratives_are_tagged_by_analysts_and_counted_only_where_the_reader_sees_an_item(missions: Database):
    _import(missions)
    ids = _ids(missions)
    with missions.write() as s:
        narrative = CommsNarrative(key="en:test", language="en", label="arms, river", terms=["arms"], method="test")
        s.add(narrative)
        s.flush()
        s.execute(update(CommsItem).where(CommsItem.id == ids["a1"]).values(narrative_id=narrative.id))
        with pytest.raises(PermissionDenied):
            threats.tag_narrative(s, OFFICER_A, narrative.id, ["organised_crime"])
        threats.tag_narrative(s, ANALYST, narrative.id, ["organised_crime"])
        narrative_id = narrative.id
    with missions.session() as s:
        for who, expected in ((ANALYST, 1), (OFFICER_A, 1), (OFFICER_B, 0), (VIEWER, 0)):
            visible = scope_for(s, who).where()
            assert count(threats.narrative_counts(s, visible), "organised_crime") == expected
            listed = narratives.list_narratives(s, visible, "organised_crime")
            assert [n["id"] for n in listed] == ([narrative_id] if expected else [])
        assert narratives.list_narratives(s, None, "cyber") == []
    with missions.write() as s:  # a narrative removed by a rebuild takes its tags with it
        s.delete(s.get(CommsNarrative, narrative_id))
    with missions.session() as s:
        assert threats.narrative_areas(s, [narrative_id]) == {}


def test_the_api_body_without_threat_areas_leaves_a_stored_items_tags_alone(missions: Database):
    _import(missions)
    with missions.write() as s:
        row = {"text": "Arms smuggled across the river at night", "source": "monitor", "external_id": "a1",
               "mission": MISSION_A, "threat_areas": None}  # fmt: skip
        result = items.add_items(s, "analyst", [(1, row)], author_key=KEY, who=ANALYST)
        assert (result.updated, result.unchanged) == (0, 1)
        assert threats.item_areas(s, [_ids(missions)["a1"]]) == {_ids(missions)["a1"]: ["organised_crime"]}
