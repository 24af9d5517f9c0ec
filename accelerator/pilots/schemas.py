"""How pilots read as JSON, and what a go/no-go decision sent through the API holds."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from accelerator.core.schemas import Money, Time
from accelerator.pilots.models import Decision, PilotStatus


class PilotSchema(Schema):
    id = fields.Integer(required=True)
    startup_id = fields.Integer(required=True)
    business_unit_id = fields.Integer(required=True)
    cohort_id = fields.Integer(required=True)
    title = fields.String(required=True)
    scope_in = fields.String(required=True)
    scope_out = fields.String(required=True)
    status = fields.Enum(PilotStatus, by_value=True, required=True)
    budget = Money("budget_cents", required=True, allow_none=True)
    starts_on = fields.Date(required=True, allow_none=True)
    ends_on = fields.Date(required=True, allow_none=True)
    decision_on = fields.Date(required=True, allow_none=True, metadata={"description": "due"})
    decision = fields.Enum(Decision, by_value=True, required=True, allow_none=True)
    decided_at = Time(required=True, allow_none=True)
    contract_reference = fields.String(required=True, allow_none=True)
    contract_value = Money("contract_value_cents", required=True, allow_none=True)
    no_go_reason = fields.String(required=True, allow_none=True)
    created_at = Time(required=True)
    started_at = Time(required=True, allow_none=True)
    closed_at = Time(required=True, allow_none=True)


class DecisionInputSchema(Schema):
    """A running pilot's decision (the page's form): go with the contract's value, or no-go
    with the reason."""

    decision = fields.Enum(Decision, by_value=True, required=True)
    contract_reference = fields.String(load_default="", validate=validate.Length(max=120))
    contract_value = fields.Integer(
        load_default=None,
        metadata={"description": "go: the contract's value in minor units of the pilot's currency"},
    )
    reason = fields.String(load_default="", validate=validate.Length(max=4000))
