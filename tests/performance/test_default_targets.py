"""Default targets of derived indicators: computed by their rule, stored as editable rows, and enough for the
scorecard to rate missions from the data peaceops holds (issue 16, part 4)."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from perf_actors import ADMIN
from perf_web import PASSWORD, sign_in
from sqlalchemy import func, inspect, select, text

from peaceops.access.users import add_user
from peaceops.i18n import use_locale
from peaceops.performance import assessments as wf
from peaceops.performance.defaults import ACTOR, PARITY_SOURCE, compute_defaults, sync_defaults
from peaceops.performance.frameworks import current_framework, find_mission, indicator_by_code
from peaceops.performance.models import Indicator, IndicatorTarget, IndicatorValue
from peaceops.performance.periods import month, parse_period
from peaceops.performance.rating import rule_text
from peaceops.performance.scorecard import reasons, rollup
from peaceops.performance.values import Point, lock_checker, set_target, write_points
from peaceops.store.database import MIGRATIONS, upgrade
from peaceops.web import create_app


def _values(monthly: dict[str, tuple[float, float | None, float | None]]) -> list[IndicatorValue]:
    out = []
    for key, (value, numerator, denominator) in monthly.items():
        p = parse_period(key)
        out.append(
            IndicatorValue(
                period=key,
                period_start=p.start,
                period_end=p.end,
                disaggregation="",
                value=value,
                numerator=numerator,
                denominator=denominator,
            )
        )
    return out


def _months(first_year: int, last_year: int) -> list[str]:
    return [f"{y}-{m:02d}" for y in range(first_year, last_year + 1) for m in range(1, 13)]


def test_a_rate_gets_the_missions_own_ratio_over_the_three_previous_years():
    rate = Indicator(code="R", unit="per_1000", direction="lower", aggregation="ratio", factor=1000.0)
    # 2011-2013: one death in every 12th month among 2,000 deployed; 2010 (outside 2014's window): 5 a month
    rows = {k: (0.0, 0.0, 2000.0) for k in _months(2010, 2014)}
    rows.update({k: (2.5, 5.0, 2000.0) for k in _months(2010, 2010)})
    rows.update({f"{y}-06": (0.5, 1.0, 2000.0) for y in (2011, 2012, 2013)})
    defaults = {d.period.key: d for d in compute_defaults(rate, _values(rows), {})}
    assert set(defaults) == {"2011", "2012", "2013", "2014"}  # 2010 has no earlier year
    assert defaults["2014"].value == pytest.approx(1000 * 3 / (36 * 2000), rel=1e-5)
    assert rule_text(defaults["2014"].rule) == (
        "at most 0.0417 per 1,000: the mission's own rate over 2011-2013 (36 months; lower is better)"
    )
    with use_locale("fr"):  # stored as facts, so each reader has it in their own language
        assert rule_text(defaults["2014"].rule) == (
            "au plus 0,0417 pour 1 000 : le taux propre de la mission sur 2011-2013 (36 mois ; plus c'est bas, "
            "mieux c'est)"
        )
    assert rule_text("typed by a person before rules were facts") == "typed by a person before rules were facts"
    assert defaults["2011"].value == pytest.approx(1000 * 60 / (12 * 2000), rel=1e-5)  # only 2010 before it


def test_counts_get_a_target_per_month_quarter_and_year_and_shares_the_strategys():
    counts = Indicator(code="C", unit="count", direction="lower", aggregation="sum", factor=1.0)
    rows = {k: (10.0, 10.0, None) for k in _months(2016, 2017)}
    defaults = {d.period.key: d.value for d in compute_defaults(counts, _values(rows), {})}
    assert defaults["2017-05"] == 10 and defaults["2017-Q2"] == 30 and defaults["2017"] == 120
    assert "2016" not in defaults  # nothing before 2016
    rules = {d.period.key: rule_text(d.rule) for d in compute_defaults(counts, _values(rows), {})}
    assert (
        rules["2017-Q2"]
        == "at most 30 in 3 months: the mission's own monthly mean over 2014-2016 (12 months; lower is better)"
    )
    assert rules["2017-05"].startswith("at most 10 in a month: ")

    share = Indicator(
        code="S", unit="percent", direction="higher", aggregation="ratio", factor=100.0, derivation="women_share:x"
    )
    rows = {k: (4.0, 4.0, 100.0) for k in _months(2019, 2021)}
    curve = {"x": [{"year": 2021, "share": 0.08, "milestone": True}]}
    defaults = {d.period.key: d for d in compute_defaults(share, _values(rows), curve)}
    assert defaults["2021"].value == pytest.approx(8.0) and defaults["2021"].source == PARITY_SOURCE
    assert defaults["2020"].value == pytest.approx(4.0) and rule_text(defaults["2020"].rule).startswith(
        "at least 4 %: "
    )
    no_women = {k: (0.0, 0.0, 100.0) for k in _months(2019, 2020)}
    assert [d.period.key for d in compute_defaults(share, _values(no_women), {})] == []  # "at least 0" rates nothing


def test_a_persons_target_survives_a_rerun_and_a_rerun_never_duplicates(unmiss):
    with unmiss.session() as s:
        framework = current_framework(s, find_mission(s, "UNMISS"))
        indicator = indicator_by_code(s, framework, "FAT_MALICIOUS_RATE")
        points = [Point(parse_period(k), 0.0, 0.0, 12000.0) for k in _months(2011, 2014)]
        points[17] = Point(points[17].period, 1000 / 12000, 1.0, 12000.0)  # one death in 2012-06
        points[-11] = Point(points[-11].period, 3000 / 12000, 3.0, 12000.0)  # three in 2014-02
        write_points(s, indicator, points, actor=ACTOR, source="test")
        locked = lock_checker(s, framework.mission_id)
        first = sync_defaults(s, indicator, locked)
        assert sync_defaults(s, indicator, locked) == {}  # a rerun changes nothing
        s.flush()
        rating = rollup(s, [month(2014, 2)], ("priority",))
        cell = next(c for c in rating if c.element == "A4P+.P4")
        why = reasons(s, month(2014, 2), ("priority",))[("UNMISS", "A4P+.P4")]

        set_target(s, framework, "FAT_MALICIOUS_RATE", "2014", 0.5, ADMIN)
        sync_defaults(s, indicator, locked)
        stored = s.scalars(select(IndicatorTarget).where(IndicatorTarget.indicator_id == indicator.id)).all()
        mine = next(t for t in stored if t.period == "2014")
        later = next(c for c in rollup(s, [month(2014, 2)], ("priority",)) if c.element == "A4P+.P4")
    assert first == {"inserted": 3}  # 2012, 2013 and 2014 (2011 has no earlier year)
    assert cell.rating == "off_track"  # 0.25 per 1,000 against the 2011-2013 rate of 1 in 36 x 12,000
    assert "FAT_MALICIOUS_RATE" in why and "2011-2013" in why and "at most" in why
    assert len(stored) == 3 and len({t.period for t in stored}) == 3
    assert (mine.value, mine.set_by, mine.rule) == (0.5, ADMIN.username, "")
    assert later.rating == "on_track"  # the person's 0.5 per 1,000 now stands


def test_the_scorecard_rates_ten_missions_in_february_2014_with_a_reason_each(perf_loaded, settings):
    db, _ = perf_loaded
    with db.session() as s:
        add_user(s, "score-viewer", PASSWORD, "viewer")
    with TestClient(create_app(settings, db=db)) as client:
        sign_in(client, "score-viewer")
        body = client.get("/api/performance/scorecard?period=2014-02").json()
        summary = client.get("/api/performance/scorecard/summary?period=2014-02").json()
        detail = client.get("/performance/missions/UNMISS/indicators/GEN_WOMEN_TROOPS?period=2014-02")
    rated = {r["mission"] for r in body["rows"] if r["rating"] != "no_data"}
    assert len(rated) >= 10, rated
    cells = [c for row in summary["missions"] for c in row["cells"] if c]
    assert cells and all(c["why"] and "\n" not in c["why"] for c in cells)
    assert all("against" in c["why"] for c in cells if c["rating"] != "no_data")
    assert detail.status_code == 200 and "own share over 2011-2013" in detail.text and PARITY_SOURCE in detail.text


def test_default_targets_are_rows_with_source_and_rule_and_ratios_keep_their_scale(perf_loaded):
    db, _ = perf_loaded
    with db.session() as s:
        framework = current_framework(s, find_mission(s, "UNMISS"))
        troops = indicator_by_code(s, framework, "GEN_WOMEN_TROOPS")
        rows = s.scalars(select(IndicatorTarget).where(IndicatorTarget.indicator_id == troops.id)).all()
        duplicates = s.scalar(
            select(func.count()).select_from(
                select(IndicatorTarget.indicator_id, IndicatorTarget.period)
                .group_by(IndicatorTarget.indicator_id, IndicatorTarget.period, IndicatorTarget.disaggregation)
                .having(func.count() > 1)
                .subquery()
            )
        )
        view = wf.assessment_view(s, "UNMISS", "2013-Q4")
    assert duplicates == 0
    assert all(t.source and t.rule and t.set_by == ACTOR for t in rows)
    by_period = {t.period: t for t in rows}
    assert by_period["2021"].source == PARITY_SOURCE and "milestone" in rule_text(by_period["2021"].rule)
    assert "own share over 2010-2012" in rule_text(by_period["2013"].rule)
    gender = next(o for o in view.objectives if o.code == "O4")
    share = next(e for e in gender.evidence if e.code == "GEN_WOMEN_TROOPS")
    assert 0.5 < share.value < 20  # a quarter's ratio is a percentage like the months (factor 100)
    assert gender.computed != "no_data" and share.target_rule and gender.why.endswith(".")
    assert date(2013, 10, 1) <= parse_period(share.periods[0]).start


def test_migration_0020_goes_down_to_0019_and_up_again(unmiss):
    def state() -> tuple[bool, float]:
        columns = {c["name"] for c in inspect(unmiss.engine).get_columns("perf_target", schema=unmiss.schema)}
        with unmiss.engine.connect() as conn:
            factor = conn.execute(text("SELECT factor FROM perf_indicator WHERE code = 'GEN_WOMEN_TROOPS'")).scalar()
        return "rule" in columns, float(factor)

    assert state() == (True, 100.0)  # the template's factor: values are percentages of numerator / denominator
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with unmiss.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0019")
    assert state() == (False, 1.0)
    upgrade(unmiss)
    assert state() == (True, 100.0)
