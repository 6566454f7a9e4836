"""The words of the UN table of allegations, marked for translation.

The table's categories, outcomes, age groups, investigating entities, actions and statuses are stored in
English as the table publishes them (the JSON, the CSV and the filters use them); pages and charts show
them through ``_()`` (the ``translated`` filter in templates), so a French page reads « Militaires » and
« Fondée ». Nothing here changes what is stored; a word the table adds later reads in English until it is
added here and translated.
"""

from __future__ import annotations

from peaceops.i18n import N_

__all__ = ["TERMS"]

TERMS: tuple[str, ...] = (
    # categories of personnel
    N_("Military"),
    N_("Police"),
    N_("Civilian"),
    N_("Several"),
    # outcomes and results of investigations
    N_("Substantiated"),
    N_("Unsubstantiated"),
    N_("Pending"),
    N_("Incomplete"),
    N_("N/A"),
    N_("Yes"),
    N_("No"),
    # age groups of victims
    N_("Adult"),
    N_("Child"),
    N_("Unknown"),
    # who investigated
    N_("For Information"),
    N_("Host State"),
    N_("Non-UN"),
    N_("UN Mission"),
    N_("UN OIOS"),
    N_("UN Review"),
    # categories and types of allegations
    N_("Sexual abuse"),
    N_("Sexual exploitation"),
    N_("Transactional sex"),
    N_("Rape"),
    N_("Exploitative relationship"),
    N_("Sexual assault"),
    N_("Soliciting transactional sex"),
    N_("Attempted transactional sex"),
    N_("Attempted sexual assault"),
    N_("Attempted rape"),
    N_("Other"),
    # final actions
    N_("Action closed"),
    N_("Termination"),
    N_("Host state action"),
    N_("Administrative"),
    N_("Repatriation"),
    N_("Demotion"),
    N_("Jail"),
    N_("Financial sanction"),
    N_("Suspension from service"),
    N_("Case dismissed"),
    N_("Subject resigned"),
    N_("Dismissal"),
    N_("Separation from service"),
    N_("Forcible retirement"),
    N_("None"),
    N_("UN referral to host state"),
)
