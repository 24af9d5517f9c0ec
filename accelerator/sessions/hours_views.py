"""Office-hour pages: the mentor publishes and withdraws slots, founders book and cancel,
staff see every slot. Each time shows in its program's zone; a mentor types a time in the zone
of the program the office hour is for."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from accelerator.applications.queries import timezone_of
from accelerator.auth.models import Role
from accelerator.core.errors import Invalid
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.sessions import bp, office_hours, queries
from accelerator.sessions.forms import ActionForm, SlotForm
from accelerator.sessions.models import OfficeHourSlot
from accelerator.sessions.policies import can_view_slot

MEMBERS = (Role.MENTOR, Role.FOUNDER, Role.STAFF)


def _slot_form(**kwargs) -> SlotForm:
    programs = queries.mentor_programs(current_user.id)
    zone = timezone_of(programs[0] if programs else None)
    return SlotForm(programs=programs, timezone=zone, **kwargs)


def render_office_hours(*, slot_form: SlotForm | None = None):
    since = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)  # and the last day's
    page = paginate(queries.slots_statement(current_user, since))
    mine = current_user if current_user.role == Role.MENTOR else None
    rows = queries.slots_with_names(page.items, mentor=mine)
    if current_user.role == Role.MENTOR and slot_form is None:
        slot_form = _slot_form(formdata=None)
    return render_template(
        "sessions/office_hours.html",
        page=page,
        rows=rows,
        logged=queries.logged_slot_ids(slot.id for slot, _m, _s in rows),
        slot_form=slot_form,
        action_form=ActionForm(formdata=None),
        now=utcnow(),
    )


@bp.route("/mentoring/office-hours")
@role_required(*MEMBERS)
def office_hours_page():
    return render_office_hours()


@bp.route("/mentoring/office-hours", methods=["POST"])
@role_required(Role.MENTOR)
def publish_slot():
    form = _slot_form()
    if form.validate_on_submit():
        with refusals_beside(form):
            office_hours.publish_slot(
                actor=current_actor(),
                starts_local=datetime.combine(form.starts_on.data, form.start_time.data),
                duration_minutes=form.duration.data,
                location=form.location.data,
                program_id=form.program_id,
            )
            db.session.commit()
            flash(_("Office hour published. Your startups can book it now."), "success")
            return redirect(url_for("sessions.office_hours_page"))
    return render_office_hours(slot_form=form)


def _act_on_slot(slot: OfficeHourSlot, act, done: str):
    """Do `act` to the slot for the signed-in user and show the office hours, saying `done`;
    a refusal shows that page too, and a form whose token expired is refused like any other."""
    refusal_page(url_for("sessions.office_hours_page"))
    if not ActionForm().validate_on_submit():
        raise Invalid(_("This form has expired. Reload the page and try again."))
    act(slot, actor=current_actor())
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("sessions.office_hours_page"))


@bp.route("/mentoring/office-hours/<int:slot_id>/book", methods=["POST"])
@role_required(Role.FOUNDER)
def book_slot(slot_id: int):
    return _act_on_slot(
        get_or_404(OfficeHourSlot, slot_id),
        office_hours.book_slot,
        _("Booked. Your mentor and your team get an email."),
    )


@bp.route("/mentoring/office-hours/<int:slot_id>/cancel", methods=["POST"])
@role_required(*MEMBERS)
def cancel_booking(slot_id: int):
    return _act_on_slot(
        get_or_404(OfficeHourSlot, slot_id, policy=can_view_slot),
        office_hours.cancel_booking,
        _("Booking cancelled; the time is free again. Both sides get an email."),
    )


@bp.route("/mentoring/office-hours/<int:slot_id>/withdraw", methods=["POST"])
@role_required(Role.MENTOR)
def withdraw_slot(slot_id: int):
    return _act_on_slot(
        get_or_404(OfficeHourSlot, slot_id, policy=can_view_slot),
        office_hours.withdraw_slot,
        _("Office hour removed."),
    )
