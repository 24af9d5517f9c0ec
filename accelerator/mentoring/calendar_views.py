"""The calendar page and feed, the staff engagement page, and the home panels of sessions."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.auth.models import Role, User
from accelerator.core.errors import DomainError
from accelerator.core.permissions import role_required
from accelerator.core.types import utcnow
from accelerator.extensions import db, limiter
from accelerator.mentoring import bp, calendar, engagement, sessions
from accelerator.mentoring.office_hours import default_timezone, founder_startup_ids
from accelerator.mentoring.queries import matched_startup_ids
from accelerator.mentoring.session_forms import ActionForm
from accelerator.mentoring.session_models import ActionItem, MentorSession, OfficeHourSlot
from accelerator.programs.filters import cohort_choices, selected_filter
from accelerator.programs.models import Cohort

MEMBERS = (Role.MENTOR, Role.FOUNDER, Role.STAFF)


@bp.route("/mentoring/calendar")
@role_required(*MEMBERS)
def calendar_page():
    return _render_calendar()


def _render_calendar(new_token: str | None = None, status: int = 200):
    token = calendar.live_token(current_user.id)
    feed_url = (
        url_for("mentoring.calendar_feed", token=new_token, _external=True) if new_token else None
    )
    return (
        render_template(
            "mentoring/sessions/calendar.html",
            token=token,
            feed_url=feed_url,
            action_form=ActionForm(formdata=None),
        ),
        status,
    )


@bp.route("/mentoring/calendar/address", methods=["POST"])
@role_required(*MEMBERS)
def issue_calendar_token():
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        token = calendar.issue_token(actor=current_user._get_current_object())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _render_calendar(status=409)
    db.session.commit()
    # The address is shown on this answer only (only its hash is kept): no redirect.
    return _render_calendar(new_token=token)


@bp.route("/mentoring/calendar/address/revoke", methods=["POST"])
@role_required(*MEMBERS)
def revoke_calendar_token():
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        calendar.revoke_token(actor=current_user._get_current_object())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _render_calendar(status=409)
    db.session.commit()
    flash(_("Calendar address revoked: calendar apps using it stop updating."), "success")
    return redirect(url_for("mentoring.calendar_page"))


@bp.route("/mentoring/calendar/<token>.ics")
@limiter.limit("60 per minute")
def calendar_feed(token: str):
    """No login: the token is the credential. Unknown 404, revoked 410."""
    state, user = calendar.user_for_token(token)
    if state == "unknown":
        abort(404)
    if state == "revoked":
        abort(410, description=_("This calendar address was revoked. Make a new one in the app."))
    body = calendar.feed(user)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex"},
    )


@bp.route("/mentoring/engagement")
@role_required(Role.STAFF)
def engagement_page():
    _program, cohort_id = selected_filter(request.args)
    cohort = db.session.get(Cohort, cohort_id) if cohort_id else None
    if cohort is None:
        today = utcnow().date()
        cohort = db.session.scalar(
            select(Cohort)
            .order_by((Cohort.starts_on > today), Cohort.starts_on.desc(), Cohort.id.desc())
            .limit(1)
        )
    report = engagement.engagement(cohort) if cohort is not None else None
    flags = engagement.open_red_flags(
        [p.startup_id for p in report.pairs] if report is not None else None, limit=20
    )
    return render_template(
        "mentoring/sessions/engagement.html",
        cohort=cohort,
        report=report,
        flags=flags,
        cohort_choices=cohort_choices,
        quiet_days=engagement.QUIET_AFTER.days,
        timezone=default_timezone(),
    )


# --- home panels (registry context functions) -----------------------------------------------


def mentor_home_panel(user):
    now = utcnow()
    slots = db.session.execute(
        select(OfficeHourSlot, Startup.name)
        .outerjoin(Startup, Startup.id == OfficeHourSlot.startup_id)
        .where(OfficeHourSlot.mentor_id == user.id, OfficeHourSlot.starts_at >= now)
        .order_by(OfficeHourSlot.starts_at)
        .limit(5)
    ).all()
    pending = db.session.scalar(
        select(db.func.count(MentorSession.id)).where(
            MentorSession.mentor_id == user.id, MentorSession.confirmed_at.is_(None)
        )
    )
    if not slots and not pending and not matched_startup_ids(user.id):
        return None  # an unmatched mentor keeps the empty home ("No startups assigned")
    return {"slots": slots, "pending": pending, "timezone": default_timezone()}


def founder_home_panel(user):
    startup_ids = founder_startup_ids(user.id)
    if not startup_ids:
        return None
    now = utcnow()
    next_slot = db.session.execute(
        select(OfficeHourSlot, User.name)
        .join(User, User.id == OfficeHourSlot.mentor_id)
        .where(OfficeHourSlot.startup_id.in_(startup_ids), OfficeHourSlot.starts_at >= now)
        .order_by(OfficeHourSlot.starts_at)
        .limit(1)
    ).first()
    last_session = db.session.execute(
        select(MentorSession, User.name)
        .join(User, User.id == MentorSession.mentor_id)
        .where(MentorSession.startup_id.in_(startup_ids))
        .order_by(MentorSession.starts_at.desc())
        .limit(1)
    ).first()
    items = list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.startup_id.in_(startup_ids), ActionItem.done_at.is_(None))
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
            .limit(6)
        )
    )
    if next_slot is None and last_session is None and not items:
        return None
    return {
        "next_slot": next_slot,
        "last_session": last_session,
        "open_items": items,
        "timezone": default_timezone(),
    }


def cohort_staff_panel(cohort):
    report = engagement.engagement(cohort)
    if not report.pairs:
        return None
    return {"report": report, "open_flags": sum(p.open_flags for p in report.pairs)}


def staff_home_panel(user):
    flags = engagement.open_red_flags(limit=5)
    if not flags:
        return None
    return {"flags": flags}


__all__ = ["sessions"]
