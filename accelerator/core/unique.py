"""Adding a row that a UNIQUE constraint guards against a concurrent twin.

Two requests at once (two founders, a double click, two workers) may both pass a service's
"is there one already?" check; the database's unique key decides which one is added. The row
is added in a savepoint, so the loser's transaction goes on and the service says what it means
(a refusal, or "already done").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from accelerator.extensions import db


def add_unique(obj: Any) -> bool:
    """Add the new object and flush it in a savepoint: True when it is added (it has its id),
    False when the database refuses it (its twin is there) and nothing was added."""
    try:
        with db.session.begin_nested():
            db.session.add(obj)
            db.session.flush()
    except IntegrityError:
        return False
    return True
