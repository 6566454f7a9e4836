"""The one vocabulary of threat areas: what forms, the API and import files may give, and the sentence that
refuses the rest."""

from __future__ import annotations

import pytest

from peaceops.errors import ValidationFailed
from peaceops.framework.threat_areas import THREAT_AREAS, check_threat_area, counts_out, parse_threat_areas
from peaceops.i18n import use_locale
from peaceops.reports.environment import url_with


def test_codes_separated_by_semicolons_come_back_checked_once_each_in_the_vocabulary_order():
    assert parse_threat_areas(" cyber ;Terrorism;; cyber") == ["terrorism", "cyber"]
    assert parse_threat_areas(["climate_security", "organised_crime"]) == ["organised_crime", "climate_security"]
    assert parse_threat_areas("") == [] and parse_threat_areas(None) == []


def test_an_unknown_code_is_refused_naming_it_and_the_codes_there_are():
    with pytest.raises(ValidationFailed) as refused:
        parse_threat_areas("cyber;piracy;drugs")
    message = str(refused.value)
    assert "'drugs', 'piracy'" in message
    assert all(code in message for code in THREAT_AREAS)


def test_a_filter_is_one_known_code_or_nothing():
    assert check_threat_area("") is None and check_threat_area(None) is None
    assert check_threat_area("Cyber") == "cyber"
    with pytest.raises(ValidationFailed):
        check_threat_area("cyber;terrorism")  # one area per filter: the second is not a code of its own


def test_counts_list_every_area_in_order_with_its_label_in_the_readers_language():
    with use_locale("fr"):
        counts = counts_out({"cyber": 2})
    assert [c["code"] for c in counts] == list(THREAT_AREAS)
    assert counts[-1] == {"code": "cyber", "label": "Cybersécurité", "count": 2}
    assert counts[0]["count"] == 0


def test_a_count_link_keeps_the_pages_other_filters_and_replaces_the_area():
    assert url_with("/incidents?mission=MINUSCA&threat_area=cyber", threat_area="terrorism") == (
        "/incidents?mission=MINUSCA&threat_area=terrorism"
    )
    assert url_with("/regions/017?threat_area=cyber&page=2", threat_area="", page="") == "/regions/017"
