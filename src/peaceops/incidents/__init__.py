"""Situational awareness: a mission's incident and event reports, verified, mapped and analysed."""

from peaceops.incidents.duplicates import find_duplicates, merge
from peaceops.incidents.importing import import_incidents
from peaceops.incidents.reports import IncidentInput, check_grading, detail, edit_incident, file_incident
from peaceops.incidents.verification import transition

__all__ = [
    "IncidentInput",
    "check_grading",
    "detail",
    "edit_incident",
    "file_incident",
    "find_duplicates",
    "import_incidents",
    "merge",
    "transition",
]
