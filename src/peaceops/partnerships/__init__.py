"""Member State pledges and partnerships: cooperation frameworks, partner-led and joint operations, support
arrangements.
"""

from peaceops.partnerships.cooperation import (
    ArrangementInput,
    FrameworkInput,
    MilestoneInput,
    OperationInput,
    add_arrangement,
    add_milestone,
    change_milestone,
    list_operations,
    operation_ids,
    overdue_milestones,
    partnerships_overview,
    record_framework,
    record_operation,
)
from peaceops.partnerships.importing import import_operations, import_pledges
from peaceops.partnerships.models import MILESTONE_STATUS_LABELS
from peaceops.partnerships.pledges import (
    PledgeInput,
    change_pledge_status,
    list_pledges,
    pledge_detail,
    pledge_progress,
    record_pledge,
)

__all__ = [
    "ArrangementInput",
    "FrameworkInput",
    "MilestoneInput",
    "OperationInput",
    "PledgeInput",
    "add_arrangement",
    "add_milestone",
    "change_milestone",
    "change_pledge_status",
    "import_operations",
    "import_pledges",
    "list_operations",
    "list_pledges",
    "milestone_status_labels",
    "operation_ids",
    "overdue_milestones",
    "partnerships_overview",
    "pledge_detail",
    "pledge_progress",
    "record_framework",
    "record_operation",
    "record_pledge",
]


def milestone_status_labels() -> dict[str, str]:
    """A milestone's statuses, in order, with their labels (marked for translation, translated where shown)."""
    return dict(MILESTONE_STATUS_LABELS)
