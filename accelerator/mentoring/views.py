"""Mentor profiles, the directory, founders' preferences, and a mentor's own matches."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from accelerator.applications.queries import founder_startup_id
from accelerator.auth.models import Role, User
from accelerator.core.cache import kept, page_key
from accelerator.core.errors import NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.mentoring import bp, forms, queries, services
from accelerator.mentoring.models import (
    MAX_PREFERENCES,
    Match,
    MatchStatus,
    MentorConflict,
    MentorPreference,
    MentorProfile,
    mentor_expertise,
)
from accelerator.mentoring.policies import (
    can_answer_match,
    can_edit_mentor_profile,
    can_remove_conflict,
    can_remove_preference,
    can_view_directory,
    can_view_mentor_profile,
)
from accelerator.programs.models import Cohort, Enrollment, ExpertiseTag

EVERYONE = (Role.FOUNDER, Role.MENTOR, Role.STAFF)


def _mentor_or_404(user_id: int, policy) -> User:
    mentor = get_or_404(User, user_id, policy=policy)
    if mentor.role != Role.MENTOR:
        abort(404)
    return mentor


@bp.route("/mentoring/profile")
@role_required(Role.MENTOR)
def my_profile():
    if queries.profile_of(current_user.id) is None:
        return redirect(url_for("mentoring.edit_profile", user_id=current_user.id))
    return redirect(url_for("mentoring.profile", user_id=current_user.id))


@bp.route("/mentoring/mentors/<int:user_id>")
@role_required(*EVERYONE)
def profile(user_id: int):
    return _profile_page(_mentor_or_404(user_id, can_view_mentor_profile))


def _profile_page(mentor: User, *, conflict_form=None):
    found = queries.profile_of(mentor.id)
    if found is not None:
        db.session.refresh(found, ["expertise"])
    own_or_staff = can_edit_mentor_profile(current_user, mentor)
    if own_or_staff and conflict_form is None:
        conflict_form = forms.ConflictForm(startups=queries.enrolled_startups(), formdata=None)
    return render_template(
        "mentoring/profile.html",
        mentor=mentor,
        profile=found,
        conflicts=queries.conflicts_of(mentor.id) if own_or_staff else [],
        conflict_form=conflict_form if own_or_staff else None,
        action_form=forms.ActionForm(),
        can_edit=own_or_staff,
    )


@bp.route("/mentoring/mentors/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.MENTOR, Role.STAFF)
def edit_profile(user_id: int):
    mentor = _mentor_or_404(user_id, can_edit_mentor_profile)
    found = queries.profile_of(mentor.id)
    if found is not None:
        db.session.refresh(found, ["expertise"])
    data = forms.ProfileForm.data_of(found) if found and request.method == "GET" else None
    form = forms.ProfileForm(tags=queries.expertise_tags(), data=data)
    if form.validate_on_submit():
        with refusals_beside(form):
            services.save_profile(mentor, form.to_input(), actor=current_actor())
            db.session.commit()
            flash(_("Profile saved."), "success")
            return redirect(url_for("mentoring.profile", user_id=mentor.id))
    return render_template("mentoring/profile_form.html", form=form, mentor=mentor)


@bp.route("/mentoring/mentors/<int:user_id>/conflicts", methods=["POST"])
@role_required(Role.MENTOR, Role.STAFF)
def add_conflict(user_id: int):
    mentor = _mentor_or_404(user_id, can_edit_mentor_profile)
    form = forms.ConflictForm(startups=queries.enrolled_startups())
    if form.validate_on_submit():
        with refusals_beside(form):
            services.add_conflict(
                mentor, startup_id=form.startup.data, reason=form.reason.data, actor=current_actor()
            )
            db.session.commit()
            flash(
                _("Conflict declared: no match will pair this mentor with this startup."), "success"
            )
            return redirect(url_for("mentoring.profile", user_id=mentor.id, _anchor="conflicts"))
    return _profile_page(mentor, conflict_form=form)


@bp.route("/mentoring/conflicts/<int:conflict_id>/delete", methods=["POST"])
@role_required(Role.MENTOR, Role.STAFF)
def remove_conflict(conflict_id: int):
    conflict = get_or_404(MentorConflict, conflict_id, policy=can_remove_conflict)
    mentor_id = conflict.mentor_id
    if forms.ActionForm().validate_on_submit():
        services.remove_conflict(conflict, actor=current_actor())
        db.session.commit()
        flash(_("Conflict removed."), "success")
    return redirect(url_for("mentoring.profile", user_id=mentor_id, _anchor="conflicts"))


#: What the directory's content reads: a committed write to any of them renews the staff's.
DIRECTORY_READS = (MentorProfile, User, ExpertiseTag, mentor_expertise, Match, Cohort, Enrollment)


@bp.route("/mentoring/mentors")
@role_required(Role.FOUNDER, Role.STAFF)
def directory():
    if not can_view_directory(current_user):
        return render_template("mentoring/directory_closed.html"), 403
    if current_user.is_staff:
        # The same for every staff member asking with the same filters in the same language
        # (core.cache.page_key; kept with its status, 422 for filters that do not exist):
        # kept as rendered until a profile, mentor, tag, match, cohort or enrollment changes.
        # Staff see the staff's directory, never a founder's preferences.
        html, status = kept(
            "mentor-directory",
            page_key(),
            reads=DIRECTORY_READS,
            compute=lambda: _directory_content(None),
        )
    else:
        html, status = _directory_content(founder_startup_id(current_user))
    body = Markup(html)  # noqa: S704 - rendered by an autoescaped template of this application
    return render_template("mentoring/directory.html", body=body), status


def _directory_content(startup_id: int | None) -> tuple[str, int]:
    """The directory's content and status: every statement of the page, for `kept`."""
    tags = queries.expertise_tags()
    languages, organisations = queries.directory_facets()
    filters = forms.DirectoryFilterForm(
        request.args,
        tags=tags,
        languages=languages,
        organisations=organisations,
        cohorts=queries.cohorts_with_startups() if current_user.is_staff else (),
    )
    valid = filters.validate()
    page = paginate(queries.directory_statement(**filters.criteria() if valid else {}), per_page=12)
    cohort = queries.directory_cohort(startup_id, request.args.get("cohort", type=bounded_int))
    loads = queries.matched_load(cohort.id, [p.user_id for p in page.items]) if cohort else {}
    preferences = queries.preferences_of(cohort.id, startup_id) if cohort and startup_id else []
    html = render_template(
        "mentoring/_directory_body.html",
        page=page,
        filters=filters,
        cohort=cohort,
        loads=loads,
        preferences=preferences,
        preferred={p.mentor_id: p for p in preferences},
        mentor_names=queries.user_names(p.mentor_id for p in preferences),
        max_preferences=MAX_PREFERENCES,
        is_founder=startup_id is not None,
        without_profile=queries.mentors_without_profile() if current_user.is_staff else [],
        action_form=forms.ActionForm(),
    )
    return html, 200 if valid or not request.args else 422


@bp.route("/mentoring/preferences", methods=["POST"])
@role_required(Role.FOUNDER)
def add_preference():
    startup_id = founder_startup_id(current_user)
    if startup_id is None or not can_view_directory(current_user):
        raise NotAllowed(_("The directory opens to founders once their startup is enrolled."))
    refusal_page(url_for("mentoring.directory"))
    form = forms.PreferenceForm()
    if not form.validate_on_submit():
        flash(_("Choose a mentor from the directory."), "danger")
        return redirect(url_for("mentoring.directory")), 303
    preference = services.add_preference(
        startup_id, mentor_id=form.mentor_id.data, actor=current_actor()
    )
    db.session.commit()
    flash(_("Added to your preferences (rank %(rank)d).", rank=preference.rank), "success")
    return redirect(url_for("mentoring.directory"))


@bp.route("/mentoring/preferences/<int:preference_id>/delete", methods=["POST"])
@role_required(Role.FOUNDER, Role.STAFF)
def remove_preference(preference_id: int):
    preference = get_or_404(MentorPreference, preference_id, policy=can_remove_preference)
    if forms.ActionForm().validate_on_submit():
        services.remove_preference(preference, actor=current_actor())
        db.session.commit()
        flash(_("Preference removed."), "success")
    return redirect(url_for("mentoring.directory"))


@bp.route("/mentoring/matches")
@role_required(Role.MENTOR, Role.FOUNDER)
def my_matches():
    if current_user.role == Role.MENTOR:
        found = queries.matches_of(mentor_id=current_user.id)
    else:
        startup_id = founder_startup_id(current_user)
        found = queries.matches_of(startup_id=startup_id) if startup_id else []
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
    match = get_or_404(Match, match_id, policy=can_answer_match)
    refusal_page(url_for("mentoring.my_matches"))
    form = forms.DeclineForm() if answer == "decline" else forms.ActionForm()
    if not form.validate_on_submit():
        flash(_("This form has expired. Reload the page and try again."), "danger")
        return redirect(url_for("mentoring.my_matches")), 303
    reason = form.reason.data if answer == "decline" else ""
    services.respond(match, accept=answer == "accept", actor=current_actor(), reason=reason or "")
    db.session.commit()
    if answer == "accept":
        flash(_("Thank you: the founders now know you are their mentor."), "success")
    else:
        flash(_("Match declined. The program team will find another mentor."), "info")
    return redirect(url_for("mentoring.my_matches"))
