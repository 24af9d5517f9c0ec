"""Two-step verification's rules: TOTP enrolment, codes checked once, recovery codes, reset.

A code is accepted within one 30-second step either side of now, and never twice: the last
step accepted is stored and a guarded UPDATE only moves it forward (two tabs, one wins). The
secret is stored encrypted (Fernet) with SECOND_FACTOR_KEY, by default a key derived from
SECRET_KEY, so a database dump alone does not give codes. Ten single-use recovery codes are
stored as SHA-256 hashes (random codes of 50 bits: no salt needed) and shown once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import segno
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update

from accelerator.auth.models import RecoveryCode, User
from accelerator.core import sealing
from accelerator.core.audit import record
from accelerator.core.errors import Conflict, Invalid, NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.core.models import AuditEvent
from accelerator.core.types import utcnow
from accelerator.extensions import db

RECOVERY_CODES = 10
STEP_SECONDS = 30
MAX_FAILURES = 5  # wrong codes in THROTTLE_MINUTES before codes are not even checked
THROTTLE_MINUTES = 15
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or typed from paper


# --- The secret, its encryption and what an authenticator app reads --------------------------


def new_secret() -> str:
    """A new TOTP secret (base32, 160 bits), shown to the user for their app."""
    return pyotp.random_base32(32)


def _key() -> str | None:
    return current_app.config.get("SECOND_FACTOR_KEY") or None


def seal(secret: str) -> str:
    """The secret encrypted for the database (or the session, while enrolling)."""
    return sealing.seal(secret, purpose="second-factor", key=_key())


def unseal(sealed: str) -> str | None:
    """The secret back, or None when the key changed since it was sealed."""
    return sealing.unseal(sealed, purpose="second-factor", key=_key())


def _open(sealed: str) -> str:
    secret = unseal(sealed)
    if secret is None:  # the key changed: the user must be reset and enrol again
        raise Conflict(
            _("Your two-step verification cannot be read. Ask an administrator to reset it.")
        )
    return secret


def otpauth_uri(user: User, secret: str) -> str:
    """The otpauth:// URI an authenticator app scans (issuer from SECOND_FACTOR_ISSUER)."""
    issuer = current_app.config.get("SECOND_FACTOR_ISSUER") or "Accelerator"
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_svg(uri: str) -> Markup:
    """The QR code of `uri` as inline SVG, drawn here (no network, no script)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", border=2)
    return Markup(svg)  # noqa: S704  (segno's own markup: no user text but the escaped URI)


def formatted(secret: str) -> str:
    """The secret in groups of four, as typed by hand into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- Codes ------------------------------------------------------------------------------------


def _now_step() -> int:
    return int(utcnow().timestamp()) // STEP_SECONDS


def _matching_step(secret: str, code: str) -> int | None:
    """The time-step (now, or one either side) whose code is `code`, else None."""
    totp = pyotp.TOTP(secret)
    now = _now_step()
    for step in (now, now - 1, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _clean(code: str | None) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _code_hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _issue_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(c)) for c in codes)
    db.session.flush()
    return codes


def recovery_codes_left(user: User) -> int:
    """How many of the user's recovery codes are still unused."""
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _take_step(user: User, step: int) -> bool:
    """Move the user's last accepted step forward to `step`; False if it was used already."""
    result = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["totp_last_step"])
    return result.rowcount == 1


def _use_recovery_code(user: User, code: str) -> bool:
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


@dataclass(frozen=True)
class Verdict:
    """What a typed code was: accepted (`how`: "app" or "recovery"), or refused with why."""

    how: str | None = None
    problem: str = ""

    def __bool__(self) -> bool:
        return self.how is not None


def _recent_failures(user: User) -> int:
    since = utcnow() - timedelta(minutes=THROTTLE_MINUTES)
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.object_type == User.__tablename__,
            AuditEvent.object_id == user.id,
            AuditEvent.action == "second_factor.failed",
            AuditEvent.created_at >= since,
        )
    )


def verify(user: User, code: str | None, *, allow_recovery: bool = True) -> Verdict:
    """Check a code of the user's app (or, with `allow_recovery`, one of their recovery codes)
    and use it up. A refusal is audited; the caller commits either way. After MAX_FAILURES
    wrong codes in THROTTLE_MINUTES no code is checked (a million codes are not tried)."""
    if not user.has_second_factor:
        raise Conflict(_("Two-step verification is not set up for this account."))
    if _recent_failures(user) >= MAX_FAILURES:
        return Verdict(
            problem=_(
                "Too many wrong codes. Wait %(minutes)d minutes, then try again.",
                minutes=THROTTLE_MINUTES,
            )
        )
    typed = _clean(code)
    verdict = Verdict(problem=_("This code is not right. Type the 6 digits your app shows now."))
    if typed.isdigit() and len(typed) == 6:
        step = _matching_step(_open(user.totp_secret or ""), typed)
        if step is not None:
            if _take_step(user, step):
                return Verdict(how="app")
            verdict = Verdict(problem=_("This code was used already. Wait for the next one."))
    elif allow_recovery and len(typed) == 10:
        if _use_recovery_code(user, typed):
            record(
                "second_factor.recovery_code_used",
                user,
                actor=user,
                data={"left": recovery_codes_left(user)},
            )
            return Verdict(how="recovery")
        verdict = Verdict(problem=_("This recovery code is not right, or was used already."))
    record("second_factor.failed", user, actor=user)
    return verdict


def _checked(user: User, code: str | None) -> None:
    verdict = verify(user, code, allow_recovery=False)
    if not verdict:
        raise Invalid(verdict.problem, field="code")


# --- Acts -------------------------------------------------------------------------------------


def enable(user: User, *, secret: str, code: str | None) -> list[str]:
    """Turn on two-step verification with `secret` once the user typed its current code;
    returns the ten recovery codes, to be shown once."""
    if user.has_second_factor:
        raise Conflict(_("Two-step verification is already on for your account."))
    step = _matching_step(secret, _clean(code)) if _clean(code).isdigit() else None
    if step is None:
        raise Invalid(
            _("This code is not right. Check your app was set up with this key."), field="code"
        )
    user.totp_secret = seal(secret)
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = _issue_recovery_codes(user)
    record("second_factor.enabled", user, actor=user)
    db.session.flush()
    return codes


def regenerate_recovery_codes(user: User, *, code: str | None) -> list[str]:
    """New recovery codes (the old ones stop working), once a code of the app is typed."""
    _checked(user, code)
    codes = _issue_recovery_codes(user)
    record("second_factor.recovery_codes_regenerated", user, actor=user)
    return codes


def _clear(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.flush()


def disable(user: User, *, code: str | None) -> None:
    """Turn off one's own two-step verification (not staff: it guards the money)."""
    if user.is_staff:
        raise NotAllowed(
            _("Staff keep two-step verification on. An administrator can reset it if needed.")
        )
    _checked(user, code)
    _clear(user)
    record("second_factor.disabled", user, actor=user)


def reset(user: User, *, actor: User) -> None:
    """An administrator removes another person's second factor (a lost phone); they enrol again
    before their next payment approval or role change."""
    if not actor.is_admin or actor.id == user.id:
        raise NotAllowed(_("Only an administrator can reset someone else's two-step verification."))
    if not user.has_second_factor:
        raise Conflict(_("%(name)s has no two-step verification to reset.", name=user.name))
    _clear(user)
    record("second_factor.reset", user, actor=actor)


def reset_from_console(user: User) -> None:
    """An operator's `flask users reset-second-factor` (the last administrator's lost phone)."""
    if not user.has_second_factor:
        raise Conflict(_("%(name)s has no two-step verification to reset.", name=user.name))
    _clear(user)
    record("second_factor.reset", user, actor=None, data={"via": "cli"})
