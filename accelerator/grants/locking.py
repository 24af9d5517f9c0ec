"""Row locks and the cap: the only code that moves a grant's committed_cents.

Every ledger change takes the grant's row lock first (SELECT ... FOR UPDATE on PostgreSQL; on
SQLite each transaction already holds the write lock, see extensions.py), and moves
committed_cents with an UPDATE that only matches while the result stays within 0..amount, a rule
the CHECK constraints on `grants` repeat.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from accelerator.core.errors import Conflict, InvalidState, ValidationFailed
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.grants.models import Disbursement, Grant

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def lock_grant(grant_id: int) -> Grant:
    """Take the grant's row lock and return it freshly read from the database."""
    grant = db.session.execute(
        select(Grant)
        .where(Grant.id == grant_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if grant is None:
        raise InvalidState(_("This grant no longer exists."))
    return grant


def reload_row(row: Disbursement) -> Disbursement:
    """Re-read a ledger row under the grant lock, so its status is the committed one."""
    return db.session.execute(
        select(Disbursement)
        .where(Disbursement.id == row.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def move_committed(grant: Grant, delta: int) -> None:
    """Add `delta` to committed_cents only if it stays within 0..amount (conditional UPDATE)."""
    result = db.session.execute(
        update(Grant)
        .where(
            Grant.id == grant.id,
            Grant.committed_cents + delta <= Grant.amount_cents,
            Grant.committed_cents + delta >= 0,
        )
        .values(committed_cents=Grant.committed_cents + delta, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("This amount is more than what remains of the grant."), field="amount")
    db.session.expire(grant, ["committed_cents", "updated_at"])


def check_key(key: str | None) -> str:
    key = (key or "").strip()
    if not KEY_PATTERN.match(key):
        raise ValidationFailed(_("This form has expired. Reload the page and try again."))
    return key


def existing_for_key(key: str, grant: Grant) -> Disbursement | None:
    """The row a replayed form already created, if any (only on the same grant)."""
    row = db.session.scalar(select(Disbursement).where(Disbursement.idempotency_key == key))
    if row is not None and row.grant_id != grant.id:
        raise Conflict(_("This form was already used for another grant. Reload the page."))
    return row


def insert_row(grant: Grant, row: Disbursement, delta: int) -> tuple[Disbursement, bool]:
    """Move the cap and add the row in one savepoint; a concurrent replay finds the other row."""
    try:
        with db.session.begin_nested():
            move_committed(grant, delta)
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        existing = existing_for_key(row.idempotency_key, grant)
        if existing is None:
            raise Conflict(
                _("This amount is more than what remains of the grant."), field="amount"
            ) from None
        return existing, False
    return row, True
