"""The training package's public names, pinned; the derivation it registers with performance."""

from __future__ import annotations

from peaceops import training
from peaceops.performance.derived import derivation_status


def test_public_names():
    assert sorted(training.__all__) == ["capability_gaps", "course_list", "readiness", "record_list", "session_list"]
    assert all(hasattr(training, name) for name in training.__all__)


def test_the_cd_trained_derivation_is_registered():
    assert derivation_status("training_trained:conduct") is None
