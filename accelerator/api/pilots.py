"""/api/v1 pilots with business units, and recording a running pilot's go/no-go decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import false, select

from accelerator.api import paging
from accelerator.api.filters import Id, narrowed
from accelerator.api.queries import one, visible_startup_ids
from accelerator.api.resources import resource_blueprint
from accelerator.auth.models import Role
from accelerator.core.permissions import current_actor
from accelerator.extensions import db
from accelerator.pilots import queries, services
from accelerator.pilots.models import Decision, Pilot, PilotStatus
from accelerator.pilots.schemas import DecisionInputSchema, PilotSchema

blp = resource_blueprint(
    "pilots",
    __name__,
    scope="pilots",
    label=_l("Pilots"),
    description="Pilots of startups with the sponsor's business units, and their decisions.",
)


def _pilots():
    """Staff all; a partner their unit's; founders and matched mentors their startup's
    (pilots.policies.can_view_pilot)."""
    statement = select(Pilot)
    if current_user.is_staff:
        return statement
    if current_user.role == Role.PARTNER:
        unit_id = queries.partner_unit_id(current_user)
        return (
            statement.where(Pilot.business_unit_id == unit_id)
            if unit_id
            else statement.where(false())
        )
    startups = visible_startup_ids(current_user) or set()
    return statement.where(Pilot.startup_id.in_(startups)) if startups else statement.where(false())


class PilotArgs(paging.ListArgs):
    status = fields.Enum(PilotStatus, by_value=True, load_default=None)
    decision = fields.Enum(Decision, by_value=True, load_default=None)
    startup_id = Id()
    business_unit_id = Id()
    cohort_id = Id()
    decision_after = fields.Date(
        load_default=None, metadata={"description": "decision due on or after"}
    )
    decision_before = fields.Date(
        load_default=None, metadata={"description": "decision due before"}
    )


@blp.route("/pilots")
@blp.arguments(PilotArgs, location="query")
@blp.response(200, paging.page_of(PilotSchema))
def list_pilots(args):
    """Pilots: by status, decision, startup, unit, cohort and the decision's due date."""
    statement = _pilots()
    names = ("status", "decision", "startup_id", "business_unit_id", "cohort_id")
    statement = narrowed(
        statement,
        args,
        equal={name: getattr(Pilot, name) for name in names},
        since={"decision_after": Pilot.decision_on},
        before={"decision_before": Pilot.decision_on},
    )
    return paging.paginate(statement, Pilot.id, args)


@blp.route("/pilots/<int:pilot_id>")
@blp.response(200, PilotSchema)
def get_pilot(pilot_id: int):
    """One pilot."""
    return one(_pilots().where(Pilot.id == pilot_id))


@blp.route("/pilots/<int:pilot_id>/decision", methods=["POST"])
@blp.arguments(DecisionInputSchema)
@blp.response(200, PilotSchema)
def decide_pilot(data, pilot_id: int):
    """Record a running pilot's go/no-go decision: staff and the unit's partners (the page's
    rule); go with the contract's value, no-go with the reason."""
    pilot = one(_pilots().where(Pilot.id == pilot_id))
    services.decide_pilot(
        pilot,
        decision=data["decision"],
        actor=current_actor(),
        contract_reference=data["contract_reference"],
        contract_value_cents=data["contract_value"],
        reason=data["reason"],
    )
    db.session.commit()
    return one(_pilots().where(Pilot.id == pilot_id))
