"""Mission performance: versioned results frameworks tied to A4P/A4P+, indicators (entered, formula, derived),
values with history, assessments with an approval trail. Public names are listed in ``__all__``."""

from peaceops.performance.assessments import (
    approve,
    assessment_view,
    compute_evidence,
    open_assessment,
    override_rating,
    reopen,
    return_to_draft,
    set_narrative,
    submit,
)
from peaceops.performance.derived import DERIVATIONS, PENDING, compute_derived, register_derivation
from peaceops.performance.exchange import apply_upload, template_rows, write_csv, write_xlsx
from peaceops.performance.formula import FormulaError, parse_expression, parse_formula
from peaceops.performance.frameworks import (
    create_framework,
    current_framework,
    framework_at,
    framework_tree,
    renew_framework,
    template_library,
)
from peaceops.performance.grid import grid
from peaceops.performance.periods import Period, parse_period
from peaceops.performance.provision import provision
from peaceops.performance.rating import objective_rating
from peaceops.performance.values import PeriodLocked, save_value, set_baseline, set_target, value_history

__all__ = [
    "DERIVATIONS",
    "PENDING",
    "FormulaError",
    "Period",
    "PeriodLocked",
    "apply_upload",
    "approve",
    "assessment_view",
    "compute_derived",
    "compute_evidence",
    "create_framework",
    "current_framework",
    "framework_at",
    "framework_tree",
    "grid",
    "objective_rating",
    "open_assessment",
    "override_rating",
    "parse_expression",
    "parse_formula",
    "parse_period",
    "provision",
    "register_derivation",
    "renew_framework",
    "reopen",
    "return_to_draft",
    "save_value",
    "set_baseline",
    "set_narrative",
    "set_target",
    "submit",
    "template_library",
    "template_rows",
    "value_history",
    "write_csv",
    "write_xlsx",
]
