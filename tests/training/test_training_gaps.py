"""Readiness and capability gaps computed from evidence: an off-track indicator and low coverage name a gap,
high coverage does not; allegations naming a contingent with low conduct training name one; the derived
CD_TRAINED series comes from the training records."""

from __future__ import annotations

from datetime import date

from training_support import write

from peaceops.access.policy import Actor
from peaceops.conduct.models import Allegation
from peaceops.missions.lookup import find_mission
from peaceops.performance.derived import compute_derived
from peaceops.performance.frameworks import create_framework, current_framework
from peaceops.performance.values import save_value, set_target
from peaceops.platform import import_file
from peaceops.training import capability_gaps, readiness

ADMIN = Actor(username="admin", role="admin")
DAY = date(2026, 6, 1)


def _casevac(db, rating_value: float) -> None:
    """UNMISS's framework with SAF_CASEVAC_60 at ``rating_value`` % against a target of 90 % in 2026-Q1."""
    with db.write() as s:
        framework = create_framework(s, find_mission(s, "UNMISS"), ADMIN)
        set_target(s, framework, "SAF_CASEVAC_60", "2026-Q1", 90, ADMIN)
        save_value(s, framework, "SAF_CASEVAC_60", "2026-Q1", rating_value, ADMIN)


def _records(db, tmp_path, trained: int) -> None:
    import_file(db, "training-courses", write(tmp_path, "c.csv", "code,title,capability,area\n"
        "CASEVAC,Casualty evacuation,casualty_evacuation,A4P+.P3\nCD,Conduct,conduct,A4P+.P3\n"), "t")  # fmt: skip
    import_file(db, "training-records", write(tmp_path, "r.csv",
        "mission,course,completed,country,unit,trained,strength\n"
        f"UNMISS,CASEVAC,2026-01-10,NPL,Battalion A,{trained},100\n"
        "UNMISS,CD,2026-01-10,NPL,Battalion A,20,100\nUNMISS,CD,2026-02-10,NPL,Battalion A,10,100\n"), "t")  # fmt: skip
    import_file(db, "training-requirements", write(tmp_path, "q.csv", "mission,capability,required_percent\n"
        "UNMISS,casualty_evacuation,60\nUNMISS,conduct,90\n"), "t")  # fmt: skip


def test_an_off_track_indicator_and_low_coverage_name_a_gap(missions, tmp_path):
    _casevac(missions, 30)
    _records(missions, tmp_path, trained=25)
    with missions.session() as s:
        gaps = capability_gaps(s, "UNMISS", as_of=DAY)
    assert gaps.period == "2026-Q1"
    [gap] = [g for g in gaps.gaps if g.capability == "casualty_evacuation"]
    assert (gap.evidence, gap.indicator, gap.coverage_percent, gap.required_percent) == (
        "indicator",
        "SAF_CASEVAC_60",
        25.0,
        60,
    )
    assert gap.why.startswith(
        "SAF_CASEVAC_60 (Casualty evacuations completed within 60 minutes) is off track in 2026-Q1"
    )
    assert "only 25 %" in gap.why and "(60 % required)" in gap.why


def test_no_gap_when_coverage_meets_the_requirement(missions, tmp_path):
    _casevac(missions, 30)
    _records(missions, tmp_path, trained=80)
    with missions.session() as s:
        gaps = capability_gaps(s, "UNMISS", as_of=DAY)
        ready = readiness(s, "UNMISS", DAY)
    assert [g for g in gaps.gaps if g.capability == "casualty_evacuation"] == []
    [unit] = ready.contingents
    shares = {c.capability: (c.percent, c.met) for c in unit.capabilities}
    assert shares == {"casualty_evacuation": (80.0, True), "conduct": (30.0, False)}
    assert unit.ready is False


def test_no_gap_when_the_indicator_is_on_track(missions, tmp_path):
    _casevac(missions, 95)
    _records(missions, tmp_path, trained=25)
    with missions.session() as s:
        assert [g for g in capability_gaps(s, "UNMISS", as_of=DAY).gaps if g.evidence == "indicator"] == []


def test_allegations_naming_a_contingent_with_low_conduct_training_name_a_gap(missions, tmp_path):
    _records(missions, tmp_path, trained=80)
    with missions.write() as s:
        mission = find_mission(s, "UNMISS")
        for n in range(3):
            s.add(Allegation(
                allegation_key=f"T-{n}", mission_acronym="UNMISS", mission_id=mission.id,
                reported_month=date(2025, 3 + n, 1), personnel_category="Military", personnel=[],
                nationalities=[{"name": "Nepal", "iso3": "NPL"}], victim_groups={}, child_victims=False,
                allegation_category="Sexual exploitation", allegation_types=[], paternity_claim=False,
                paternity_established="", nio_appointed="", investigation_entity="", investigation_status="",
                outcome="", results=[], interim_actions=[], final_actions=[], criminal_referral="",
            ))  # fmt: skip
    with missions.session() as s:
        gaps = capability_gaps(s, "UNMISS", as_of=DAY)
    [gap] = [g for g in gaps.gaps if g.evidence == "allegations"]
    assert (gap.country_iso3, gap.coverage_percent) == ("NPL", 30.0)
    assert gap.why.startswith("3 allegations of sexual exploitation and abuse in the 24 months to 2025-05 name")


def test_a_mission_with_nothing_recorded_has_no_gaps(missions):
    with missions.session() as s:
        gaps = capability_gaps(s, "MINUSCA")
        ready = readiness(s, "MINUSCA")
    assert (gaps.gaps, gaps.period, ready.contingents, ready.requirements) == ([], None, [], [])


def test_expired_certificates_do_not_count(missions, tmp_path):
    _records(missions, tmp_path, trained=80)
    import_file(missions, "training-records", write(tmp_path, "x.csv",
        "mission,course,completed,country,unit,trained,strength,certificate_expires\n"
        "UNMISS,CD,2026-03-01,NPL,Battalion A,60,100,2026-04-01\n"), "t")  # fmt: skip
    with missions.session() as s:
        before = readiness(s, "UNMISS", date(2026, 3, 15)).requirements
        after = readiness(s, "UNMISS", DAY).requirements
    assert {c.capability: c.percent for c in before}["conduct"] == 90.0
    assert {c.capability: c.percent for c in after}["conduct"] == 30.0


def test_cd_trained_is_derived_from_the_training_records(missions, tmp_path):
    _records(missions, tmp_path, trained=80)
    with missions.write() as s:
        framework = create_framework(s, find_mission(s, "UNMISS"), ADMIN)
        report = compute_derived(s, framework)
        [entry] = [i for i in report.indicators if i["code"] == "CD_TRAINED"]
        assert (entry["status"], entry["first"], entry["last"]) == ("computed", "2026-01", "2026-02")
        framework = current_framework(s, find_mission(s, "UNMISS"))
        from sqlalchemy import select

        from peaceops.performance.frameworks import indicator_by_code
        from peaceops.performance.models import IndicatorValue

        indicator = indicator_by_code(s, framework, "CD_TRAINED")
        values = dict(s.execute(select(IndicatorValue.period, IndicatorValue.value)
                                .where(IndicatorValue.indicator_id == indicator.id)).all())  # fmt: skip
    assert values == {"2026-01": 20.0, "2026-02": 10.0}
