"""The calendar page (a private feed address, made and revoked) and the feed itself."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from accelerator.auth.models import Role
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, role_required
from accelerator.core.refusals import answered, refusal_page
from accelerator.extensions import db, limiter
from accelerator.sessions import bp, calendar
from accelerator.sessions.forms import ActionForm

MEMBERS = (Role.MENTOR, Role.FOUNDER, Role.STAFF)


@bp.route("/mentoring/calendar")
@role_required(*MEMBERS)
def calendar_page():
    return _render_calendar()


def _render_calendar(new_token: str | None = None):
    feed_url = (
        url_for("sessions.calendar_feed", token=new_token, _external=True) if new_token else None
    )
    return render_template(
        "sessions/calendar.html",
        token=calendar.live_token(current_user.id),
        feed_url=feed_url,
        action_form=ActionForm(formdata=None),
    )


def _checked() -> None:
    """A refusal shows the calendar page; a form that does not validate is a bad request."""
    refusal_page(url_for("sessions.calendar_page"))
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.route("/mentoring/calendar/address", methods=["POST"])
@role_required(*MEMBERS)
def issue_calendar_token():
    _checked()
    token = calendar.issue_token(actor=current_actor())
    db.session.commit()
    # The address is shown on this answer only (only its hash is kept): no redirect.
    answered()
    return _render_calendar(new_token=token)


@bp.route("/mentoring/calendar/address/revoke", methods=["POST"])
@role_required(*MEMBERS)
def revoke_calendar_token():
    _checked()
    calendar.revoke_token(actor=current_actor())
    db.session.commit()
    flash(_("Calendar address revoked: calendar apps using it stop updating."), "success")
    return redirect(url_for("sessions.calendar_page"))


@bp.route("/mentoring/calendar/<token>.ics")
@limiter.limit("60 per minute")
def calendar_feed(token: str):
    """No login: the token is the credential. Unknown 404, revoked 410."""
    state, user = calendar.user_for_token(token)
    if state == "unknown":
        abort(404)
    if state == "revoked":
        abort(410, description=_("This calendar address was revoked. Make a new one in the app."))
    return Response(
        calendar.feed(user),
        mimetype="text/calendar",
        headers={"Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex"},
    )
