"""Contributing countries' profiles: personnel, fatalities, allegations and pledges, aggregates only."""

from peaceops.countries.profile import countries_list, country_profile

__all__ = ["countries_list", "country_profile"]
