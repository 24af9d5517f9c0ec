"""Session pages: the list (each role sees its own), logging a session with carried-forward
action items, the session page (notes by visibility), confirm, rate, resolve a red flag."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accelerator.applications.models import Startup
from accelerator.auth.models import Role, User
from accelerator.core.errors import DomainError
from accelerator.core.forms import show_error
from accelerator.core.pagination import paginate
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.timeutil import local_to_utc, to_local
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.mentoring import bp, calendar, sessions
from accelerator.mentoring.models import Match
from accelerator.mentoring.office_hours import default_timezone, founder_startup_ids
from accelerator.mentoring.queries import ACTIVE_MATCH
from accelerator.mentoring.session_forms import (
    ActionForm,
    RatingForm,
    ResolveFlagForm,
    SessionForm,
)
from accelerator.mentoring.session_models import (
    ActionItem,
    MentorSession,
    OfficeHourSlot,
    SessionRating,
)
from accelerator.mentoring.session_policies import can_view_session
from accelerator.programs.filters import cohort_choices, selected_filter
from accelerator.programs.models import ExpertiseTag

MEMBERS = (Role.MENTOR, Role.FOUNDER, Role.STAFF)


_actor = current_actor


@bp.route("/mentoring/sessions")
@role_required(*MEMBERS)
def sessions_list():
    statement = select(MentorSession).order_by(
        MentorSession.starts_at.desc(), MentorSession.id.desc()
    )
    flagged = request.args.get("flag") == "open"
    if current_user.is_staff:
        _program, cohort_id = selected_filter(request.args)
        if cohort_id:
            statement = statement.where(MentorSession.cohort_id == cohort_id)
        if flagged:
            statement = statement.where(
                MentorSession.red_flag_at.is_not(None),
                MentorSession.red_flag_resolved_at.is_(None),
            )
    elif current_user.role == Role.MENTOR:
        statement = statement.where(MentorSession.mentor_id == current_user.id)
    else:
        statement = statement.where(
            MentorSession.startup_id.in_(founder_startup_ids(current_user.id))
        )
    page = paginate(statement)
    return render_template(
        "mentoring/sessions/list.html",
        page=page,
        rows=_with_names(page.items),
        flagged=flagged,
        timezone=default_timezone(),
        cohort_choices=cohort_choices,
    )


def _with_names(rows: list[MentorSession]) -> list[tuple[MentorSession, str, str]]:
    """Each session with its startup's and mentor's names (two queries for the page)."""
    if not rows:
        return []
    startups = dict(
        db.session.execute(
            select(Startup.id, Startup.name).where(Startup.id.in_({s.startup_id for s in rows}))
        ).all()
    )
    mentors = dict(
        db.session.execute(
            select(User.id, User.name).where(User.id.in_({s.mentor_id for s in rows}))
        ).all()
    )
    return [(s, startups.get(s.startup_id, ""), mentors.get(s.mentor_id, "")) for s in rows]


# --- logging a session ---------------------------------------------------------------------


def _pairs_of(user) -> list[tuple[int, str, int, str]]:
    """(startup id, startup name, mentor id, mentor name) of the user's active pairs."""
    statement = (
        select(Match.startup_id, Startup.name, Match.mentor_id, User.name)
        .join(Startup, Startup.id == Match.startup_id)
        .join(User, User.id == Match.mentor_id)
        .where(Match.status.in_(ACTIVE_MATCH))
        .distinct()
        .order_by(Startup.name, User.name)
    )
    if user.role == Role.MENTOR:
        statement = statement.where(Match.mentor_id == user.id)
    else:
        statement = statement.where(Match.startup_id.in_(founder_startup_ids(user.id)))
    return list(db.session.execute(statement))


def _session_form(pairs, *, startup_id, mentor_id, slot, formdata=True) -> SessionForm:
    is_mentor = current_user.role == Role.MENTOR
    startups = dict.fromkeys((s, n) for s, n, m, _mn in pairs if is_mentor or m == mentor_id)
    mentors = dict.fromkeys((m, mn) for s, _n, m, mn in pairs if is_mentor or s == startup_id)
    items = sessions.open_items(mentor_id, startup_id) if startup_id and mentor_id else []
    tags = db.session.execute(
        select(ExpertiseTag.id, ExpertiseTag.name).order_by(ExpertiseTag.name)
    )
    kwargs = {} if formdata else {"formdata": None}
    form = SessionForm(
        startups=list(startups),
        mentors=list(mentors) if not is_mentor else [(current_user.id, current_user.name)],
        tags=list(tags),
        open_items=[(i.id, _item_label(i)) for i in items],
        **kwargs,
    )
    if not formdata:
        form.startup.data, form.mentor.data = startup_id, mentor_id
        if slot is not None:
            local = to_local(slot.starts_at, slot.timezone)
            form.held_on.data, form.start_time.data = local.date(), local.time()
            form.duration.data = slot.duration_minutes
            form.format.data = "video" if slot.is_video else "in_person"
            form.slot_id.data = str(slot.id)
    return form


def _item_label(item: ActionItem) -> str:
    owner = item.owner.label
    due = _(" (due %(day)s)", day=item.due_on.isoformat()) if item.due_on else ""
    return f"{item.text} · {owner}{due}"


def _chosen_pair(pairs, source) -> tuple[int | None, int | None]:
    is_mentor = current_user.role == Role.MENTOR
    startup_id = bounded_int(source.get("startup"))
    mentor_id = current_user.id if is_mentor else bounded_int(source.get("mentor"))
    valid = {(s, m) for s, _n, m, _mn in pairs}
    if (startup_id, mentor_id) not in valid:
        candidates = [
            (s, m)
            for s, _n, m, _mn in pairs
            if (startup_id is None or s == startup_id) and (mentor_id is None or m == mentor_id)
        ] or [(s, m) for s, _n, m, _mn in pairs]
        startup_id, mentor_id = candidates[0] if candidates else (None, None)
    return startup_id, mentor_id


def _render_new(form, pairs, startup_id, mentor_id, status=200):
    return (
        render_template(
            "mentoring/sessions/new.html",
            form=form,
            pairs=pairs,
            startup_id=startup_id,
            mentor_id=mentor_id,
            is_mentor=current_user.role == Role.MENTOR,
            timezone=default_timezone(),
        ),
        status,
    )


@bp.route("/mentoring/sessions/new")
@role_required(Role.MENTOR, Role.FOUNDER)
def new_session():
    pairs = _pairs_of(current_user)
    slot = None
    slot_id = request.args.get("slot", type=bounded_int)
    if slot_id is not None:
        slot = db.session.get(OfficeHourSlot, slot_id)
        if slot is None or slot.mentor_id != current_user.id or not slot.is_booked:
            abort(404)
        startup_id, mentor_id = slot.startup_id, slot.mentor_id
    else:
        startup_id, mentor_id = _chosen_pair(pairs, request.args)
    form = _session_form(
        pairs, startup_id=startup_id, mentor_id=mentor_id, slot=slot, formdata=False
    )
    return _render_new(form, pairs, startup_id, mentor_id)


@bp.route("/mentoring/sessions/new", methods=["POST"])
@role_required(Role.MENTOR, Role.FOUNDER)
def log_session():
    pairs = _pairs_of(current_user)
    startup_id, mentor_id = _chosen_pair(pairs, request.form)
    form = _session_form(pairs, startup_id=startup_id, mentor_id=mentor_id, slot=None)
    if not form.validate_on_submit():
        return _render_new(form, pairs, startup_id, mentor_id, 422)
    is_mentor = current_user.role == Role.MENTOR
    tz = default_timezone()
    try:
        session = sessions.log_session(
            actor=_actor(),
            startup_id=form.startup.data,
            mentor_id=None if is_mentor else form.mentor.data,
            starts_at=local_to_utc(datetime.combine(form.held_on.data, form.start_time.data), tz),
            duration_minutes=form.duration.data,
            format=form.format.data,
            topic_ids=form.topics.data or [],
            summary=form.summary.data,
            private_notes=form.private_notes.data if is_mentor else "",
            red_flag_reason=form.red_flag_reason.data if is_mentor else "",
            new_items=[
                sessions.NewItem(row.text.data or "", row.owner.data, row.due_on.data)
                for row in form.items
            ],
            done_item_ids=form.done_items.data or [],
            slot_id=form.slot,
        )
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return _render_new(form, pairs, startup_id, mentor_id, 422 if error.field else 409)
    db.session.commit()
    if is_mentor:
        flash(_("Session logged. The startup sees the summary, not your private notes."), "success")
    else:
        flash(_("Session logged. Your mentor is asked to confirm it."), "success")
    return redirect(url_for("mentoring.session_detail", session_id=session.id))


# --- one session ---------------------------------------------------------------------------


def _load(session_id: int) -> MentorSession:
    return get_or_404(
        MentorSession,
        session_id,
        policy=can_view_session,
        options=[selectinload(MentorSession.topics)],
    )


def render_session(session: MentorSession, *, status=200, **forms):
    startup = db.session.get(Startup, session.startup_id)
    mentor = db.session.get(User, session.mentor_id)
    created = list(
        db.session.scalars(
            select(ActionItem).where(ActionItem.session_id == session.id).order_by(ActionItem.id)
        )
    )
    ticked = list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.done_in_session_id == session.id)
            .order_by(ActionItem.id)
        )
    )
    ratings_statement = select(SessionRating).where(SessionRating.session_id == session.id)
    if not current_user.is_staff:  # a founder sees only their own rating; mentors none
        ratings_statement = ratings_statement.where(SessionRating.rater_id == current_user.id)
    ratings = (
        list(db.session.scalars(ratings_statement.options(selectinload(SessionRating.rater))))
        if current_user.is_staff or current_user.role == Role.FOUNDER
        else []
    )
    return (
        render_template(
            "mentoring/sessions/detail.html",
            session=session,
            startup=startup,
            mentor=mentor,
            created=created,
            ticked=ticked,
            ratings=ratings,
            rated=any(r.rater_id == current_user.id for r in ratings),
            rating_form=forms.get("rating_form") or RatingForm(formdata=None),
            resolve_form=forms.get("resolve_form") or ResolveFlagForm(formdata=None),
            action_form=ActionForm(formdata=None),
            timezone=default_timezone(),
        ),
        status,
    )


@bp.route("/mentoring/sessions/<int:session_id>")
@role_required(*MEMBERS)
def session_detail(session_id: int):
    return render_session(_load(session_id))


@bp.route("/mentoring/sessions/<int:session_id>.ics")
@role_required(*MEMBERS)
def session_ics(session_id: int):
    session = _load(session_id)
    return Response(
        calendar.session_ics(session, viewer=current_user),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="session-{session.id}.ics"'},
    )


def _refused(session: MentorSession, error: DomainError, form=None, **forms):
    db.session.rollback()
    if form is not None and error.field and hasattr(form, error.field):
        show_error(form, error)
        return render_session(_load(session.id), status=422, **forms)
    flash(error.message, "danger")
    return render_session(_load(session.id), status=409)


@bp.route("/mentoring/sessions/<int:session_id>/confirm", methods=["POST"])
@role_required(Role.MENTOR)
def confirm_session(session_id: int):
    session = _load(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        sessions.confirm_session(session, actor=_actor())
    except DomainError as error:
        return _refused(session, error)
    db.session.commit()
    flash(_("Session confirmed."), "success")
    return redirect(url_for("mentoring.session_detail", session_id=session_id))


@bp.route("/mentoring/sessions/<int:session_id>/rate", methods=["POST"])
@role_required(Role.FOUNDER)
def rate_session(session_id: int):
    session = _load(session_id)
    form = RatingForm()
    if not form.validate_on_submit():
        return render_session(session, status=422, rating_form=form)
    try:
        sessions.rate_session(
            session, actor=_actor(), score=form.score.data, comment=form.comment.data
        )
    except DomainError as error:
        return _refused(session, error, form, rating_form=form)
    db.session.commit()
    flash(_("Thank you. Only the program team sees ratings."), "success")
    return redirect(url_for("mentoring.session_detail", session_id=session_id))


@bp.route("/mentoring/sessions/<int:session_id>/resolve-flag", methods=["POST"])
@role_required(Role.STAFF)
def resolve_red_flag(session_id: int):
    session = _load(session_id)
    form = ResolveFlagForm()
    if not form.validate_on_submit():
        return render_session(session, status=422, resolve_form=form)
    try:
        sessions.resolve_red_flag(session, actor=_actor(), note=form.note.data)
    except DomainError as error:
        return _refused(session, error, form, resolve_form=form)
    db.session.commit()
    flash(_("Red flag resolved."), "success")
    return redirect(url_for("mentoring.session_detail", session_id=session_id))


@bp.route("/mentoring/action-items/<int:item_id>/<any(done, reopen):change>", methods=["POST"])
@role_required(Role.MENTOR, Role.FOUNDER)
def change_item(item_id: int, change: str):
    item = get_or_404(ActionItem, item_id)
    session = _load(item.session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        sessions.set_item_done(item, actor=_actor(), done=change == "done")
    except DomainError as error:
        return _refused(session, error)
    db.session.commit()
    flash(_("Action item updated."), "success")
    return redirect(url_for("mentoring.session_detail", session_id=session.id))
