"""Staff pages for programs and cohorts (public calls in public_views, tags in tag_views)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from accelerator.auth.models import Role
from accelerator.core import audit, history, hooks
from accelerator.core.cache import kept_body
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.extensions import db
from accelerator.programs import bp, queries, services
from accelerator.programs.forms import (
    CohortForm,
    ProgramForm,
    cohort_form_data,
    new_cohort_defaults,
)
from accelerator.programs.models import Cohort, Phase, Program

# Programs -------------------------------------------------------------------------------------


@bp.route("/programs")
@role_required(Role.STAFF)
def programs():
    rows = db.session.scalars(
        select(Program).options(selectinload(Program.cohorts)).order_by(Program.name)
    ).all()
    return render_template("programs/programs.html", programs=rows)


@bp.route("/programs/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new_program():
    form = ProgramForm(data=None if request.method == "POST" else {"timezone": "Europe/Paris"})
    if form.validate_on_submit():
        with refusals_beside(form):
            program = services.create_program(actor=current_actor(), **form.values())
            db.session.commit()
            flash(
                _("Program %(name)s created. Now add its first cohort.", name=program.name),
                "success",
            )
            return redirect(url_for("programs.program", program_id=program.id))
    return render_template("programs/program_form.html", form=form, program=None)


@bp.route("/programs/<int:program_id>")
@role_required(Role.STAFF)
def program(program_id: int):
    program = get_or_404(Program, program_id, options=[selectinload(Program.cohorts)])
    return render_template("programs/program.html", program=program)


@bp.route("/programs/<int:program_id>/edit", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit_program(program_id: int):
    program = get_or_404(Program, program_id)
    form = ProgramForm(obj=program)
    if form.validate_on_submit():
        with refusals_beside(form):
            services.update_program(program, actor=current_actor(), **form.values())
            db.session.commit()
            flash(_("Program saved."), "success")
            return redirect(url_for("programs.program", program_id=program.id))
    return render_template("programs/program_form.html", form=form, program=program)


# Cohorts --------------------------------------------------------------------------------------


def _cohort_form_page(form: CohortForm, program: Program, cohort: Cohort | None):
    form.add_blank_rows()
    return render_template("programs/cohort_form.html", form=form, program=program, cohort=cohort)


@bp.route("/programs/<int:program_id>/cohorts/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new_cohort(program_id: int):
    program = get_or_404(Program, program_id)
    defaults = None if request.method == "POST" else new_cohort_defaults(program.timezone)
    form = CohortForm(data=defaults, tz=program.timezone)
    if form.validate_on_submit():
        with refusals_beside(form):
            cohort = services.create_cohort(program, actor=current_actor(), data=form.to_input())
            db.session.commit()
            flash(
                _(
                    "Cohort %(name)s created as a draft. Publish it when it is ready.",
                    name=cohort.name,
                ),
                "success",
            )
            return redirect(url_for("programs.cohort", cohort_id=cohort.id))
    return _cohort_form_page(form, program, None)


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit_cohort(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id, options=[joinedload(Cohort.program)])
    tz = cohort.program.timezone
    form = CohortForm(
        data=None if request.method == "POST" else cohort_form_data(cohort, tz), tz=tz
    )
    if form.validate_on_submit():
        with refusals_beside(form):
            services.update_cohort(cohort, actor=current_actor(), data=form.to_input())
            db.session.commit()
            flash(_("Cohort saved."), "success")
            return redirect(url_for("programs.cohort", cohort_id=cohort.id))
    return _cohort_form_page(form, cohort.program, cohort)


@bp.route("/cohorts")
@role_required(Role.STAFF)
def cohorts():
    program_id, _cohort_id = queries.selected_filter(request.args)
    phase = request.args.get("phase", "")
    return render_template(
        "programs/cohorts.html",
        page=paginate(queries.cohorts_list(program_id=program_id, phase=phase)),
        phases=list(Phase),
        phase=phase,
    )


@bp.route("/cohorts/<int:cohort_id>")
@role_required(Role.STAFF)
def cohort(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id, options=[joinedload(Cohort.program)])

    def body() -> str:
        return render_template(
            "programs/_cohort_body.html",
            cohort=cohort,
            sections=hooks.cohort_staff.render(cohort=cohort),
            enrolled=queries.enrolled_count(cohort.id),
            history=history.entries(audit.events_of(cohort, newest_first=True, limit=10)),
            confirm_form=ConfirmForm(),
            can_unpublish=not services.has_participants(cohort),
        )

    # The same for every staff member: kept as rendered (its forms with each viewer's token)
    # until a table it reads changes, a day begins (a pilot's "overdue") or the phase moves.
    return render_template(
        "programs/cohort.html",
        cohort=cohort,
        body=kept_body(
            "cohort-page",
            reads=(*COHORT_PAGE_READS, *hooks.cohort_staff.reads()),
            render=body,
            forms=True,
        ),
    )


#: What the staff cohort page reads besides its domains' sections (`hooks.cohort_staff`): the
#: cohort, its enrollments and applications (whether it may be unpublished), and its history
#: with the people named.
COHORT_PAGE_READS = (Cohort, Program, "enrollments", "applications", "audit_events", "users")


def _change_state(cohort_id: int, change, message: str):
    cohort = get_or_404(Cohort, cohort_id)
    refusal_page(url_for("programs.cohort", cohort_id=cohort_id))
    if ConfirmForm().validate_on_submit():
        change(cohort, actor=current_actor())
        db.session.commit()
        flash(message % {"name": cohort.name}, "success")
    return redirect(url_for("programs.cohort", cohort_id=cohort_id))


@bp.route("/cohorts/<int:cohort_id>/publish", methods=["POST"])
@role_required(Role.STAFF)
def publish_cohort(cohort_id: int):
    return _change_state(
        cohort_id, services.publish_cohort, _("%(name)s is published on the calls page.")
    )


@bp.route("/cohorts/<int:cohort_id>/unpublish", methods=["POST"])
@role_required(Role.STAFF)
def unpublish_cohort(cohort_id: int):
    return _change_state(
        cohort_id, services.unpublish_cohort, _("%(name)s is back to draft and hidden.")
    )


from accelerator.programs import public_views, tag_views  # noqa: E402,F401
