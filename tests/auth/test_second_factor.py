"""Two-step verification's rules (auth/second_factor.py): enrolment with a first code, codes
accepted within one step either side and never twice, single-use recovery codes stored hashed,
the secret encrypted at rest, an administrator's reset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from accelerator.auth import second_factor
from accelerator.auth.models import RecoveryCode
from accelerator.core.errors import Conflict, Invalid, NotAllowed
from accelerator.core.types import clock_at
from tests import factories
from tests.auth.helpers import audit_events

NOON = datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC)
SECRET = factories.TOTP_SECRET


def _code(at: datetime, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(at)


@pytest.fixture
def eloise(db):
    return factories.make_user(role="staff", name="Éloïse Société Éclair")


def test_enabling_needs_the_current_code_and_gives_ten_codes_stored_hashed(db, eloise):
    secret = second_factor.new_secret()
    with clock_at(NOON):
        with pytest.raises(Invalid) as refused:
            second_factor.enable(eloise, secret=secret, code="000000")
        assert refused.value.field == "code" and not eloise.has_second_factor
        codes = second_factor.enable(eloise, secret=secret, code=_code(NOON, secret))

    assert eloise.has_second_factor and len(codes) == len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert all(code.replace("-", "") not in h for code in codes for h in stored)
    (event,) = audit_events("second_factor.enabled")
    assert event.actor_id == eloise.id and event.object_id == eloise.id
    with clock_at(NOON), pytest.raises(Conflict):  # once on, setting up again is refused
        second_factor.enable(eloise, secret=secret, code=_code(NOON, secret))


def test_the_secret_is_encrypted_at_rest_and_needs_the_key(app, db, eloise):
    secret = second_factor.new_secret()
    with clock_at(NOON):
        second_factor.enable(eloise, secret=secret, code=_code(NOON, secret))
    raw = db.session.execute(
        text("SELECT totp_secret FROM users WHERE id = :id"), {"id": eloise.id}
    ).scalar_one()
    assert secret not in raw and secret.lower() not in raw.lower()

    app.config["SECOND_FACTOR_KEY"] = "another key altogether"
    try:
        with clock_at(NOON + timedelta(minutes=1)), pytest.raises(Conflict):
            second_factor.verify(eloise, _code(NOON + timedelta(minutes=1), secret))
    finally:
        app.config["SECOND_FACTOR_KEY"] = ""


def test_codes_of_the_step_before_and_after_are_accepted_not_two_away(db, eloise):
    factories.enrol_second_factor(eloise)
    with clock_at(NOON):
        assert not second_factor.verify(eloise, _code(NOON - timedelta(seconds=60)))
        assert not second_factor.verify(eloise, _code(NOON + timedelta(seconds=60)))
        assert second_factor.verify(eloise, _code(NOON - timedelta(seconds=30))).how == "app"
        assert second_factor.verify(eloise, _code(NOON + timedelta(seconds=30))).how == "app"
    assert len(audit_events("second_factor.failed")) == 2


def test_a_code_is_never_accepted_twice_nor_an_older_one_after_it(db, eloise):
    factories.enrol_second_factor(eloise)
    with clock_at(NOON):
        code = _code(NOON)
        assert second_factor.verify(eloise, code)
        again = second_factor.verify(eloise, code)
        assert not again and "used already" in again.problem
        older = second_factor.verify(eloise, _code(NOON - timedelta(seconds=30)))
        assert not older  # its step is before the one already used
    with clock_at(NOON + timedelta(seconds=30)):
        later = _code(NOON + timedelta(seconds=30))
        assert second_factor.verify(eloise, f" {later[:3]} {later[3:]} ")  # spaces are ignored


def test_a_recovery_code_works_once_and_is_audited(db, eloise):
    secret = second_factor.new_secret()
    with clock_at(NOON):
        codes = second_factor.enable(eloise, secret=secret, code=_code(NOON, secret))
    first = codes[0]
    with clock_at(NOON + timedelta(minutes=5)):
        assert second_factor.verify(eloise, first.upper()).how == "recovery"
        assert not second_factor.verify(eloise, first)
    assert second_factor.recovery_codes_left(eloise) == 9
    (used,) = audit_events("second_factor.recovery_code_used")
    assert used.data == {"left": 9}


def test_new_recovery_codes_need_a_code_and_end_the_old_ones(db, eloise):
    secret = second_factor.new_secret()
    with clock_at(NOON):
        old = second_factor.enable(eloise, secret=secret, code=_code(NOON, secret))
    later = NOON + timedelta(minutes=2)
    with clock_at(later):
        with pytest.raises(Invalid):
            second_factor.regenerate_recovery_codes(eloise, code=old[1])  # not a recovery code
        new = second_factor.regenerate_recovery_codes(eloise, code=_code(later, secret))
        assert not set(new) & set(old)
        assert not second_factor.verify(eloise, old[2])
        assert second_factor.verify(eloise, new[2]).how == "recovery"
    assert len(audit_events("second_factor.recovery_codes_regenerated")) == 1


def test_staff_cannot_turn_it_off_founders_can_with_a_code(db, eloise):
    factories.enrol_second_factor(eloise)
    with clock_at(NOON), pytest.raises(NotAllowed):
        second_factor.disable(eloise, code=_code(NOON))
    founder = factories.enrol_second_factor(factories.make_user(role="founder"))
    with clock_at(NOON):
        with pytest.raises(Invalid):
            second_factor.disable(founder, code="123456")
        second_factor.disable(founder, code=_code(NOON + timedelta(seconds=30)))
    assert not founder.has_second_factor and founder.totp_secret is None
    assert len(audit_events("second_factor.disabled")) == 1


def test_an_administrator_resets_someone_elses_second_factor(db, eloise, admin, staff):
    factories.enrol_second_factor(eloise)
    with pytest.raises(NotAllowed):
        second_factor.reset(eloise, actor=staff)
    factories.enrol_second_factor(admin)
    with pytest.raises(NotAllowed):
        second_factor.reset(admin, actor=admin)
    second_factor.reset(eloise, actor=admin)
    assert not eloise.has_second_factor
    assert (
        db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == eloise.id)).all()
        == []
    )
    (event,) = audit_events("second_factor.reset")
    assert event.actor_id == admin.id and event.object_id == eloise.id
    with pytest.raises(Conflict):
        second_factor.reset(eloise, actor=admin)


def test_the_database_refuses_a_second_factor_without_its_secret(db, eloise):
    eloise.totp_enabled_at = NOON
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_qr_code_is_drawn_here_as_svg(app, db, eloise):
    uri = second_factor.otpauth_uri(eloise, SECRET)
    assert uri.startswith("otpauth://totp/Accelerator:") and "issuer=Accelerator" in uri
    assert f"secret={SECRET}" in uri
    svg = str(second_factor.qr_svg(uri))
    assert svg.startswith("<svg") and "http" not in svg.split(">", 1)[1]


def test_after_five_wrong_codes_none_is_checked_for_a_while(db, eloise):
    factories.enrol_second_factor(eloise)
    with clock_at(NOON):
        for _ in range(second_factor.MAX_FAILURES):
            assert not second_factor.verify(eloise, "000000")
        blocked = second_factor.verify(eloise, _code(NOON))
        assert not blocked and "Too many wrong codes" in blocked.problem
    later = NOON + timedelta(minutes=second_factor.THROTTLE_MINUTES, seconds=1)
    with clock_at(later):
        assert second_factor.verify(eloise, _code(later))
