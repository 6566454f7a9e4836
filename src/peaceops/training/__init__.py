"""training: courses, sessions, partners, training records, pre-deployment readiness and capability gaps
computed from evidence (decision 041)."""

from peaceops.training import derivation as _derivation  # registers training_trained:<capability>
from peaceops.training.gaps import capability_gaps
from peaceops.training.listing import course_list, record_list, session_list
from peaceops.training.readiness import readiness

__all__ = ["capability_gaps", "course_list", "readiness", "record_list", "session_list"]
del _derivation
