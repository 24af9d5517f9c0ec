"""Session pages: the list (each role sees its own), logging a session with carried-forward
action items, the session page (notes by visibility), confirm, rate, tick items off."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from accelerator.applications.models import Startup
from accelerator.applications.queries import timezone_of
from accelerator.auth.models import Role, User
from accelerator.core.cache import kept_body
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.timeutil import local_to_utc
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.mentoring.queries import expertise_tags
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import cohort_choices, selected_filter
from accelerator.sessions import bp, calendar, queries, services
from accelerator.sessions.forms import (
    ActionForm,
    RatingForm,
    ResolveFlagForm,
    SessionForm,
    chosen_pair,
)
from accelerator.sessions.models import ActionItem, MentorSession, OfficeHourSlot
from accelerator.sessions.policies import can_change_item, can_view_session

MEMBERS = (Role.MENTOR, Role.FOUNDER, Role.STAFF)


#: What the staff's sessions list reads: a committed write to any of them renews it.
LIST_READS = (MentorSession, Startup, User, Cohort, Program)


@bp.route("/mentoring/sessions")
@role_required(*MEMBERS)
def sessions_list():
    def body() -> str:
        _program, cohort_id = selected_filter(request.args)
        flagged = request.args.get("flag") == "open"
        page = paginate(
            queries.sessions_statement(current_user, cohort_id=cohort_id, flagged=flagged)
        )
        return render_template(
            "sessions/_list_body.html",
            page=page,
            rows=queries.with_names(page.items),
            flagged=flagged,
            timezone_of=timezone_of,
            cohort_choices=cohort_choices,
        )

    # Staff see every session, alike for every staff member asking with the same filters: kept
    # as rendered until a session, startup, user, cohort or program changes. A mentor's or a
    # founder's list is their own: rendered on each view.
    if current_user.is_staff:
        content = kept_body("sessions-list", reads=LIST_READS, render=body)
    else:
        content = Markup(body())  # noqa: S704 - rendered by an autoescaped template of ours
    return render_template("sessions/list.html", body=content)


# --- logging a session ---------------------------------------------------------------------


def _session_form(pairs, startup_id, mentor_id, **kwargs) -> SessionForm:
    items = queries.open_items(mentor_id, startup_id) if startup_id and mentor_id else []
    return SessionForm(
        pairs=pairs,
        is_mentor=current_user.role == Role.MENTOR,
        startup_id=startup_id,
        mentor_id=mentor_id,
        tags=expertise_tags(),
        open_items=items,
        **kwargs,
    )


def _pair_of(source) -> tuple[list, int | None, int | None]:
    """The user's pairs, and the one `source` names (a mentor's own id is theirs)."""
    pairs = queries.pairs_of(current_user)
    own = current_user.id if current_user.role == Role.MENTOR else None
    return pairs, *chosen_pair(pairs, source, mentor_id=own)


def _render_new(form: SessionForm, pairs, startup_id, mentor_id):
    # A time is typed in its pair's program zone: name it beside the field.
    if len({pair.timezone for pair in pairs}) > 1:
        time_hint = _("In the timezone of the startup's program, shown beside its name.")
    else:
        time_hint = _("In %(tz)s.", tz=queries.pair_timezone(mentor_id, startup_id))
    return render_template(
        "sessions/new.html",
        form=form,
        pairs=pairs,
        startup_id=startup_id,
        mentor_id=mentor_id,
        is_mentor=current_user.role == Role.MENTOR,
        time_hint=time_hint,
    )


@bp.route("/mentoring/sessions/new")
@role_required(Role.MENTOR, Role.FOUNDER)
def new_session():
    pairs, startup_id, mentor_id = _pair_of(request.args)
    slot = None
    slot_id = bounded_int(request.args.get("slot"))
    if slot_id is not None:
        slot = db.session.get(OfficeHourSlot, slot_id)
        if slot is None or slot.mentor_id != current_user.id or not slot.is_booked:
            abort(404)
        startup_id, mentor_id = slot.startup_id, slot.mentor_id
    form = _session_form(pairs, startup_id, mentor_id, formdata=None)
    form.show_pair(startup_id, mentor_id, slot)
    return _render_new(form, pairs, startup_id, mentor_id)


@bp.route("/mentoring/sessions/new", methods=["POST"])
@role_required(Role.MENTOR, Role.FOUNDER)
def log_session():
    pairs, startup_id, mentor_id = _pair_of(request.form)
    form = _session_form(pairs, startup_id, mentor_id)
    if form.validate_on_submit():
        is_mentor = current_user.role == Role.MENTOR
        typed = datetime.combine(form.held_on.data, form.start_time.data)
        with refusals_beside(form):
            session = services.log_session(
                actor=current_actor(),
                starts_at=local_to_utc(typed, queries.pair_timezone(mentor_id, startup_id)),
                **form.session_input(is_mentor=is_mentor),
            )
            db.session.commit()
            if is_mentor:
                flash(
                    _("Session logged. The startup sees the summary, not your private notes."),
                    "success",
                )
            else:
                flash(_("Session logged. Your mentor is asked to confirm it."), "success")
            return redirect(url_for("sessions.session_detail", session_id=session.id))
    return _render_new(form, pairs, startup_id, mentor_id)


# --- one session ---------------------------------------------------------------------------


def load_session(session_id: int) -> MentorSession:
    """The session, or 404 when the user may not see it."""
    return get_or_404(
        MentorSession,
        session_id,
        policy=can_view_session,
        options=[selectinload(MentorSession.topics)],
    )


def render_session(session: MentorSession, **forms):
    """The session page; a refused form comes back by name with what was typed."""
    created, ticked = queries.session_items(session)
    ratings = queries.ratings_seen_by(current_user, session)
    return render_template(
        "sessions/detail.html",
        session=session,
        startup=db.session.get(Startup, session.startup_id),
        mentor=db.session.get(User, session.mentor_id),
        created=created,
        ticked=ticked,
        ratings=ratings,
        rated=any(r.rater_id == current_user.id for r in ratings),
        rating_form=forms.get("rating_form") or RatingForm(formdata=None),
        resolve_form=forms.get("resolve_form") or ResolveFlagForm(formdata=None),
        action_form=ActionForm(formdata=None),
        timezone=timezone_of(session),
    )


def _detail_url(session_id: int) -> str:
    return url_for("sessions.session_detail", session_id=session_id)


@bp.route("/mentoring/sessions/<int:session_id>")
@role_required(*MEMBERS)
def session_detail(session_id: int):
    return render_session(load_session(session_id))


@bp.route("/mentoring/sessions/<int:session_id>.ics")
@role_required(*MEMBERS)
def session_ics(session_id: int):
    session = load_session(session_id)
    return Response(
        calendar.session_ics(session, viewer=current_user),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="session-{session.id}.ics"'},
    )


@bp.route("/mentoring/sessions/<int:session_id>/confirm", methods=["POST"])
@role_required(Role.MENTOR)
def confirm_session(session_id: int):
    session = load_session(session_id)
    refusal_page(_detail_url(session.id))
    if not ActionForm().validate_on_submit():
        abort(400)
    services.confirm_session(session, actor=current_actor())
    db.session.commit()
    flash(_("Session confirmed."), "success")
    return redirect(_detail_url(session.id))


@bp.route("/mentoring/sessions/<int:session_id>/rate", methods=["POST"])
@role_required(Role.FOUNDER)
def rate_session(session_id: int):
    session = load_session(session_id)
    form = RatingForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            services.rate_session(
                session, actor=current_actor(), score=form.score.data, comment=form.comment.data
            )
            db.session.commit()
            flash(_("Thank you. Only the program team sees ratings."), "success")
            return redirect(_detail_url(session.id))
    return render_session(load_session(session.id), rating_form=form)


@bp.route("/mentoring/action-items/<int:item_id>/<any(done, reopen):change>", methods=["POST"])
@role_required(Role.MENTOR, Role.FOUNDER)
def change_item(item_id: int, change: str):
    item = get_or_404(ActionItem, item_id, policy=can_change_item)
    session = load_session(item.session_id)
    refusal_page(_detail_url(session.id))
    if not ActionForm().validate_on_submit():
        abort(400)
    services.set_item_done(item, actor=current_actor(), done=change == "done")
    db.session.commit()
    flash(_("Action item updated."), "success")
    return redirect(_detail_url(session.id))
