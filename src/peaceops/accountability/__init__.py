"""Accountability to and of peacekeepers: safety and security (fatalities, serious incidents and the
accountability of their perpetrators) and conduct and discipline (allegations of sexual exploitation and
abuse, investigations, outcomes)."""

from peaceops.accountability.conduct import conduct_summary, investigation_timeliness, outcomes, victim_assistance
from peaceops.accountability.conduct_rates import allegation_rates, allegations_per_1000, monthly_allegation_rates
from peaceops.accountability.conduct_records import allegation_detail, allegation_records
from peaceops.accountability.countries import countries_list, country_profile
from peaceops.accountability.importing import import_allegations
from peaceops.accountability.incidents import (
    IncidentInput,
    accountability_summary,
    change_status,
    incident_detail,
    list_incidents,
    record_incident,
)
from peaceops.accountability.overview import conduct_overview
from peaceops.accountability.safety import (
    fatalities_per_1000,
    fatality_rates,
    fatality_summary,
    malicious_trend,
    mission_comparison,
    safety_overview,
)

__all__ = [
    "IncidentInput",
    "accountability_summary",
    "allegation_detail",
    "allegation_rates",
    "allegation_records",
    "allegations_per_1000",
    "change_status",
    "conduct_overview",
    "conduct_summary",
    "countries_list",
    "country_profile",
    "fatalities_per_1000",
    "fatality_rates",
    "fatality_summary",
    "import_allegations",
    "incident_detail",
    "investigation_timeliness",
    "list_incidents",
    "malicious_trend",
    "mission_comparison",
    "monthly_allegation_rates",
    "outcomes",
    "record_incident",
    "safety_overview",
    "victim_assistance",
]
