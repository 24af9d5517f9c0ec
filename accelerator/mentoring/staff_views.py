"""The staff matching page of a cohort: run, explain, change pairs by hand, confirm, export."""

from __future__ import annotations

from collections import defaultdict

from flask import flash, redirect, render_template, url_for

from accelerator.auth.models import Role
from accelerator.core import audit
from accelerator.core.cache import kept_body
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.spreadsheets import download
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.jobs import services as job_services
from accelerator.mentoring import bp, exports, forms, services
from accelerator.mentoring.fit import FitTerm
from accelerator.mentoring.models import ENDED, Match, MatchStatus
from accelerator.mentoring.picture import load_picture
from accelerator.programs.models import Cohort, Program


def _page_of(cohort_id: int) -> str:
    return url_for("mentoring.matching", cohort_id=cohort_id)


#: What the matching page reads: a committed write to any of them renews it.
MATCHING_READS = (
    Cohort,
    Program,
    "enrollments",
    "startups",
    "startup_needs",
    "expertise_tags",
    "mentor_profiles",
    "mentor_expertise",
    "users",
    "mentor_matches",
    "mentor_conflicts",
    "mentor_preferences",
)


def matching_page(cohort: Cohort, *, add_form=None):
    """The page, its content kept as rendered for every staff member until a table it reads
    changes (each view fills in its own forms' token); a form sent back with errors is
    rendered for its sender."""

    def body() -> str:
        return _matching_body(cohort, add_form=add_form)

    return render_template(
        "mentoring/matching.html",
        cohort=cohort,
        body=kept_body("matching-page", reads=MATCHING_READS, render=body, forms=True),
    )


def _matching_body(cohort: Cohort, *, add_form=None) -> str:
    picture = load_picture(cohort)
    by_startup: dict[int, list[Match]] = defaultdict(list)
    ended: list[Match] = []
    for match in picture.matches:
        (ended if match.status in ENDED else by_startup[match.startup_id]).append(match)
    swap_forms = {
        match.id: forms.SwapForm(
            prefix=f"swap-{match.id}",
            formdata=None,
            mentors=[m for m in picture.mentors if m.id != match.mentor_id],
        )
        for pairs in by_startup.values()
        for match in pairs
        if match.status == MatchStatus.PROPOSED
    }
    load = picture.load()
    return render_template(
        "mentoring/_matching_body.html",
        cohort=cohort,
        picture=picture,
        startups=picture.startups,
        startup_by_id=picture.startup_by_id,
        mentor_by_id=picture.mentor_by_id,
        by_startup=by_startup,
        ended=ended,
        load=load,
        # Every mentor's line of the load card as plain values (500 lines: no lookups in Jinja).
        mentor_load=[
            (m.name, picture.available.get(m.id), load[m.id], m.capacity) for m in picture.mentors
        ],
        counts={s: sum(1 for m in picture.matches if m.status == s) for s in MatchStatus},
        terms=list(FitTerm),
        add_form=add_form
        or forms.AddPairForm(startups=picture.startups, mentors=picture.mentors, formdata=None),
        swap_forms=swap_forms,
        action_form=forms.ActionForm(),
        S=MatchStatus,
    )


@bp.route("/mentoring/cohorts/<int:cohort_id>/matching")
@role_required(Role.STAFF)
def matching(cohort_id: int):
    return matching_page(get_or_404(Cohort, cohort_id))


@bp.route("/mentoring/cohorts/<int:cohort_id>/matching/run", methods=["POST"])
@role_required(Role.STAFF)
def run(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    refusal_page(_page_of(cohort.id))
    if forms.ActionForm().validate_on_submit() and services.runs_in_background(cohort):
        job = services.start_matching_job(cohort, actor=current_actor())
        db.session.commit()
        job_services.submit(job)
        return redirect(url_for("jobs.show", job_id=job.id))
    if forms.ActionForm().validate_on_submit():
        created = services.run_matching(cohort, actor=current_actor())
        db.session.commit()
        flash(
            _("Matching proposed %(n)d pairs. Check them, then confirm.", n=len(created)), "success"
        )
    return redirect(_page_of(cohort.id))


@bp.route("/mentoring/cohorts/<int:cohort_id>/matching/confirm", methods=["POST"])
@role_required(Role.STAFF)
def confirm(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    refusal_page(_page_of(cohort.id))
    if forms.ActionForm().validate_on_submit():
        confirmed = services.confirm_matches(cohort, actor=current_actor())
        db.session.commit()
        flash(
            _("%(n)d pairs confirmed. The mentors were notified by mail.", n=len(confirmed)),
            "success",
        )
    return redirect(_page_of(cohort.id))


@bp.route("/mentoring/cohorts/<int:cohort_id>/matching/add", methods=["POST"])
@role_required(Role.STAFF)
def add_pair(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    picture = load_picture(cohort)
    form = forms.AddPairForm(startups=picture.startups, mentors=picture.mentors)
    if form.validate_on_submit():
        with refusals_beside(form):
            services.add_match(
                cohort,
                startup_id=form.startup.data,
                mentor_id=form.mentor.data,
                actor=current_actor(),
            )
            db.session.commit()
            flash(_("Pair added. Confirm it with the others."), "success")
            return redirect(_page_of(cohort.id))
    return matching_page(cohort, add_form=form)


@bp.route("/mentoring/matches/<int:match_id>/swap", methods=["POST"])
@role_required(Role.STAFF)
def swap(match_id: int):
    match = get_or_404(Match, match_id)
    refusal_page(_page_of(match.cohort_id))
    cohort = db.session.get(Cohort, match.cohort_id)
    form = forms.SwapForm(prefix=f"swap-{match.id}", mentors=load_picture(cohort).mentors)
    if not form.validate_on_submit():
        flash(_("Choose a mentor to swap in."), "danger")
        return matching_page(cohort)
    services.swap_match(match, mentor_id=form.mentor.data, actor=current_actor())
    db.session.commit()
    flash(_("Mentor swapped."), "success")
    return redirect(_page_of(cohort.id))


@bp.route("/mentoring/matches/<int:match_id>/remove", methods=["POST"])
@role_required(Role.STAFF)
def remove(match_id: int):
    match = get_or_404(Match, match_id)
    refusal_page(_page_of(match.cohort_id))
    if forms.ActionForm().validate_on_submit():
        services.remove_match(match, actor=current_actor())
        db.session.commit()
        flash(_("Pair removed."), "success")
    return redirect(_page_of(match.cohort_id))


@bp.route("/mentoring/cohorts/<int:cohort_id>/matches.<any(csv, xlsx):fmt>")
@role_required(Role.STAFF)
def export(cohort_id: int, fmt: str):
    cohort = get_or_404(Cohort, cohort_id)
    frame = exports.match_frame(cohort)
    body = exports.to_xlsx(frame) if fmt == "xlsx" else exports.to_csv(frame)
    audit.record(
        "matches.exported", cohort, actor=current_actor(), data={"format": fmt, "rows": len(frame)}
    )
    db.session.commit()
    return download(body, fmt, f"matches-{cohort.id}-{utcnow():%Y%m%d-%H%M}.{fmt}")
