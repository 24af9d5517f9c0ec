"""How grants and their ledger rows read as JSON, and a disbursement request as written."""

from __future__ import annotations

from marshmallow import Schema, fields

from accelerator.core.schemas import Money, Time
from accelerator.grants.models import DisbursementKind, DisbursementStatus


class GrantSchema(Schema):
    id = fields.Integer(required=True)
    enrollment_id = fields.Integer(required=True)
    startup_id = fields.Integer(required=True, attribute="enrollment.startup_id")
    cohort_id = fields.Integer(required=True, attribute="enrollment.cohort_id")
    amount = Money("amount_cents", required=True)
    committed = Money("committed_cents", required=True, metadata={"description": "not cancelled"})
    created_at = Time(required=True)
    updated_at = Time(required=True)


class DisbursementSchema(Schema):
    id = fields.Integer(required=True)
    grant_id = fields.Integer(required=True)
    kind = fields.Enum(DisbursementKind, by_value=True, required=True)
    tranche = fields.String(required=True, attribute="tranche_key")
    amount = Money("amount_cents", "grant.currency", required=True)
    status = fields.Enum(DisbursementStatus, by_value=True, required=True)
    note = fields.String(required=True)
    corrects_id = fields.Integer(required=True, allow_none=True)
    requested_at = Time(required=True)
    approved_at = Time(required=True, allow_none=True)
    paid_at = Time(required=True, allow_none=True)
    paid_on = fields.Date(required=True, allow_none=True)
    payment_reference = fields.String(required=True, allow_none=True)
    cancelled_at = Time(required=True, allow_none=True)
    cancel_reason = fields.String(required=True, allow_none=True)


class DisbursementRequestSchema(Schema):
    tranche = fields.String(required=True, metadata={"example": "kickoff"})
    amount = fields.Integer(required=True, strict=True, metadata={"description": "minor units"})
    note = fields.String(load_default="")
