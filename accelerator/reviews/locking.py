"""What the decision locks, and the cohort's numbered seats.

An acceptance locks the cohort row (core/locking.py: SELECT ... FOR UPDATE on PostgreSQL; on
SQLite every transaction starts with BEGIN IMMEDIATE, which serialises writers) before
counting the places already offered or taken; the offer then holds one of the cohort's seats,
UNIQUE per cohort.
"""

from __future__ import annotations

from sqlalchemy import select

from accelerator.applications.models import Application
from accelerator.core.errors import Conflict
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock_loaded
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.reviews.models import Offer


def lock_application(application: Application) -> Application:
    """Re-read the application's status under a row lock so it cannot race.

    Only the status is refreshed: relationships the caller loaded stay loaded.
    """
    return lock_loaded(application, "status")


def lock_cohort(cohort_id: int) -> Cohort:
    """The cohort, its row locked until the transaction ends, its places read again."""
    return lock_loaded(db.session.get(Cohort, cohort_id), "capacity", "confirmation_days")


def free_seat(cohort: Cohort) -> int:
    held = set(
        db.session.scalars(
            select(Offer.seat).where(Offer.cohort_id == cohort.id, Offer.seat.is_not(None))
        )
    )
    if len(held) >= cohort.capacity:
        raise Conflict(
            _(
                "The cohort is full: all %(capacity)d places are offered or taken. Wait for a "
                "startup to decline, or waitlist this one.",
                capacity=cohort.capacity,
            )
        )
    return min(seat for seat in range(1, cohort.capacity + len(held) + 2) if seat not in held)
