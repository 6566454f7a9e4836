"""The closed lists a transition file's columns take, each with the label the pages show (translated where
shown). Kept as code, not data: the rules of ``progress`` and ``protection`` read them."""

from __future__ import annotations

from peaceops.i18n import _l

PHASES: dict[str, object] = {
    "planning": _l("Planning"),
    "drawdown": _l("Drawdown"),
    "liquidation": _l("Liquidation"),
    "completed": _l("Completed"),
}
BENCHMARK_STATUSES: dict[str, object] = {
    "not_started": _l("Not yet started"),
    "in_progress": _l("In progress"),
    "achieved": _l("Achieved"),
    "missed": _l("Missed"),
}
# Who takes a task over when the mission leaves.
RECIPIENTS: dict[str, object] = {
    "un_country_team": _l("UN country team"),
    "host_government": _l("Host government"),
    "other": _l("Other partner"),
}
TASK_STATUSES: dict[str, object] = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "handed_over": _l("Handed over"),
    "delayed": _l("Delayed"),
    "cancelled": _l("Cancelled"),
}
DONE_TASKS = ("handed_over", "cancelled")  # a task in one of these is never overdue
# The personnel figure a drawdown step caps: the columns of the IPI monthly mission totals.
CATEGORIES: dict[str, object] = {
    "total": _l("Uniformed personnel"),
    "troops": _l("Troops"),
    "police": _l("Police"),
    "observers": _l("Observers"),
}
BASE_STATUSES: dict[str, object] = {
    "open": _l("In service"),
    "closing": _l("Closing"),
    "closed": _l("Closed"),
    "handed_over": _l("Handed over"),
}
# Whether protection holds in an area the mission left, and in the mission as a whole (decision 045).
VERDICTS: dict[str, object] = {
    "holding": _l("Protection holds"),
    "deteriorating": _l("Deteriorating"),
    "too_early": _l("Too early to tell"),
    "no_data": _l("No evidence loaded"),
}
MISSION_VERDICTS: dict[str, object] = {
    "holding": _l("Protection holds"),
    "at_risk": _l("At risk"),
    "unknown": _l("Not known yet"),
}


def label(table: dict[str, object], code: str | None) -> str:
    """The translated label of ``code`` in ``table``; the code itself where it is not listed."""
    if code is None:
        return ""
    return str(table[code]) if code in table else code
