"""Safety and security of peacekeepers: fatalities (rates per 1,000 deployed, malicious acts) and serious
incidents with the accountability of their perpetrators.
"""

from peaceops.safety.fatalities import (
    fatalities_per_1000,
    fatality_rates,
    fatality_summary,
    malicious_trend,
    mission_comparison,
    safety_overview,
)
from peaceops.safety.serious_incidents import (
    SeriousIncidentInput,
    accountability_summary,
    change_status,
    incident_detail,
    list_incidents,
    record_incident,
)

__all__ = [
    "SeriousIncidentInput",
    "accountability_summary",
    "change_status",
    "fatalities_per_1000",
    "fatality_rates",
    "fatality_summary",
    "incident_detail",
    "list_incidents",
    "malicious_trend",
    "mission_comparison",
    "record_incident",
    "safety_overview",
]
