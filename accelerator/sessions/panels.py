"""What sessions add to pages they do not own (hooks.py connects them): context functions."""

from __future__ import annotations

from sqlalchemy import func, select

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_startup_id, timezone_of
from accelerator.auth.models import User
from accelerator.core.cache import changes_at
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring.queries import matched_startup_ids
from accelerator.sessions import engagement
from accelerator.sessions.models import ActionItem, MentorSession, OfficeHourSlot


def mentor_home(user):
    """A mentor's coming office hours and the sessions waiting for their confirmation."""
    slots = db.session.execute(
        select(OfficeHourSlot, Startup.name)
        .outerjoin(Startup, Startup.id == OfficeHourSlot.startup_id)
        .where(OfficeHourSlot.mentor_id == user.id, OfficeHourSlot.starts_at >= utcnow())
        .order_by(OfficeHourSlot.starts_at)
        .limit(5)
    ).all()
    pending = db.session.scalar(
        select(func.count(MentorSession.id)).where(
            MentorSession.mentor_id == user.id, MentorSession.confirmed_at.is_(None)
        )
    )
    if not slots and not pending and not matched_startup_ids(user.id):
        return None  # an unmatched mentor keeps the empty home
    return {"slots": slots, "pending": pending}


def founder_home(user):
    """The startup's next office hour, last session and open action items."""
    startup_id = founder_startup_id(user)
    if startup_id is None:
        return None
    next_slot = db.session.execute(
        select(OfficeHourSlot, User.name)
        .join(User, User.id == OfficeHourSlot.mentor_id)
        .where(OfficeHourSlot.startup_id == startup_id, OfficeHourSlot.starts_at >= utcnow())
        .order_by(OfficeHourSlot.starts_at)
        .limit(1)
    ).first()
    last_session = db.session.execute(
        select(MentorSession, User.name)
        .join(User, User.id == MentorSession.mentor_id)
        .where(MentorSession.startup_id == startup_id)
        .order_by(MentorSession.starts_at.desc())
        .limit(1)
    ).first()
    items = list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.startup_id == startup_id, ActionItem.done_at.is_(None))
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
            .limit(6)
        )
    )
    if next_slot is not None:  # once it starts, the one after it is next
        changes_at(next_slot[0].starts_at)
    if next_slot is None and last_session is None and not items:
        return None
    return {
        "next_slot": next_slot,
        "last_session": last_session,
        "open_items": items,
        # A session's day is the day it was in its program's zone.
        "timezone": timezone_of(last_session[0]) if last_session else timezone_of(None),
    }


def cohort_staff(cohort):
    """The cohort's sessions, hours, quiet pairs and open red flags."""
    report = engagement.engagement(cohort)
    if not report.pairs:
        return None
    return {
        "report": report,
        "open_flags": sum(p.open_flags for p in report.pairs),
        "quiet_days": engagement.QUIET_AFTER.days,
    }


def staff_home(user):
    """The red flags staff have not resolved yet."""
    flags = engagement.open_red_flags(limit=5)
    if not flags:
        return None
    return {"flags": flags}


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = ("office_hour_slots", "mentor_sessions", "mentor_action_items", "users")
