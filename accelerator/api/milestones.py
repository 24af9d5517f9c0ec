"""/api/v1 milestones and check-ins; a founder submits their startup's check-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import false, select

from accelerator.api import paging
from accelerator.api.filters import Id, narrowed
from accelerator.api.queries import one, only_visible
from accelerator.api.resources import resource_blueprint
from accelerator.auth.models import Role
from accelerator.core.errors import NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor
from accelerator.extensions import db
from accelerator.milestones import queries, services
from accelerator.milestones.models import CheckIn, Health, Milestone, MilestoneStatus
from accelerator.milestones.schemas import CheckInInputSchema, CheckInSchema, MilestoneSchema
from accelerator.programs.models import Enrollment

blp = resource_blueprint(
    "milestones",
    __name__,
    scope="milestones",
    label=_l("Milestones and check-ins"),
    description="Startups' milestones and periodic check-ins; founders submit check-ins.",
)


def _narrowed(statement, *, mentors: bool):
    """Rows of the startups the user follows: staff all, founders their own, matched mentors
    theirs when `mentors` (check-ins, not milestones: the pages' rule)."""
    if not mentors and current_user.role == Role.MENTOR and not current_user.is_staff:
        return statement.where(false())
    return only_visible(statement, Enrollment.startup_id, current_user)


def _milestones():
    statement = select(Milestone).join(Enrollment, Enrollment.id == Milestone.enrollment_id)
    return _narrowed(statement, mentors=False)


def _checkins():
    statement = select(CheckIn).join(Enrollment, Enrollment.id == CheckIn.enrollment_id)
    return _narrowed(statement, mentors=True)


class MilestoneArgs(paging.ListArgs):
    enrollment_id = Id()
    startup_id = Id()
    status = fields.Enum(
        MilestoneStatus,
        by_value=True,
        load_default=None,
        metadata={"description": "as stored; overdue: still due before today (UTC)"},
    )
    due_after = fields.Date(load_default=None, metadata={"description": "due on or after"})
    due_before = fields.Date(load_default=None, metadata={"description": "due before"})


@blp.route("/milestones")
@blp.arguments(MilestoneArgs, location="query")
@blp.response(200, paging.page_of(MilestoneSchema))
def list_milestones(args):
    """Milestones: staff all; founders their startup's; by enrollment, status, due date."""
    from accelerator.core.types import utcnow

    statement = narrowed(
        _milestones(),
        args,
        equal={"enrollment_id": Milestone.enrollment_id, "startup_id": Enrollment.startup_id},
        since={"due_after": Milestone.due_on},
        before={"due_before": Milestone.due_on},
    )
    if args["status"] == MilestoneStatus.OVERDUE:
        statement = statement.where(Milestone.overdue_on(utcnow().date()))
    elif args["status"] is not None:
        statement = statement.where(Milestone.status == args["status"])
    return paging.paginate(statement, Milestone.id, args)


@blp.route("/milestones/<int:milestone_id>")
@blp.response(200, MilestoneSchema)
def get_milestone(milestone_id: int):
    """One milestone."""
    return one(_milestones().where(Milestone.id == milestone_id))


class CheckInArgs(paging.ListArgs):
    enrollment_id = Id()
    startup_id = Id()
    health = fields.Enum(Health, by_value=True, load_default=None)
    period_after = fields.Date(load_default=None, metadata={"description": "periods from"})
    period_before = fields.Date(load_default=None, metadata={"description": "periods before"})


@blp.route("/checkins")
@blp.arguments(CheckInArgs, location="query")
@blp.response(200, paging.page_of(CheckInSchema))
def list_checkins(args):
    """Check-ins: staff all; founders their startup's; mentors their matched startups'."""
    statement = narrowed(
        _checkins(),
        args,
        equal={
            "enrollment_id": CheckIn.enrollment_id,
            "startup_id": Enrollment.startup_id,
            "health": CheckIn.health,
        },
        since={"period_after": CheckIn.period_on},
        before={"period_before": CheckIn.period_on},
    )
    return paging.paginate(statement, CheckIn.id, args)


@blp.route("/checkins/<int:checkin_id>")
@blp.response(200, CheckInSchema)
def get_checkin(checkin_id: int):
    """One check-in."""
    return one(_checkins().where(CheckIn.id == checkin_id))


def _reporting_enrollment(enrollment_id: int | None) -> Enrollment:
    """The enrollment a check-in is for: the one named (404 if not the user's to see), or the
    founder's latest cohort's."""
    if enrollment_id is not None:
        statement = only_visible(select(Enrollment), Enrollment.startup_id, current_user)
        return one(statement.where(Enrollment.id == enrollment_id))
    mine = queries.founder_enrollments(current_user)
    if not mine:
        raise NotAllowed(_("Only the startup's founders can fill its check-ins."))
    return db.session.get(Enrollment, mine[0])


@blp.route("/checkins", methods=["POST"])
@blp.arguments(CheckInInputSchema)
@blp.response(201, CheckInSchema)
def submit_checkin(data):
    """Submit the founder's check-in for a period (the page's rules: one per period, a period
    that has started, while the cohort runs)."""
    enrollment = _reporting_enrollment(data["enrollment_id"])
    checkin = services.submit_checkin(
        enrollment,
        actor=current_actor(),
        period_on=data["period"],
        data=services.CheckinInput(
            health=data["health"],
            revenue_cents=data["revenue"],
            active_users=data["active_users"],
            headcount=data["headcount"],
            raised_cents=data["raised"],
            pilots=data["pilots"],
            highlights=data["highlights"],
            blockers=data["blockers"],
            asks=data["asks"],
        ),
    )
    db.session.commit()
    return checkin
