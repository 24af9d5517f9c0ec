"""Staff pages of a cohort: the progress board (flags, milestones, this period's check-ins),
the check-ins of a period, and the milestone plan with its cadence."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accelerator.applications.models import Startup
from accelerator.applications.queries import timezone_of
from accelerator.auth.models import Role
from accelerator.core.cache import kept, kept_body
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate, paginate_rows
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.timeutil import local_today
from accelerator.extensions import db
from accelerator.grants.queries import tranche_choices
from accelerator.milestones import bp, forms, plans, queries
from accelerator.milestones.checkins import KPI_FIELDS
from accelerator.milestones.models import CheckIn, CheckinSchedule, Milestone, MilestoneTemplate
from accelerator.milestones.periods import (
    cadence_of,
    period_containing,
    period_named,
    started_periods,
)
from accelerator.programs.models import Cohort, Enrollment, Program


def _cadence(cohort_id: int):
    """The cohort's check-in cadence, kept until a schedule changes."""
    return kept(
        "cohort-cadence", cohort_id, reads=(CheckinSchedule,), compute=lambda: cadence_of(cohort_id)
    )


@bp.route("/milestones/")
@role_required(Role.STAFF)
def index():
    page = paginate(queries.cohorts_with_startups_statement())
    return render_template("milestones/index.html", page=page)


def _cohort(cohort_id: int) -> Cohort:
    cohort = db.session.scalar(
        select(Cohort)
        .options(joinedload(Cohort.program))
        .where(Cohort.id == cohort_id)
        .execution_options(populate_existing=True)
    )
    if cohort is None:
        abort(404)
    return cohort


#: What a cohort's progress board reads (its startups, their milestones and check-ins, the
#: at-risk rules' data, the mentor requests): a committed write to any of them renews it.
PROGRESS_READS = (
    Cohort,
    Program,
    Enrollment,
    Startup,
    Milestone,
    CheckIn,
    CheckinSchedule,
    *queries.RISK_READS,
)


@bp.route("/milestones/cohorts/<int:cohort_id>")
@role_required(Role.STAFF)
def cohort(cohort_id: int):
    cohort = _cohort(cohort_id)
    timezone = timezone_of(cohort)
    today = local_today(timezone)
    cadence = _cadence(cohort.id)  # the header names the current period
    current = period_containing(cohort.starts_on, cohort.ends_on, cadence, today)

    def body() -> str:
        rows = queries.cohort_enrollments(cohort.id)
        milestones = queries.milestones_of(e.id for e, _s in rows)
        this_period = (
            queries.checkins_for_period((e.id for e, _s in rows), current.starts_on)
            if current
            else {}
        )
        return render_template(
            "milestones/_cohort_body.html",
            cohort=cohort,
            rows=rows,
            milestones=milestones,
            current=current,
            this_period=this_period,
            flags=queries.cohort_flags(cohort.id, [s.id for _e, s in rows]),
            requests=queries.mentor_requests(cohort.id),
            today=today,
        )

    # The same for every staff member on the cohort's day (its "overdue", "at risk" and this
    # period's check-ins are the day's); the button that posts stays outside. Kept as rendered
    # until the day ends or a table it reads changes.
    return render_template(
        "milestones/cohort.html",
        cohort=cohort,
        timezone=timezone,
        current=current,
        today=today,
        confirm_form=ConfirmForm(),
        body=kept_body(
            "milestones-cohort", reads=PROGRESS_READS, render=body, key=today.isoformat()
        ),
    )


#: What a period's check-ins table reads (the cohort's enrolled startups, their check-ins): a
#: committed write to any of them renews it.
CHECKINS_READS = (Enrollment, Startup, CheckIn)


@bp.route("/milestones/cohorts/<int:cohort_id>/checkins")
@role_required(Role.STAFF)
def cohort_checkins(cohort_id: int):
    cohort = _cohort(cohort_id)
    timezone = timezone_of(cohort)
    today = local_today(timezone)
    cadence = _cadence(cohort.id)
    periods = started_periods(cohort.starts_on, cohort.ends_on, cadence, today)
    if not periods:
        abort(404)
    period = period_named(periods, request.args.get("period")) or periods[-1]

    def body() -> str:
        page = paginate_rows(
            queries.enrolled_statement(cohort.id), queries.enrolled_count_statement(cohort.id)
        )
        return render_template(
            "milestones/_checkins_body.html",
            cohort=cohort,
            page=page,
            rows=page.items,
            checkins=queries.checkins_for_period((e.id for e, _s in page.items), period.starts_on),
            kpis=KPI_FIELDS,
        )

    # The same for every staff member asking for the same period and page: the table is kept
    # as rendered under the period shown (without `?period=`, the day's) until an enrollment,
    # a startup or a check-in changes. The heading and the periods' links are rendered on
    # each view.
    return render_template(
        "milestones/cohort_checkins.html",
        cohort=cohort,
        timezone=timezone,
        period=period,
        periods=periods,
        body=kept_body(
            "milestones-checkins",
            reads=CHECKINS_READS,
            render=body,
            key=period.starts_on.isoformat(),
        ),
    )


# --- the plan -------------------------------------------------------------------------------


def render_plan(cohort: Cohort, *, open_form: str | None = None, **bound):
    """The plan page; an action shown again passes its bound form by name (a line's form in
    `edit_forms` by line id) and the form to open."""
    tranches = tranche_choices(cohort)
    lines = plans.templates_of(cohort.id)
    edit_forms = {
        line.id: forms.TemplateForm(
            prefix=f"line-{line.id}",
            tranches=tranches,
            formdata=None,
            obj=line,
            data={"tranche_key": line.tranche_key or ""},
        )
        for line in lines
    }
    edit_forms.update(bound.get("edit_forms", {}))
    return render_template(
        "milestones/plan.html",
        cohort=cohort,
        timezone=timezone_of(cohort),
        lines=lines,
        tranche_names=dict(tranches),
        due_dates={line.id: plans.due_date(cohort, line.due_week) for line in lines},
        edit_forms=edit_forms,
        add_form=bound.get("add_form")
        or forms.TemplateForm(prefix="new", tranches=tranches, formdata=None),
        copy_form=bound.get("copy_form")
        or forms.CopyPlanForm(cohorts=plans.earlier_plans(cohort), formdata=None),
        cadence_form=bound.get("cadence_form")
        or forms.CadenceForm(formdata=None, data={"cadence": cadence_of(cohort.id).value}),
        confirm_form=ConfirmForm(formdata=None),
        open_form=open_form,
    )


@bp.route("/milestones/cohorts/<int:cohort_id>/plan")
@role_required(Role.STAFF)
def plan(cohort_id: int):
    return render_plan(_cohort(cohort_id))


def _plan_form(cohort: Cohort, form, act, message: str, open_form: str, **bound):
    """A plan action through its form: `act()` calls the service; an invalid or refused form
    is shown again, open, with what was typed."""
    if form.validate_on_submit():
        with refusals_beside(form):
            act()
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("milestones.plan", cohort_id=cohort.id))
    return render_plan(cohort, open_form=open_form, **bound)


def _plan_button(cohort_id: int, act):
    """A plan action behind a confirm button: `act()` calls the service and says what it did;
    a refusal shows the plan page with its message."""
    refusal_page(url_for("milestones.plan", cohort_id=cohort_id))
    if ConfirmForm().validate_on_submit():
        message = act()
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("milestones.plan", cohort_id=cohort_id))


@bp.route("/milestones/cohorts/<int:cohort_id>/plan/lines", methods=["POST"])
@role_required(Role.STAFF)
def add_template(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = forms.TemplateForm(prefix="new", tranches=tranche_choices(cohort))
    return _plan_form(
        cohort,
        form,
        lambda: plans.add_template(cohort, actor=current_actor(), data=form.to_input()),
        _("Milestone added to the plan; enrolled startups have it now."),
        "add",
        add_form=form,
    )


@bp.route("/milestones/plan-lines/<int:template_id>", methods=["POST"])
@role_required(Role.STAFF)
def edit_template(template_id: int):
    line = get_or_404(MilestoneTemplate, template_id)
    cohort = _cohort(line.cohort_id)
    form = forms.TemplateForm(prefix=f"line-{line.id}", tranches=tranche_choices(cohort))
    return _plan_form(
        cohort,
        form,
        lambda: plans.update_template(line, actor=current_actor(), data=form.to_input()),
        _("Plan line saved."),
        f"line-{line.id}",
        edit_forms={line.id: form},
    )


@bp.route("/milestones/plan-lines/<int:template_id>/delete", methods=["POST"])
@role_required(Role.STAFF)
def delete_template(template_id: int):
    line = get_or_404(MilestoneTemplate, template_id)

    def act():
        plans.delete_template(line, actor=current_actor())
        return _("Plan line removed.")

    return _plan_button(line.cohort_id, act)


@bp.route("/milestones/cohorts/<int:cohort_id>/plan/default", methods=["POST"])
@role_required(Role.STAFF)
def use_default_plan(cohort_id: int):
    cohort = _cohort(cohort_id)

    def act():
        plans.use_default_plan(cohort, actor=current_actor())
        return _("Default plan set.")

    return _plan_button(cohort.id, act)


@bp.route("/milestones/cohorts/<int:cohort_id>/create-milestones", methods=["POST"])
@role_required(Role.STAFF)
def create_for_enrolled(cohort_id: int):
    cohort = _cohort(cohort_id)

    def act():
        plans.ensure_plan(cohort, actor=current_actor())
        created = plans.create_for_enrolled(cohort, actor=current_actor())
        return _("%(n)d milestone(s) created for the enrolled startups.", n=created)

    return _plan_button(cohort.id, act)


@bp.route("/milestones/cohorts/<int:cohort_id>/plan/copy", methods=["POST"])
@role_required(Role.STAFF)
def copy_plan(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = forms.CopyPlanForm(cohorts=plans.earlier_plans(cohort))

    def act():
        source = db.session.get(Cohort, int(form.source.data))
        plans.copy_plan(cohort, source=source, actor=current_actor())

    return _plan_form(cohort, form, act, _("Plan copied."), "copy", copy_form=form)


@bp.route("/milestones/cohorts/<int:cohort_id>/cadence", methods=["POST"])
@role_required(Role.STAFF)
def set_cadence(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = forms.CadenceForm()
    return _plan_form(
        cohort,
        form,
        lambda: plans.set_cadence(cohort, actor=current_actor(), cadence=form.cadence.data),
        _("Check-in cadence saved."),
        "cadence",
        cadence_form=form,
    )
