from sqlalchemy import func, select

from peaceops.framework import framework_tree, load_framework
from peaceops.framework.models import FrameworkElement, FrameworkLink


def test_framework_holds_eight_areas_seven_priorities_two_themes(db):
    with db.session() as s:
        tree = framework_tree(s)
    assert [a["code"] for a in tree["commitment_areas"]] == [f"A4P.{i}" for i in range(1, 9)]
    assert [p["code"] for p in tree["priorities"]] == [f"A4P+.P{i}" for i in range(1, 8)]
    assert [t["title"] for t in tree["themes"]] == [
        "Women, peace and security",
        "Innovative, data-driven and technology-enabled peacekeeping",
    ]
    assert {v["code"] for v in tree["versions"]} >= {"A4P-2018", "A4P+-2021"}
    assert all(e["description"] for e in tree["commitment_areas"] + tree["priorities"] + tree["themes"])


def test_links_read_both_ways(db):
    with db.session() as s:
        tree = framework_tree(s)
    p4 = next(p for p in tree["priorities"] if p["code"] == "A4P+.P4")
    safety = next(a for a in tree["commitment_areas"] if a["code"] == "A4P.4")
    assert p4["advances"] == ["A4P.4"]
    assert "A4P+.P4" in safety["advanced_by"]
    assert all(p["advances"] for p in tree["priorities"]), "every priority advances at least one area"


def test_loading_twice_changes_nothing(db):
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(FrameworkLink))
        assert load_framework(s)["changed"] == 0
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(FrameworkLink)) == before


def test_loading_restores_an_edited_description(db):
    with db.session() as s:
        s.scalar(select(FrameworkElement).where(FrameworkElement.code == "A4P.1")).description = "changed"
    with db.session() as s:
        assert load_framework(s)["changed"] == 1
        assert s.scalar(select(FrameworkElement).where(FrameworkElement.code == "A4P.1")).description != "changed"
