"""The staff matching page of a cohort: run, explain, change pairs by hand, confirm, export."""

from __future__ import annotations

from collections import defaultdict

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accelerator.auth.models import Role
from accelerator.core import audit
from accelerator.core.errors import DomainError
from accelerator.core.forms import show_error
from accelerator.core.permissions import get_or_404, role_required
from accelerator.core.spreadsheets import download
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.mentoring import bp, exports, forms, matches
from accelerator.mentoring.fit import WEIGHT_LABELS, WEIGHTS
from accelerator.mentoring.models import ENDED, Match, MatchStatus
from accelerator.mentoring.picture import load_picture
from accelerator.mentoring.views import refusal_status
from accelerator.programs.models import Cohort


def _actor():
    return current_user._get_current_object()


def _back(cohort_id: int):
    return redirect(url_for("mentoring.matching", cohort_id=cohort_id))


def matching_page(cohort: Cohort, *, add_form=None, status: int = 200):
    picture = load_picture(cohort)
    startups = picture.startup_by_id
    mentors = picture.mentor_by_id
    by_startup: dict[int, list[Match]] = defaultdict(list)
    ended: list[Match] = []
    for match in picture.matches:
        (ended if match.status in ENDED else by_startup[match.startup_id]).append(match)
    load = picture.load()
    counts = {s: sum(1 for m in picture.matches if m.status == s) for s in MatchStatus}
    swap_forms = {
        match.id: forms.SwapForm(
            prefix=f"swap-{match.id}",
            formdata=None,
            mentors=[m for m in picture.mentors if m.id != match.mentor_id],
        )
        for matches_ in by_startup.values()
        for match in matches_
        if match.status == MatchStatus.PROPOSED
    }
    return render_template(
        "mentoring/matching.html",
        cohort=cohort,
        picture=picture,
        startups=picture.startups,
        startup_by_id=startups,
        mentor_by_id=mentors,
        by_startup=by_startup,
        ended=ended,
        load=load,
        counts=counts,
        weights=WEIGHTS,
        weight_labels=WEIGHT_LABELS,
        add_form=add_form
        or forms.AddPairForm(startups=picture.startups, mentors=picture.mentors, formdata=None),
        swap_forms=swap_forms,
        action_form=forms.ActionForm(),
        S=MatchStatus,
    ), status


@bp.route("/mentoring/cohorts/<int:cohort_id>/matching")
@role_required(Role.STAFF)
def matching(cohort_id: int):
    return matching_page(get_or_404(Cohort, cohort_id))


@bp.route("/mentoring/cohorts/<int:cohort_id>/matching/run", methods=["POST"])
@role_required(Role.STAFF)
def run(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    if forms.ActionForm().validate_on_submit():
        try:
            created = matches.run_matching(cohort, actor=_actor())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
            return matching_page(cohort, status=refusal_status(error))
        db.session.commit()
        flash(
            _("Matching proposed %(n)d pairs. Check them, then confirm.", n=len(created)), "success"
        )
    return _back(cohort.id)


@bp.route("/mentoring/cohorts/<int:cohort_id>/matching/confirm", methods=["POST"])
@role_required(Role.STAFF)
def confirm(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    if forms.ActionForm().validate_on_submit():
        try:
            confirmed = matches.confirm_matches(cohort, actor=_actor())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
            return matching_page(cohort, status=refusal_status(error))
        db.session.commit()
        flash(
            _("%(n)d pairs confirmed. The mentors were notified by mail.", n=len(confirmed)),
            "success",
        )
    return _back(cohort.id)


@bp.route("/mentoring/cohorts/<int:cohort_id>/matching/add", methods=["POST"])
@role_required(Role.STAFF)
def add_pair(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    picture = load_picture(cohort)
    form = forms.AddPairForm(startups=picture.startups, mentors=picture.mentors)
    if not form.validate_on_submit():
        return matching_page(cohort, add_form=form, status=422)
    try:
        matches.add_match(
            cohort, startup_id=form.startup.data, mentor_id=form.mentor.data, actor=_actor()
        )
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return matching_page(cohort, add_form=form, status=refusal_status(error))
    db.session.commit()
    flash(_("Pair added. Confirm it with the others."), "success")
    return _back(cohort.id)


@bp.route("/mentoring/matches/<int:match_id>/swap", methods=["POST"])
@role_required(Role.STAFF)
def swap(match_id: int):
    match = get_or_404(Match, match_id)
    cohort = db.session.get(Cohort, match.cohort_id)
    picture = load_picture(cohort)
    form = forms.SwapForm(prefix=f"swap-{match.id}", mentors=picture.mentors)
    if not form.validate_on_submit():
        flash(_("Choose a mentor to swap in."), "danger")
        return matching_page(cohort, status=422)
    try:
        matches.swap_match(match, mentor_id=form.mentor.data, actor=_actor())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return matching_page(cohort, status=refusal_status(error))
    db.session.commit()
    flash(_("Mentor swapped."), "success")
    return _back(cohort.id)


@bp.route("/mentoring/matches/<int:match_id>/remove", methods=["POST"])
@role_required(Role.STAFF)
def remove(match_id: int):
    match = get_or_404(Match, match_id)
    cohort = db.session.get(Cohort, match.cohort_id)
    if forms.ActionForm().validate_on_submit():
        try:
            matches.remove_match(match, actor=_actor())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
            return matching_page(cohort, status=refusal_status(error))
        db.session.commit()
        flash(_("Pair removed."), "success")
    return _back(cohort.id)


@bp.route("/mentoring/cohorts/<int:cohort_id>/matches.<any(csv, xlsx):fmt>")
@role_required(Role.STAFF)
def export(cohort_id: int, fmt: str):
    cohort = get_or_404(Cohort, cohort_id)
    frame = exports.match_frame(cohort)
    body = exports.to_xlsx(frame) if fmt == "xlsx" else exports.to_csv(frame)
    audit.record(
        "matches.exported", cohort, actor=_actor(), data={"format": fmt, "rows": len(frame)}
    )
    db.session.commit()
    return download(body, fmt, f"matches-{cohort.id}-{utcnow():%Y%m%d-%H%M}.{fmt}")
