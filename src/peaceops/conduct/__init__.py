"""Conduct and discipline: allegations of sexual exploitation and abuse, investigations, outcomes, rates and the
case records behind them.
"""

from peaceops.conduct.analysis import conduct_summary, investigation_timeliness, outcomes, victim_assistance
from peaceops.conduct.importing import import_allegations
from peaceops.conduct.overview import conduct_overview
from peaceops.conduct.rates import allegation_rates, allegations_per_1000, monthly_allegation_rates
from peaceops.conduct.records import allegation_detail, allegation_records

__all__ = [
    "allegation_detail",
    "allegation_rates",
    "allegation_records",
    "allegations_per_1000",
    "conduct_overview",
    "conduct_summary",
    "import_allegations",
    "investigation_timeliness",
    "monthly_allegation_rates",
    "outcomes",
    "victim_assistance",
]
