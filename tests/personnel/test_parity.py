from sqlalchemy import select

from peaceops.personnel.models import ParityTarget
from peaceops.personnel.parity import seed_targets, target_curve, target_for


def test_targets_interpolate_between_confirmed_milestones(db):
    with db.session() as s:
        assert target_for(s, "military_contingents", 2021) == 0.08
        assert target_for(s, "military_contingents", 2028) == 0.15
        assert target_for(s, "military_contingents", 2024) == round(0.08 + 0.07 * 3 / 7, 4)
        assert target_for(s, "formed_police_units", 2021) is None  # before its first milestone
        curve = target_curve(s)["individual_police"]
        assert curve == [{"year": 2028, "share": 0.30, "milestone": True}]


def test_an_edited_target_survives_reseeding_and_moves_the_line(db):
    with db.session() as s:
        target = s.scalar(
            select(ParityTarget).where(ParityTarget.category == "military_contingents", ParityTarget.year == 2028)
        )
        target.share = 0.22
    with db.session() as s:
        assert seed_targets(s) == 0
        assert target_for(s, "military_contingents", 2028) == 0.22
        assert target_for(s, "military_contingents", 2027) == 0.2
