"""Check-in rules: founders report once per period (the database holds it), edit until staff
comment; staff comment and turn an ask into a mentor request.

KPI_FIELDS is the one field list of a check-in's numbers: the form, the service that saves, the
KPI history table and the seed all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.applications.policies import is_founder_of
from accelerator.applications.queries import timezone_of
from accelerator.core import audit, hooks
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock
from accelerator.core.timeutil import local_today
from accelerator.core.types import utcnow
from accelerator.core.unique import add_unique
from accelerator.extensions import db
from accelerator.milestones import notify
from accelerator.milestones.models import (
    MAX_HEADCOUNT,
    MAX_PILOTS,
    MAX_RAISED_CENTS,
    MAX_REVENUE_CENTS,
    MAX_TEXT,
    MAX_USERS,
    AskState,
    CheckIn,
    Health,
)
from accelerator.milestones.periods import cadence_of, open_periods
from accelerator.programs.models import Cohort, Enrollment


@dataclass(frozen=True)
class Kpi:
    name: str
    label: object
    money: bool
    maximum: int


KPI_FIELDS = (
    Kpi("revenue_cents", _l("Monthly revenue"), True, MAX_REVENUE_CENTS),
    Kpi("active_users", _l("Active users or customers"), False, MAX_USERS),
    Kpi("headcount", _l("Headcount"), False, MAX_HEADCOUNT),
    Kpi("raised_cents", _l("Money raised this period"), True, MAX_RAISED_CENTS),
    Kpi("pilots", _l("Pilots or contracts with business units"), False, MAX_PILOTS),
)
TEXT_FIELDS = ("highlights", "blockers", "asks")


@dataclass
class CheckinInput:
    health: str | None
    revenue_cents: int | None
    active_users: int | None
    headcount: int | None
    raised_cents: int | None
    pilots: int | None
    highlights: str = ""
    blockers: str = ""
    asks: str = ""


def offered_figures(startup_id: int, cohort_id: int) -> dict[str, int]:
    """A new check-in's first values: the figures other domains know for the startup
    (`hooks.checkin_figures`), by the form's field names (money in cents); the founder may
    change them. A figure no KPI of KPI_FIELDS is called is left out."""
    fields = {kpi.name: kpi.name.removesuffix("_cents") for kpi in KPI_FIELDS}
    offered: dict[str, int] = {}
    for _name, finder in hooks.checkin_figures.entries():
        for kpi, value in (finder(startup_id, cohort_id) or {}).items():
            if kpi in fields and value is not None:
                offered[fields[kpi]] = value
    return offered


def _context(enrollment_id: int) -> tuple[Enrollment, Cohort]:
    return tuple(
        db.session.execute(
            select(Enrollment, Cohort)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .where(Enrollment.id == enrollment_id)
        ).one()
    )


def _values(data: CheckinInput) -> dict:
    """Check the input field by field; the first broken rule is raised beside its field."""
    try:
        health = Health(data.health)
    except ValueError:
        raise ValidationFailed(_("Choose green, amber or red."), field="health") from None
    values: dict = {"health": health}
    for kpi in KPI_FIELDS:
        field = kpi.name.removesuffix("_cents")
        value = getattr(data, kpi.name)
        if value is None:
            raise ValidationFailed(_("Enter a number (0 if none)."), field=field)
        if value < 0:
            raise ValidationFailed(_("This cannot be negative."), field=field)
        if value > kpi.maximum:
            raise ValidationFailed(_("This number is too large; check it."), field=field)
        values[kpi.name] = value
    for name in TEXT_FIELDS:
        text = (getattr(data, name) or "").strip()
        if len(text) > MAX_TEXT:
            raise ValidationFailed(_("Please keep this under 4,000 characters."), field=name)
        values[name] = text
    return values


def check_period(cohort: Cohort, period_on: date | None, now=None) -> date:
    """The period must be one of the cohort's periods that has started, while the cohort runs."""
    today = local_today(timezone_of(cohort), now)
    if today > cohort.ends_on:
        raise InvalidState(_("This cohort has finished: check-ins are closed."))
    allowed = open_periods(cohort.starts_on, cohort.ends_on, cadence_of(cohort.id), today)
    if not allowed:
        raise InvalidState(
            _("The cohort has not started yet: the first check-in opens on its first day.")
        )
    if period_on is None or period_on not in {p.starts_on for p in allowed}:
        if period_on is not None and period_on > today:
            raise ValidationFailed(
                _("This period has not started yet: you can only report on the past."),
                field="period",
            )
        raise ValidationFailed(_("Choose one of the cohort's periods."), field="period")
    return period_on


def submit_checkin(
    enrollment: Enrollment,
    *,
    actor,
    period_on: date | None,
    data: CheckinInput,
    now: datetime | None = None,
) -> CheckIn:
    """Record a founder's check-in for a period; a second one for the period is refused."""
    if not is_founder_of(actor, enrollment.startup_id):
        raise NotAllowed(_("Only the startup's founders can fill its check-ins."))
    enrollment, cohort = _context(enrollment.id)
    period_on = check_period(cohort, period_on, now)
    values = _values(data)
    duplicate = Conflict(
        _("There is already a check-in for this period. Open it to see or edit it."),
        field="period",
    )
    if db.session.scalar(
        select(CheckIn.id).where(
            CheckIn.enrollment_id == enrollment.id, CheckIn.period_on == period_on
        )
    ):
        raise duplicate
    checkin = CheckIn(
        enrollment_id=enrollment.id,
        period_on=period_on,
        currency=cohort.currency,
        submitted_by_id=actor.id,
        created_at=utcnow(),
        updated_at=utcnow(),
        **values,
    )
    if not add_unique(checkin):  # two founders at once: the UNIQUE constraint decides
        raise duplicate
    _audit(
        "checkin.submitted",
        checkin,
        actor,
        period=period_on.isoformat(),
        health=values["health"].value,
    )
    return checkin


def edit_checkin(checkin: CheckIn, *, actor, data: CheckinInput) -> CheckIn:
    """Change a check-in, until staff have commented on it."""
    if not is_founder_of(actor, _startup_of(checkin)):
        raise NotAllowed(_("Only the startup's founders can edit its check-ins."))
    checkin = lock(CheckIn, checkin.id)
    if checkin.is_locked:
        raise InvalidState(_("Staff have commented on this check-in, so it can no longer change."))
    values = _values(data)
    changed = sorted(k for k, v in values.items() if getattr(checkin, k) != v)
    for key, value in values.items():
        setattr(checkin, key, value)
    checkin.updated_at = utcnow()
    db.session.flush()
    if changed:
        _audit("checkin.edited", checkin, actor, changed=changed, period=_period(checkin))
    return checkin


def _staff_lock(checkin: CheckIn, actor, refusal: str) -> CheckIn:
    """Staff only (else `refusal`): the check-in under its row lock, freshly read."""
    if actor is None or not getattr(actor, "is_staff", False):
        raise NotAllowed(refusal)
    return lock(CheckIn, checkin.id)


def comment_checkin(checkin: CheckIn, *, actor, comment: str) -> CheckIn:
    """Staff comment (once; a later comment replaces it); the check-in is then final."""
    checkin = _staff_lock(checkin, actor, _("Only program staff can comment on check-ins."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed(_("Write a comment."), field="comment")
    if len(comment) > MAX_TEXT:
        raise ValidationFailed(_("Please keep this under 4,000 characters."), field="comment")
    first = checkin.commented_at is None
    checkin.staff_comment = comment
    checkin.commented_by_id = actor.id
    checkin.commented_at = utcnow()
    db.session.flush()
    _audit("checkin.commented", checkin, actor, first=first, period=_period(checkin))
    startup = db.session.get(Startup, _startup_of(checkin))
    notify.send(
        "commented",
        notify.founder_emails(startup.id),
        startup_name=startup.name,
        title=checkin.period_on.isoformat(),
        endpoint="milestones.checkin",
        values={"checkin_id": checkin.id},
        actor=actor,
        comment=comment,
    )
    return checkin


def request_mentor(checkin: CheckIn, *, actor) -> CheckIn:
    """Turn the check-in's ask into a mentor request: flagged for staff on the cohort page."""
    checkin = _staff_lock(
        checkin, actor, _("Only program staff can turn an ask into a mentor request.")
    )
    if not checkin.asks:
        raise InvalidState(_("This check-in has no ask to turn into a mentor request."))
    if checkin.ask_state == AskState.MENTOR_REQUESTED:
        raise InvalidState(_("This ask is already a mentor request."))
    checkin.ask_state = AskState.MENTOR_REQUESTED
    checkin.ask_requested_by_id = actor.id
    checkin.ask_requested_at = utcnow()
    db.session.flush()
    _audit(
        "checkin.mentor_requested", checkin, actor, ask=checkin.asks[:500], period=_period(checkin)
    )
    return checkin


def _startup_of(checkin: CheckIn) -> int:
    """The startup whose check-in it is (and whose history its events belong to)."""
    return db.session.get(Enrollment, checkin.enrollment_id).startup_id


def _period(checkin: CheckIn) -> str:
    """The check-in's period as its events keep it: their sentences name it."""
    return checkin.period_on.isoformat()


def _audit(action: str, checkin: CheckIn, actor, **data) -> None:
    audit.record(action, checkin, actor=actor, startup=_startup_of(checkin), data=data)
