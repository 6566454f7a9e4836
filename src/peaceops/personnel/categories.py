"""Uniformed personnel categories as the UN reports them, and the groups the gender parity strategy sets targets for."""

from __future__ import annotations

from peaceops.i18n import N_

PERSONNEL_TYPES = ("troops", "staff_officers", "experts_on_mission", "formed_police", "individual_police")


PERSONNEL_LABELS = {
    "troops": N_("Troops"),
    "staff_officers": N_("Staff officers"),
    "experts_on_mission": N_("Experts on mission"),
    "formed_police": N_("Formed police units"),
    "individual_police": N_("Individual police"),
}


# Uniformed Gender Parity Strategy categories, and which personnel types count towards each.
PARITY_CATEGORIES = {
    "military_contingents": ("troops",),
    "staff_officers_observers": ("staff_officers", "experts_on_mission"),
    "formed_police_units": ("formed_police",),
    "individual_police": ("individual_police",),
}


PARITY_LABELS = {
    "military_contingents": N_("Military contingents"),
    "staff_officers_observers": N_("Military staff officers and observers"),
    "formed_police_units": N_("Formed police units"),
    "individual_police": N_("Individual police officers"),
}
