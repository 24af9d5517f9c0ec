"""How milestones and check-ins read as JSON, and what a check-in submitted by the API holds."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from accelerator.core.schemas import Money, Time
from accelerator.core.urls import MAX_ROW_ID
from accelerator.milestones.models import (
    MAX_HEADCOUNT,
    MAX_PILOTS,
    MAX_RAISED_CENTS,
    MAX_REVENUE_CENTS,
    MAX_TEXT,
    MAX_USERS,
    AskState,
    Health,
    MilestoneStatus,
)


class MilestoneSchema(Schema):
    id = fields.Integer(required=True)
    enrollment_id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    kpi_targets = fields.String(required=True)
    due_on = fields.Date(required=True, metadata={"description": "in the program's timezone"})
    status = fields.Enum(
        MilestoneStatus, by_value=True, required=True, metadata={"description": "as stored"}
    )
    tranche_key = fields.String(required=True, allow_none=True)
    submitted_at = Time(required=True, allow_none=True)
    reviewed_at = Time(required=True, allow_none=True)
    created_at = Time(required=True)


class CheckInSchema(Schema):
    id = fields.Integer(required=True)
    enrollment_id = fields.Integer(required=True)
    period_on = fields.Date(required=True, metadata={"description": "first day of the period"})
    health = fields.Enum(Health, by_value=True, required=True)
    revenue = Money("revenue_cents", required=True, metadata={"description": "monthly revenue"})
    raised = Money("raised_cents", required=True, metadata={"description": "raised this period"})
    active_users = fields.Integer(required=True)
    headcount = fields.Integer(required=True)
    pilots = fields.Integer(required=True)
    highlights = fields.String(required=True)
    blockers = fields.String(required=True)
    asks = fields.String(required=True)
    ask_state = fields.Enum(AskState, by_value=True, required=True)
    staff_comment = fields.String(required=True)
    commented_at = Time(required=True, allow_none=True)
    created_at = Time(required=True)
    updated_at = Time(required=True)


def _count(description: str = "") -> fields.Integer:
    return fields.Integer(
        load_default=None, metadata={"description": description} if description else {}
    )


class CheckInInputSchema(Schema):
    """A founder's check-in for one period, by the page form's field names; money in minor
    units of the cohort's currency. The check-in service checks every value, with the page's
    messages (422 beside the field)."""

    enrollment_id = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0, max=MAX_ROW_ID),
        metadata={"description": "the founder's enrollment; default: their latest cohort's"},
    )
    period = fields.Date(load_default=None, metadata={"description": "first day of the period"})
    health = fields.String(load_default=None, metadata={"enum": [h.value for h in Health]})
    revenue = _count(f"monthly revenue, minor units (at most {MAX_REVENUE_CENTS})")
    active_users = _count(f"at most {MAX_USERS}")
    headcount = _count(f"at most {MAX_HEADCOUNT}")
    raised = _count(f"money raised this period, minor units (at most {MAX_RAISED_CENTS})")
    pilots = _count(f"at most {MAX_PILOTS}")
    highlights = fields.String(load_default="", metadata={"maxLength": MAX_TEXT})
    blockers = fields.String(load_default="", metadata={"maxLength": MAX_TEXT})
    asks = fields.String(load_default="", metadata={"maxLength": MAX_TEXT})
