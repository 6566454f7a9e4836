"""Uniformed personnel categories as the UN reports them, and the groups the gender parity strategy sets targets for."""

from __future__ import annotations

PERSONNEL_TYPES = ("troops", "staff_officers", "experts_on_mission", "formed_police", "individual_police")


PERSONNEL_LABELS = {
    "troops": "Troops",
    "staff_officers": "Staff officers",
    "experts_on_mission": "Experts on mission",
    "formed_police": "Formed police units",
    "individual_police": "Individual police",
}


# Uniformed Gender Parity Strategy categories, and which personnel types count towards each.
PARITY_CATEGORIES = {
    "military_contingents": ("troops",),
    "staff_officers_observers": ("staff_officers", "experts_on_mission"),
    "formed_police_units": ("formed_police",),
    "individual_police": ("individual_police",),
}


PARITY_LABELS = {
    "military_contingents": "Military contingents",
    "staff_officers_observers": "Military staff officers and observers",
    "formed_police_units": "Formed police units",
    "individual_police": "Individual police officers",
}
