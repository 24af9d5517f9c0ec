"""Row locks and guarded writes: the one way a service takes a row's lock before it checks
and changes state, or changes a row only if it still is as the rule needs (`guarded`).

On PostgreSQL `SELECT ... FOR UPDATE` holds the row until the transaction ends, so two requests
that would both pass a check (the cap, the capacity, a free slot) run one after the other. On
SQLite every write transaction already holds the database's write lock (see extensions.py), and
FOR UPDATE is left out of the SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Executable, Select, select

from accelerator.core.errors import DomainError
from accelerator.extensions import db

T = TypeVar("T")


def lock(model: type[T], ident, *, missing: DomainError | None = None) -> T | None:
    """Lock the row of `model` with primary key `ident` and return it freshly read (what is
    committed, not what this session loaded earlier). A missing row raises `missing`, or
    returns None when no error is given."""
    return lock_one(select(model).where(model.id == ident), missing=missing)  # type: ignore[attr-defined]


def lock_one(statement: Select, *, missing: DomainError | None = None):
    """Lock the row `statement` selects and return it freshly read (see `lock`)."""
    found = db.session.execute(
        statement.with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if found is None and missing is not None:
        raise missing
    return found


def lock_loaded(obj: T, *attributes: str) -> T:
    """Lock the row of an object already loaded and read `attributes` again (what is
    committed). Unlike `lock`, what the object has loaded (its relationships) stays loaded."""
    db.session.refresh(obj, list(attributes), with_for_update=True)
    return obj


def lock_all(statement: Select) -> list:
    """Lock every row `statement` selects (in its order, so two lockers never deadlock)."""
    return list(
        db.session.scalars(statement.with_for_update().execution_options(populate_existing=True))
    )


def guarded(
    statement: Executable,
    refusal: DomainError | Callable[[], DomainError],
    *,
    expire: Any = None,
    attributes: list[str] | None = None,
) -> None:
    """Run a guarded UPDATE or DELETE (its WHERE holds the rule: "still pending", "still
    free", "under the cap") and refuse with `refusal` unless it changed exactly one row: two
    people acting at once, one wins and the other is told why. Then `expire` (an object the
    statement changed) is read again when next used (only `attributes`, if given)."""
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise refusal if isinstance(refusal, DomainError) else refusal()
    if expire is not None:
        db.session.expire(expire, attributes)
