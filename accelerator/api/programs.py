"""/api/v1 programs, cohorts and enrollments (read only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import exists, select

from accelerator.api import paging
from accelerator.api.filters import Id, narrowed
from accelerator.api.queries import one, only_visible
from accelerator.api.resources import resource_blueprint
from accelerator.programs.models import Cohort, CohortState, Enrollment, Program
from accelerator.programs.schemas import CohortSchema, EnrollmentSchema, ProgramSchema

blp = resource_blueprint(
    "programs",
    __name__,
    scope="programs",
    label=_l("Programs and cohorts"),
    description="Programs, their cohorts (calls for applications) and enrollments.",
)


def _programs():
    statement = select(Program)
    if not current_user.is_staff:  # a program is public once one of its cohorts is
        published = select(Cohort.id).where(
            Cohort.program_id == Program.id, Cohort.state == CohortState.PUBLISHED
        )
        statement = statement.where(exists(published))
    return statement


def _cohorts():
    statement = select(Cohort)
    if not current_user.is_staff:
        statement = statement.where(Cohort.state == CohortState.PUBLISHED)
    return statement


@blp.route("/programs")
@blp.arguments(paging.ListArgs, location="query")
@blp.response(200, paging.page_of(ProgramSchema))
def list_programs(args):
    """Programs: every one for staff, those with a published cohort for others."""
    return paging.paginate(_programs(), Program.id, args)


@blp.route("/programs/<int:program_id>")
@blp.response(200, ProgramSchema)
def get_program(program_id: int):
    """One program."""
    return one(_programs().where(Program.id == program_id))


class CohortArgs(paging.ListArgs):
    program_id = Id()
    state = fields.Enum(CohortState, by_value=True, load_default=None)
    starts_after = fields.Date(load_default=None, metadata={"description": "starts on or after"})
    starts_before = fields.Date(load_default=None, metadata={"description": "starts before"})


@blp.route("/cohorts")
@blp.arguments(CohortArgs, location="query")
@blp.response(200, paging.page_of(CohortSchema))
def list_cohorts(args):
    """Cohorts: published ones, and drafts for staff; by program, state and start date."""
    statement = narrowed(
        _cohorts(),
        args,
        equal={"program_id": Cohort.program_id, "state": Cohort.state},
        since={"starts_after": Cohort.starts_on},
        before={"starts_before": Cohort.starts_on},
    )
    return paging.paginate(statement, Cohort.id, args)


@blp.route("/cohorts/<int:cohort_id>")
@blp.response(200, CohortSchema)
def get_cohort(cohort_id: int):
    """One cohort."""
    return one(_cohorts().where(Cohort.id == cohort_id))


class EnrollmentArgs(paging.ListArgs):
    cohort_id = Id()
    startup_id = Id()


def _enrollments():
    return only_visible(select(Enrollment), Enrollment.startup_id, current_user)


@blp.route("/enrollments")
@blp.arguments(EnrollmentArgs, location="query")
@blp.response(200, paging.page_of(EnrollmentSchema))
def list_enrollments(args):
    """Enrollments: staff see all; founders their startup's; mentors their startups'."""
    equal = {"cohort_id": Enrollment.cohort_id, "startup_id": Enrollment.startup_id}
    statement = narrowed(_enrollments(), args, equal=equal)
    return paging.paginate(statement, Enrollment.id, args)


@blp.route("/enrollments/<int:enrollment_id>")
@blp.response(200, EnrollmentSchema)
def get_enrollment(enrollment_id: int):
    """One enrollment."""
    return one(_enrollments().where(Enrollment.id == enrollment_id))
