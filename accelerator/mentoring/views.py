"""Mentor profiles, the directory, founders' preferences, and a mentor's own matches."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accelerator.applications.models import Startup
from accelerator.auth.models import Role, User
from accelerator.core.errors import DomainError, ValidationFailed
from accelerator.core.forms import show_error
from accelerator.core.pagination import paginate
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.mentoring import bp, forms, matches, profiles, queries
from accelerator.mentoring.models import (
    MAX_PREFERENCES,
    Match,
    MatchStatus,
    MentorConflict,
    MentorPreference,
)
from accelerator.mentoring.policies import (
    can_edit_mentor_profile,
    can_remove_conflict,
    can_remove_preference,
    can_view_directory,
    can_view_mentor_profile,
    founder_startup_id,
)
from accelerator.programs.models import Cohort, Enrollment, ExpertiseTag

EVERYONE = (Role.FOUNDER, Role.MENTOR, Role.STAFF)


def refusal_status(error: DomainError) -> int:
    """Bad input answers 422; a rule that refuses on the current state answers 409."""
    return 422 if isinstance(error, ValidationFailed) else 409


_actor = current_actor


def _mentor_or_404(user_id: int, policy) -> User:
    mentor = get_or_404(User, user_id, policy=policy)
    if mentor.role != Role.MENTOR:
        abort(404)
    return mentor


def _tags() -> list[ExpertiseTag]:
    return list(db.session.scalars(select(ExpertiseTag).order_by(ExpertiseTag.name)))


def _enrolled_startups() -> list[Startup]:
    return list(
        db.session.scalars(
            select(Startup)
            .where(select(Enrollment.id).where(Enrollment.startup_id == Startup.id).exists())
            .order_by(Startup.name)
        )
    )


def _conflicts(mentor_id: int) -> list[MentorConflict]:
    return list(
        db.session.scalars(
            select(MentorConflict)
            .where(MentorConflict.mentor_id == mentor_id)
            .options(joinedload(MentorConflict.startup))
            .order_by(MentorConflict.id)
        )
    )


@bp.route("/mentoring/profile")
@role_required(Role.MENTOR)
def my_profile():
    if profiles.profile_of(current_user.id) is None:
        return redirect(url_for("mentoring.edit_profile", user_id=current_user.id))
    return redirect(url_for("mentoring.profile", user_id=current_user.id))


@bp.route("/mentoring/mentors/<int:user_id>")
@role_required(*EVERYONE)
def profile(user_id: int):
    mentor = _mentor_or_404(user_id, can_view_mentor_profile)
    return _profile_page(mentor)


def _profile_page(mentor: User, *, conflict_form=None, status: int = 200):
    found = profiles.profile_of(mentor.id)
    if found is not None:
        db.session.refresh(found, ["expertise"])
    own_or_staff = can_edit_mentor_profile(current_user, mentor)
    if own_or_staff and conflict_form is None:
        conflict_form = forms.ConflictForm(startups=_enrolled_startups(), formdata=None)
    return render_template(
        "mentoring/profile.html",
        mentor=mentor,
        profile=found,
        conflicts=_conflicts(mentor.id) if own_or_staff else [],
        conflict_form=conflict_form if own_or_staff else None,
        action_form=forms.ActionForm(),
        can_edit=own_or_staff,
    ), status


@bp.route("/mentoring/mentors/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.MENTOR, Role.STAFF)
def edit_profile(user_id: int):
    mentor = _mentor_or_404(user_id, can_edit_mentor_profile)
    found = profiles.profile_of(mentor.id)
    if found is not None:
        db.session.refresh(found, ["expertise"])
    data = (
        forms.ProfileForm.data_of(found) if found is not None and request.method == "GET" else None
    )
    form = forms.ProfileForm(tags=_tags(), data=data)
    if form.validate_on_submit():
        try:
            profiles.save_profile(mentor, form.to_input(), actor=_actor())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Profile saved."), "success")
            return redirect(url_for("mentoring.profile", user_id=mentor.id))
    status = 422 if request.method == "POST" else 200
    return render_template("mentoring/profile_form.html", form=form, mentor=mentor), status


@bp.route("/mentoring/mentors/<int:user_id>/conflicts", methods=["POST"])
@role_required(Role.MENTOR, Role.STAFF)
def add_conflict(user_id: int):
    mentor = _mentor_or_404(user_id, can_edit_mentor_profile)
    form = forms.ConflictForm(startups=_enrolled_startups())
    if not form.validate_on_submit():
        return _profile_page(mentor, conflict_form=form, status=422)
    try:
        profiles.add_conflict(
            mentor, startup_id=form.startup.data, reason=form.reason.data, actor=_actor()
        )
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return _profile_page(mentor, conflict_form=form, status=refusal_status(error))
    db.session.commit()
    flash(_("Conflict declared: no match will pair this mentor with this startup."), "success")
    return redirect(url_for("mentoring.profile", user_id=mentor.id, _anchor="conflicts"))


@bp.route("/mentoring/conflicts/<int:conflict_id>/delete", methods=["POST"])
@role_required(Role.MENTOR, Role.STAFF)
def remove_conflict(conflict_id: int):
    conflict = get_or_404(MentorConflict, conflict_id, policy=can_remove_conflict)
    mentor_id = conflict.mentor_id
    if forms.ActionForm().validate_on_submit():
        profiles.remove_conflict(conflict, actor=_actor())
        db.session.commit()
        flash(_("Conflict removed."), "success")
    return redirect(url_for("mentoring.profile", user_id=mentor_id, _anchor="conflicts"))


def _cohorts_with_startups() -> list[Cohort]:
    return list(
        db.session.scalars(
            select(Cohort)
            .where(select(Enrollment.id).where(Enrollment.cohort_id == Cohort.id).exists())
            .order_by(Cohort.starts_on.desc())
        )
    )


def _directory_cohort() -> Cohort | None:
    """Founders: their startup's cohort. Staff: ?cohort= or the latest cohort with startups."""
    startup_id = founder_startup_id(current_user)
    if startup_id is not None:
        enrollment = profiles.current_enrollment(startup_id)
        return db.session.get(Cohort, enrollment.cohort_id) if enrollment else None
    chosen = request.args.get("cohort", type=bounded_int)
    if chosen:
        return db.session.get(Cohort, chosen)
    return db.session.scalar(
        select(Cohort)
        .where(select(Enrollment.id).where(Enrollment.cohort_id == Cohort.id).exists())
        .order_by(Cohort.starts_on.desc())
        .limit(1)
    )


@bp.route("/mentoring/mentors")
@role_required(Role.FOUNDER, Role.STAFF)
def directory():
    if not can_view_directory(current_user):
        return render_template("mentoring/directory_closed.html"), 403
    tags = _tags()
    languages, organisations = queries.directory_facets()
    filters = forms.DirectoryFilterForm(
        request.args,
        tags=tags,
        languages=languages,
        organisations=organisations,
        cohorts=_cohorts_with_startups() if current_user.is_staff else (),
    )
    valid = filters.validate()
    tag_id = int(filters.expertise.data) if valid and filters.expertise.data else None
    statement = queries.directory_statement(
        q=(filters.q.data or "") if valid else "",
        tag_id=tag_id,
        language=(filters.language.data or "") if valid else "",
        organisation=(filters.organisation.data or "") if valid else "",
    )
    page = paginate(statement, per_page=12)
    cohort = _directory_cohort()
    loads = queries.matched_load(cohort.id, [p.user_id for p in page.items]) if cohort else {}
    startup_id = founder_startup_id(current_user)
    preferences = profiles.preferences_of(cohort.id, startup_id) if cohort and startup_id else []
    return render_template(
        "mentoring/directory.html",
        page=page,
        filters=filters,
        cohort=cohort,
        loads=loads,
        preferences=preferences,
        preferred={p.mentor_id: p for p in preferences},
        mentor_names=_names(p.mentor_id for p in preferences),
        max_preferences=MAX_PREFERENCES,
        is_founder=startup_id is not None,
        without_profile=queries.mentors_without_profile() if current_user.is_staff else [],
        action_form=forms.ActionForm(),
    ), 200 if valid or not request.args else 422


def _names(ids) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


@bp.route("/mentoring/preferences", methods=["POST"])
@role_required(Role.FOUNDER)
def add_preference():
    startup_id = founder_startup_id(current_user)
    if startup_id is None or not can_view_directory(current_user):
        abort(403)
    form = forms.PreferenceForm()
    if not form.validate_on_submit():
        flash(_("Choose a mentor from the directory."), "danger")
        return redirect(url_for("mentoring.directory")), 303
    try:
        preference = profiles.add_preference(
            startup_id, mentor_id=form.mentor_id.data, actor=_actor()
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return render_template("mentoring/refused.html", message=error.message), refusal_status(
            error
        )
    db.session.commit()
    flash(_("Added to your preferences (rank %(rank)d).", rank=preference.rank), "success")
    return redirect(url_for("mentoring.directory"))


@bp.route("/mentoring/preferences/<int:preference_id>/delete", methods=["POST"])
@role_required(Role.FOUNDER, Role.STAFF)
def remove_preference(preference_id: int):
    preference = get_or_404(MentorPreference, preference_id, policy=can_remove_preference)
    if forms.ActionForm().validate_on_submit():
        profiles.remove_preference(preference, actor=_actor())
        db.session.commit()
        flash(_("Preference removed."), "success")
    return redirect(url_for("mentoring.directory"))


def _matches_of(*, mentor_id: int | None = None, startup_id: int | None = None) -> list[Match]:
    statement = (
        select(Match)
        .join(Cohort, Cohort.id == Match.cohort_id)
        .options(joinedload(Match.startup), joinedload(Match.mentor), joinedload(Match.cohort))
        .order_by(Cohort.starts_on.desc(), Match.id)
    )
    if mentor_id is not None:
        statement = statement.where(
            Match.mentor_id == mentor_id, Match.status != MatchStatus.PROPOSED
        )
    if startup_id is not None:
        statement = statement.where(
            Match.startup_id == startup_id, Match.status.in_(queries.ACTIVE_MATCH)
        )
    return list(db.session.scalars(statement))


@bp.route("/mentoring/matches")
@role_required(Role.MENTOR, Role.FOUNDER)
def my_matches():
    if current_user.role == Role.MENTOR:
        found = _matches_of(mentor_id=current_user.id)
    else:
        startup_id = founder_startup_id(current_user)
        found = _matches_of(startup_id=startup_id) if startup_id else []
    return render_template(
        "mentoring/my_matches.html",
        matches=found,
        action_form=forms.ActionForm(),
        decline_form=forms.DeclineForm(),
        S=MatchStatus,
    )


@bp.route("/mentoring/matches/<int:match_id>/<any(accept, decline):answer>", methods=["POST"])
@role_required(Role.MENTOR)
def respond(match_id: int, answer: str):
    match = get_or_404(Match, match_id, policy=lambda user, m: user.id == m.mentor_id)
    form = forms.DeclineForm() if answer == "decline" else forms.ActionForm()
    if not form.validate_on_submit():
        flash(_("This form has expired. Reload the page and try again."), "danger")
        return redirect(url_for("mentoring.my_matches")), 303
    try:
        matches.respond(
            match,
            accept=answer == "accept",
            actor=_actor(),
            reason=getattr(form, "reason", None) and form.reason.data or "",
        )
    except DomainError as error:
        db.session.rollback()
        return render_template("mentoring/refused.html", message=error.message), 409
    db.session.commit()
    if answer == "accept":
        flash(_("Thank you: the founders now know you are their mentor."), "success")
    else:
        flash(_("Match declined. The program team will find another mentor."), "info")
    return redirect(url_for("mentoring.my_matches"))
