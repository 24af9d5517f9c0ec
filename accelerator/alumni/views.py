"""The alumni domain's pages: the staff directory (and its export), a startup's page after
the program (timeline, surveys, consent), and the survey form.

Answers are private: staff and the startup's founders only. Mentors and partners are refused
by role (403); a founder of another startup does not learn the page exists (404)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accelerator.alumni import bp, exports, forms, policies, queries, services  # noqa: F401
from accelerator.alumni.models import Alumnus, Outcome, RoundType, Survey, SurveyStatus
from accelerator.applications.models import Startup
from accelerator.applications.queries import timezone_of
from accelerator.core import history
from accelerator.core.i18n import gettext as _
from accelerator.core.models import AuditEvent
from accelerator.core.pagination import paginate_rows
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.timeutil import local_today
from accelerator.extensions import db
from accelerator.programs.models import Cohort

#: Who reads alumni pages at all (each object then checks its startup).
READERS = (Role.STAFF, Role.FOUNDER)


@bp.get("/")
@role_required(Role.STAFF)
def directory():
    filters = queries.DirectoryFilters.from_args(request.args)
    rows, count = queries.directory(filters)
    return render_template(
        "alumni/directory.html",
        page=paginate_rows(rows, count),
        filters=filters,
        choices=queries.directory_choices(),
        outcomes=list(Outcome),
        Outcome=Outcome,
        rounds=list(RoundType),
    )


def _startup_page(startup: Startup, **extra):
    stories = queries.timeline(startup.id)
    today = local_today(timezone_of(startup))
    events = db.session.scalars(
        select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .where(AuditEvent.startup_id == startup.id, AuditEvent.action.like("alumni.%"))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(50)
    ).all()
    return render_template(
        "alumni/startup.html",
        startup=startup,
        stories=stories,
        today=today,
        history=history.entries(list(events)),
        listing_form=forms.ListingForm(formdata=None),
        can_list=policies.can_set_listing(current_actor(), stories[0].alumnus)
        if stories
        else False,
        **extra,
    )


@bp.get("/startups/<int:startup_id>")
@role_required(*READERS)
def startup(startup_id: int):
    found = get_or_404(Startup, startup_id, policy=policies.can_view_alumni_of)
    return _startup_page(found)


@bp.post("/<int:alumnus_id>/listing")
@role_required(*READERS)
def listing(alumnus_id: int):
    alumnus = get_or_404(Alumnus, alumnus_id, policy=policies.can_view_alumnus)
    refusal_page(url_for("alumni.startup", startup_id=alumnus.startup_id))
    form = forms.ListingForm()
    if not form.validate_on_submit():
        flash(_("Choose whether the startup is listed."), "danger")
        return redirect(url_for("alumni.startup", startup_id=alumnus.startup_id))
    listed = form.listed.data == "yes"
    if services.set_listing(alumnus, listed=listed, actor=current_actor()):
        db.session.commit()
    flash(
        _("Your startup is listed on the program's public page.")
        if listed
        else _("Your startup is not listed on the program's public page.")
    )
    return redirect(url_for("alumni.startup", startup_id=alumnus.startup_id))


@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"])
@role_required(*READERS)
def survey(survey_id: int):
    found = get_or_404(Survey, survey_id, policy=policies.can_answer_survey)
    refusal_page(url_for("alumni.startup", startup_id=found.startup_id))
    startup = db.session.get(Startup, found.startup_id)
    cohort = db.session.get(Cohort, found.cohort_id)
    today = local_today(timezone_of(cohort), None)
    closed = services.answer_window(found, today)
    if request.method == "GET":
        answered = found.status == SurveyStatus.ANSWERED
        form = forms.SurveyForm(
            formdata=None,
            **(_initial(found) if answered else {"currency": found.currency}),
        )
    else:
        form = forms.SurveyForm()
        if form.validate_on_submit():
            with refusals_beside(form):
                correcting = found.status == SurveyStatus.ANSWERED
                services.answer_survey(found, answers=form.answers(), actor=current_actor())
                db.session.commit()
                flash(_("Answers corrected.") if correcting else _("Thank you: answers saved."))
                return redirect(url_for("alumni.startup", startup_id=found.startup_id))
        else:
            form.add_errors(services.check_answers(found, form.answers()))
    return render_template(
        "alumni/survey.html",
        survey=found,
        startup=startup,
        cohort=cohort,
        form=form,
        closed=closed,
        open_until=services.open_until(found),
        earlier=services.earlier_answers(found)[:1],
        on_behalf=current_actor().is_staff,
    )


def _initial(survey: Survey) -> dict:
    return {
        "raised": survey.raised_cents,
        "currency": survey.currency,
        "round_type": survey.round_type.value if survey.round_type else "",
        "headcount": survey.headcount,
        "revenue_band": survey.revenue_band.value if survey.revenue_band else "",
        "outcome": survey.outcome.value if survey.outcome else "",
        "contracts": survey.contracts,
        "contract_value": survey.contract_cents,
        "comment": survey.comment,
    }
