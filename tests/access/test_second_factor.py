"""The TOTP second factor's logic with a fixed clock (RFC 6238, pyotp): the ±1 step window, no replay,
recovery codes used once, enrolment confirmed before it counts, the policy of who must have one, and the
administrator's reset (decision 024)."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from peaceops.access import compartments, second_factor
from peaceops.access.models import RecoveryCode, SecondFactor, User
from peaceops.access.policy import Actor, must_use_second_factor
from peaceops.access.users import add_user, list_users
from peaceops.errors import ConfigurationError, NotFound, PermissionDenied, ValidationFailed
from peaceops.settings import Settings
from peaceops.store.audit import AuditEntry

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
T0 = 1_900_000_005.0  # five seconds into a 30-second step
PASSWORD = "second factor password"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The time codes are checked at: ``clock[0]``, moved by the test."""
    now = [T0]
    monkeypatch.setattr(second_factor, "clock", lambda: now[0])
    return now


def code_at(secret: str, at: float, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(at, counter_offset=steps)


# RFC 6238 appendix B, SHA-1, secret "12345678901234567890": the last six of its eight-digit codes.
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@pytest.mark.parametrize(("at", "code"), [(59, "287082"), (1111111109, "081804"), (1234567890, "005924")])
def test_codes_follow_the_rfc_6238_test_vectors(at, code):
    assert second_factor.matching_step(RFC_SECRET, code, at) == at // 30


@pytest.mark.parametrize(("offset", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)])
def test_a_code_is_accepted_one_step_either_side_of_the_clock(offset, accepted):
    step = second_factor.matching_step(SECRET, code_at(SECRET, T0, offset), T0)
    assert (step == pyotp.TOTP(SECRET).timecode(T0) + offset) if accepted else step is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x", "１２３４５６"])
def test_malformed_codes_never_match(code):
    assert second_factor.matching_step(SECRET, code, T0) is None


@pytest.mark.parametrize("separator", [" ", "-", "  "])
def test_a_code_typed_with_a_space_or_dash_matches(separator):
    code = code_at(SECRET, T0)
    assert second_factor.matching_step(SECRET, f" {code[:3]}{separator}{code[3:]} ", T0) is not None


def test_recovery_codes_are_told_apart_from_totp_codes():
    assert not any(second_factor.is_recovery_code(c) for c in ("123456", "123 456", "123-456"))
    assert second_factor.is_recovery_code("abcd-efgh-jkmn-pqrs")


@pytest.fixture
def amina(db):
    with db.write() as s:
        add_user(s, "amina", PASSWORD, "analyst")
    return db


def user(s, name="amina") -> User:
    return s.scalar(select(User).where(User.username == name))


def enrol(db, clock) -> tuple[str, list[str]]:
    """Begin and confirm; the secret and the recovery codes."""
    with db.write() as s:
        secret = second_factor.begin(s, user(s)).secret
    with db.write() as s:
        codes = second_factor.confirm(s, user(s), code_at(secret, clock[0]), actor="amina")
    return secret, codes


def test_enrolment_is_off_until_one_valid_code_confirms_it(amina, clock):
    with amina.write() as s:
        enrolment = second_factor.begin(s, user(s))
    assert enrolment.uri.startswith("otpauth://totp/peaceops:amina?") and f"secret={enrolment.secret}" in enrolment.uri
    with amina.write() as s:
        assert not second_factor.enabled(s, user(s).id) and second_factor.status(s, user(s).id).pending
        with pytest.raises(ValidationFailed, match="does not match"):
            second_factor.confirm(s, user(s), code_at(enrolment.secret, clock[0], 3), actor="amina")
        assert not second_factor.enabled(s, user(s).id)
        codes = second_factor.confirm(s, user(s), code_at(enrolment.secret, clock[0]), actor="amina")
    with amina.session() as s:
        status = second_factor.status(s, user(s).id)
        stored = s.scalars(select(RecoveryCode.code_hash)).all()
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert status.enabled and not status.pending and status.recovery_codes_left == len(codes) == 10
    assert len(set(codes)) == 10 and all(len(code) == 19 for code in codes)
    assert not set(codes) & set(stored), "only hashes are stored"
    assert actions[-1] == "totp_enabled"


def test_starting_again_replaces_the_secret_and_an_enabled_factor_cannot_be_restarted(amina, clock):
    with amina.write() as s:
        first = second_factor.begin(s, user(s)).secret
        second = second_factor.begin(s, user(s)).secret
        assert first != second and second_factor.pending(s, user(s)).secret == second
    with amina.write() as s:
        second_factor.confirm(s, user(s), code_at(second, clock[0]), actor="amina")
    with amina.write() as s, pytest.raises(ValidationFailed, match="already on"):
        second_factor.begin(s, user(s))


def test_a_code_cannot_be_used_twice_nor_an_older_one_after_it(amina, clock):
    secret, _ = enrol(amina, clock)  # the enrolment used the current step's code
    with amina.write() as s:
        uid = user(s).id
        assert second_factor.check(s, uid, code_at(secret, clock[0])) == second_factor.Check("totp", False, "reused")
        assert second_factor.check(s, uid, code_at(secret, clock[0], 1)).accepted
        assert second_factor.check(s, uid, code_at(secret, clock[0], 1)).reason == "reused"
        assert second_factor.check(s, uid, code_at(secret, clock[0], -1)).reason == "reused"
    clock[0] += 60  # two steps later: the next code is new
    with amina.write() as s:
        assert second_factor.check(s, user(s).id, code_at(secret, clock[0])).accepted


def test_a_wrong_code_is_wrong(amina, clock):
    secret, _ = enrol(amina, clock)
    wrong = next(
        c for c in ("000000", "111111", "222222") if c not in {code_at(secret, clock[0], k) for k in (-1, 0, 1)}
    )
    with amina.write() as s:
        assert second_factor.check(s, user(s).id, wrong) == second_factor.Check("totp", False, "wrong")


def test_each_recovery_code_works_once_in_any_case_and_spacing(amina, clock):
    _, codes = enrol(amina, clock)
    with amina.write() as s:
        uid = user(s).id
        assert second_factor.check(s, uid, codes[0].upper().replace("-", " ")).accepted
        assert second_factor.check(s, uid, codes[0]) == second_factor.Check("recovery", False, "wrong or used")
        assert second_factor.check(s, uid, "aaaa-bbbb-cccc-dddd").accepted is False
        assert second_factor.status(s, uid).recovery_codes_left == 9


def test_new_recovery_codes_replace_the_old_ones_after_a_valid_code(amina, clock):
    secret, old = enrol(amina, clock)
    with amina.write() as s:
        with pytest.raises(ValidationFailed):
            second_factor.new_recovery_codes(s, user(s), "000000x", actor="amina", client=None)
    with amina.write() as s:
        new = second_factor.new_recovery_codes(s, user(s), code_at(secret, clock[0], 1), actor="amina", client=None)
    with amina.write() as s:
        assert not second_factor.check(s, user(s).id, old[1]).accepted
        assert second_factor.check(s, user(s).id, new[1]).accepted
        failed = s.scalars(select(AuditEntry.action).where(AuditEntry.action == "totp_failed")).all()
    assert failed == ["totp_failed"], "the wrong code was audited (and counts toward the back-off)"


def test_turning_it_off_needs_a_code_and_is_refused_where_it_is_required(amina, clock):
    secret, _ = enrol(amina, clock)
    with amina.write() as s:
        compartments.grant(s, "amina", "process:7", actor="admin")
    with amina.write() as s, pytest.raises(PermissionDenied, match="cannot be turned off"):
        second_factor.turn_off(
            s, user(s), code_at(secret, clock[0], 1), actor="amina", required_for={"holders"}, client=None
        )
    with amina.write() as s:
        second_factor.turn_off(s, user(s), code_at(secret, clock[0], 1), actor="amina", required_for=set(), client=None)
    with amina.session() as s:
        assert not second_factor.enabled(s, user(s).id)
        assert s.scalar(select(RecoveryCode.id)) is None and s.scalar(select(SecondFactor.user_id)) is None


def test_an_administrator_reset_removes_the_factor_and_is_audited(amina, clock):
    enrol(amina, clock)
    with amina.write() as s:
        assert second_factor.reset_by_name(s, "amina", actor="admin") is True
    with amina.write() as s:
        assert second_factor.reset_by_name(s, "amina", actor="admin") is False
        with pytest.raises(NotFound):
            second_factor.reset_by_name(s, "nobody", actor="admin")
    with amina.session() as s:
        assert not second_factor.enabled(s, user(s).id)
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "totp_reset").order_by(AuditEntry.id)).all()
        assert [(e.actor, e.after["removed"]) for e in entries] == [("admin", True), ("admin", False)]
        assert not next(u for u in list_users(s) if u["username"] == "amina")["second_factor"]


@pytest.mark.parametrize(
    ("role", "grants", "required_for", "must"),
    [
        ("admin", frozenset(), {"admin"}, True),
        ("admin", frozenset(), {"holders"}, False),
        ("analyst", frozenset({"process:7"}), {"holders"}, True),
        ("analyst", frozenset({"process:7"}), {"admin"}, False),
        ("viewer", frozenset(), {"admin", "holders"}, False),
        ("admin", frozenset({"process:7"}), set(), False),
    ],
)
def test_who_must_have_a_second_factor(role, grants, required_for, must):
    assert must_use_second_factor(Actor(username="x", role=role, compartments=grants), required_for) is must


def test_the_setting_takes_admin_and_holders_only():
    assert Settings(require_totp_for=" Holders,admin ").totp_required_for == {"admin", "holders"}
    assert Settings().totp_required_for == frozenset()
    with pytest.raises(ConfigurationError, match="PEACEOPS_REQUIRE_TOTP_FOR names admins"):
        Settings(require_totp_for="admins")
