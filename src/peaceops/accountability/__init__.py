"""Accountability to and of peacekeepers: safety and security (fatalities, serious incidents and the
accountability of their perpetrators), conduct and discipline (allegations of sexual exploitation and
abuse, investigations, outcomes), environmental management, Member State pledges, and partnerships
(cooperation frameworks, partner-led and joint operations)."""

from peaceops.accountability.commitment_import import import_environment, import_pledges
from peaceops.accountability.conduct import conduct_summary, investigation_timeliness, outcomes, victim_assistance
from peaceops.accountability.conduct_rates import allegation_rates, allegations_per_1000, monthly_allegation_rates
from peaceops.accountability.conduct_records import allegation_detail, allegation_records
from peaceops.accountability.countries import countries_list, country_profile
from peaceops.accountability.environment import EnvironmentInput, environment_overview, save_environment
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
from peaceops.accountability.partnerships import (
    ArrangementInput,
    FrameworkInput,
    MilestoneInput,
    OperationInput,
    add_arrangement,
    add_milestone,
    change_milestone,
    overdue_milestones,
    partnerships_overview,
    record_framework,
    record_operation,
)
from peaceops.accountability.pledges import (
    PledgeInput,
    change_pledge_status,
    list_pledges,
    pledge_detail,
    pledge_progress,
    record_pledge,
)
from peaceops.accountability.safety import (
    fatalities_per_1000,
    fatality_rates,
    fatality_summary,
    malicious_trend,
    mission_comparison,
    safety_overview,
)

__all__ = [
    "ArrangementInput",
    "EnvironmentInput",
    "FrameworkInput",
    "IncidentInput",
    "MilestoneInput",
    "OperationInput",
    "PledgeInput",
    "accountability_summary",
    "add_arrangement",
    "add_milestone",
    "allegation_detail",
    "allegation_rates",
    "allegation_records",
    "allegations_per_1000",
    "change_milestone",
    "change_pledge_status",
    "change_status",
    "conduct_overview",
    "conduct_summary",
    "countries_list",
    "country_profile",
    "environment_overview",
    "fatalities_per_1000",
    "fatality_rates",
    "fatality_summary",
    "import_allegations",
    "import_environment",
    "import_pledges",
    "incident_detail",
    "investigation_timeliness",
    "list_incidents",
    "list_pledges",
    "malicious_trend",
    "mission_comparison",
    "monthly_allegation_rates",
    "outcomes",
    "overdue_milestones",
    "partnerships_overview",
    "pledge_detail",
    "pledge_progress",
    "record_framework",
    "record_incident",
    "record_operation",
    "record_pledge",
    "safety_overview",
    "save_environment",
    "victim_assistance",
]
