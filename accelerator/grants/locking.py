"""The cap and replays: the only code that moves a grant's committed_cents.

Every ledger change takes the grant's row lock first (core/locking.py: SELECT ... FOR UPDATE on
PostgreSQL; on SQLite each transaction already holds the write lock, see extensions.py), and
moves committed_cents with an UPDATE that only matches while the result stays within
0..amount, a rule the CHECK constraints on `grants` repeat. A form's idempotency key makes a
replayed request find the row it already made.
"""

from __future__ import annotations

import re

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from accelerator.core.errors import Conflict, InvalidState, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import guarded, lock
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.grants.models import Disbursement, Grant

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def lock_grant(grant_id: int) -> Grant:
    """Take the grant's row lock and return it freshly read from the database."""
    return lock(Grant, grant_id, missing=InvalidState(_("This grant no longer exists.")))


def over_the_grant() -> Conflict:
    """The refusal of an amount the grant cannot hold (beside the amount field)."""
    return Conflict(_("This amount is more than what remains of the grant."), field="amount")


def move_committed(grant: Grant, delta: int) -> None:
    """Add `delta` to committed_cents only if it stays within 0..amount (conditional UPDATE)."""
    guarded(
        update(Grant)
        .where(
            Grant.id == grant.id,
            Grant.committed_cents + delta <= Grant.amount_cents,
            Grant.committed_cents + delta >= 0,
        )
        .values(committed_cents=Grant.committed_cents + delta, updated_at=utcnow()),
        over_the_grant,
        expire=grant,
        attributes=["committed_cents", "updated_at"],
    )


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


def lock_for_key(grant_id: int, idempotency_key: str | None):
    """Check a form's key, lock the grant: (grant, key, the row a replay already made)."""
    key = check_key(idempotency_key)
    grant = lock_grant(grant_id)
    return grant, key, existing_for_key(key, grant)


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
            raise over_the_grant() from None
        return existing, False
    return row, True
