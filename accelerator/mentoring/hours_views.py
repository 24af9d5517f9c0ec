"""Office-hour pages: the mentor publishes and withdraws slots, founders book and cancel,
staff see every slot. Refusals answer 409 (422 for a form's errors) with the message."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.auth.models import Role, User
from accelerator.core.errors import DomainError, NotAllowed
from accelerator.core.forms import show_error
from accelerator.core.pagination import paginate
from accelerator.core.permissions import get_or_404, role_required
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring import bp, office_hours
from accelerator.mentoring.queries import mentor_ids_of
from accelerator.mentoring.session_forms import ActionForm, SlotForm
from accelerator.mentoring.session_models import MentorSession, OfficeHourSlot
from accelerator.mentoring.session_policies import can_view_slot

MEMBERS = (Role.MENTOR, Role.FOUNDER, Role.STAFF)


def _actor():
    return current_user._get_current_object()


def _slot_statement():
    """Upcoming slots (and those of the last day) the current user may see, soonest first."""
    since = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    statement = (
        select(OfficeHourSlot)
        .where(OfficeHourSlot.starts_at >= since)
        .order_by(OfficeHourSlot.starts_at, OfficeHourSlot.id)
    )
    if current_user.is_staff:
        return statement
    if current_user.role == Role.MENTOR:
        return statement.where(OfficeHourSlot.mentor_id == current_user.id)
    mine = office_hours.founder_startup_ids(current_user.id)
    mentors = sorted({m for sid in mine for m in mentor_ids_of(sid)})
    return statement.where(
        OfficeHourSlot.startup_id.in_(mine)
        | (OfficeHourSlot.mentor_id.in_(mentors) & OfficeHourSlot.startup_id.is_(None))
    )


def with_names(slots: list[OfficeHourSlot]) -> list[tuple[OfficeHourSlot, str, str | None]]:
    """Each slot with its mentor's and its startup's names (two queries for the page)."""
    mentors = dict(
        db.session.execute(
            select(User.id, User.name).where(User.id.in_({s.mentor_id for s in slots}))
        ).all()
    )
    startup_ids = {s.startup_id for s in slots if s.startup_id}
    startups = (
        dict(
            db.session.execute(
                select(Startup.id, Startup.name).where(Startup.id.in_(startup_ids))
            ).all()
        )
        if startup_ids
        else {}
    )
    return [(s, mentors.get(s.mentor_id, ""), startups.get(s.startup_id)) for s in slots]


def render_office_hours(*, slot_form: SlotForm | None = None, status: int = 200):
    page = paginate(_slot_statement())
    rows = with_names(page.items)
    logged = set(
        db.session.scalars(
            select(MentorSession.slot_id).where(
                MentorSession.slot_id.in_([slot.id for slot, _m, _s in rows])
            )
        )
    )
    mine = (
        set(office_hours.founder_startup_ids(current_user.id))
        if current_user.role == Role.FOUNDER
        else set()
    )
    if current_user.role == Role.MENTOR and slot_form is None:
        slot_form = SlotForm(formdata=None)
    return (
        render_template(
            "mentoring/sessions/office_hours.html",
            page=page,
            rows=rows,
            logged=logged,
            my_startups=mine,
            slot_form=slot_form,
            action_form=ActionForm(formdata=None),
            timezone=office_hours.default_timezone(),
            now=utcnow(),
        ),
        status,
    )


@bp.route("/mentoring/office-hours")
@role_required(*MEMBERS)
def office_hours_page():
    return render_office_hours()


@bp.route("/mentoring/office-hours", methods=["POST"])
@role_required(Role.MENTOR)
def publish_slot():
    form = SlotForm()
    if not form.validate_on_submit():
        return render_office_hours(slot_form=form, status=422)
    try:
        office_hours.publish_slot(
            actor=_actor(),
            starts_local=datetime.combine(form.starts_on.data, form.start_time.data),
            duration_minutes=form.duration.data,
            location=form.location.data,
        )
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return render_office_hours(slot_form=form, status=422 if error.field else 409)
    db.session.commit()
    flash(_("Office hour published. Your startups can book it now."), "success")
    return redirect(url_for("mentoring.office_hours_page"))


def _refuse(error: DomainError):
    db.session.rollback()
    flash(error.message, "danger")
    return render_office_hours(status=403 if isinstance(error, NotAllowed) else 409)


@bp.route("/mentoring/office-hours/<int:slot_id>/book", methods=["POST"])
@role_required(Role.FOUNDER)
def book_slot(slot_id: int):
    slot = get_or_404(OfficeHourSlot, slot_id)
    if not ActionForm().validate_on_submit():
        return _refuse(DomainError(_("This form has expired. Reload the page and try again.")))
    try:
        office_hours.book_slot(slot, actor=_actor())
    except DomainError as error:
        return _refuse(error)
    db.session.commit()
    flash(_("Booked. Your mentor and your team get an email."), "success")
    return redirect(url_for("mentoring.office_hours_page"))


@bp.route("/mentoring/office-hours/<int:slot_id>/cancel", methods=["POST"])
@role_required(*MEMBERS)
def cancel_booking(slot_id: int):
    slot = get_or_404(OfficeHourSlot, slot_id, policy=can_view_slot)
    if not ActionForm().validate_on_submit():
        return _refuse(DomainError(_("This form has expired. Reload the page and try again.")))
    try:
        office_hours.cancel_booking(slot, actor=_actor())
    except DomainError as error:
        return _refuse(error)
    db.session.commit()
    flash(_("Booking cancelled; the time is free again. Both sides get an email."), "success")
    return redirect(url_for("mentoring.office_hours_page"))


@bp.route("/mentoring/office-hours/<int:slot_id>/withdraw", methods=["POST"])
@role_required(Role.MENTOR)
def withdraw_slot(slot_id: int):
    slot = get_or_404(OfficeHourSlot, slot_id, policy=can_view_slot)
    if not ActionForm().validate_on_submit():
        return _refuse(DomainError(_("This form has expired. Reload the page and try again.")))
    try:
        office_hours.withdraw_slot(slot, actor=_actor())
    except DomainError as error:
        return _refuse(error)
    db.session.commit()
    flash(_("Office hour removed."), "success")
    return redirect(url_for("mentoring.office_hours_page"))
