"""The arithmetic of the second factor, without storage: RFC 6238 codes within a window of steps, the
otpauth:// link, and recovery codes and their hashes (``second_factor`` keeps and checks them)."""

from __future__ import annotations

import hashlib
import secrets

import pyotp
from pyotp.utils import strings_equal

ISSUER = "peaceops"
WINDOW_STEPS = 1  # codes of the step before and after the current one are accepted too
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_LENGTH = 16  # about 79 bits: too many to try, so a plain SHA-256 keeps them safe


def new_secret() -> str:
    """160 random bits in base32, as RFC 4226 recommends."""
    return pyotp.random_base32()


def _six_digits(code: str) -> str | None:
    """The code as six digits (spaces and dashes as people type them dropped), or None."""
    digits = "".join(ch for ch in code if not (ch.isspace() or ch == "-"))
    return digits if len(digits) == 6 and digits.isascii() and digits.isdigit() else None


def matching_step(secret: str, code: str, at: float) -> int | None:
    """The time step (RFC 6238 counter) within one step of ``at`` whose code is ``code``, or None."""
    digits = _six_digits(code)
    if digits is None:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(at)
    for step in range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1):
        if strings_equal(digits, totp.generate_otp(step)):
            return step
    return None


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code ("peaceops: NAME" in its list)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def is_recovery_code(code: str) -> bool:
    """A recovery code rather than a six-digit TOTP code (the sign-in form takes either)."""
    return _six_digits(code) is None


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_hash(code: str) -> str:
    """What is stored of a recovery code: the SHA-256 of it lower-cased without dashes or spaces, so it
    matches however it is typed."""
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def new_recovery_code() -> str:
    """Sixteen characters from an alphabet without look-alikes, in groups of four to copy by hand."""
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))
