"""One code typed in two tabs at once, with real commits from two threads: the guarded UPDATE
of the last step used lets exactly one through; a recovery code likewise."""

from __future__ import annotations

from accelerator.auth import second_factor
from accelerator.auth.models import User
from accelerator.core.errors import Conflict
from accelerator.extensions import db
from tests import factories
from tests.concurrency import race


def _enrolled(app) -> tuple[int, list[str]]:
    with app.app_context():
        user = factories.make_user(role="staff", name="Éloïse Société Éclair")
        secret = factories.TOTP_SECRET
        factories.enrol_second_factor(user, secret)
        codes = second_factor.regenerate_recovery_codes(user, code=factories.totp_code(secret))
        user.totp_last_step = None  # the code that made them is forgotten: the race starts clean
        db.session.commit()
        ids = user.id, codes
        db.session.remove()
        return ids


def _typing(user_id: int, code: str):
    def work(_index: int) -> None:
        verdict = second_factor.verify(db.session.get(User, user_id), code)
        if not verdict:
            raise Conflict(verdict.problem)

    return work


def test_the_same_code_typed_twice_at_once_is_accepted_once(committed):
    user_id, recovery = _enrolled(committed)
    with committed.app_context():
        code = factories.totp_code()
    assert race(committed, _typing(user_id, code), n=2) == ["Conflict", "done"]
    assert race(committed, _typing(user_id, recovery[0]), n=2) == ["Conflict", "done"]
