"""How test campaigns read as JSON: the campaign and its aggregate figures, never a tester."""

from __future__ import annotations

from marshmallow import Schema, fields

from accelerator.core.schemas import Time
from accelerator.testers.models import CampaignStatus


class CampaignFiguresSchema(Schema):
    """Counts for everyone; SUS and NPS only once MIN_GROUP people answered (else null)."""

    invited = fields.Integer(required=True)
    responses = fields.Integer(required=True)
    response_rate = fields.Float(
        required=True, allow_none=True, metadata={"description": "responses / invited, 0 to 1"}
    )
    sus_mean = fields.Float(required=True, allow_none=True, metadata={"description": "0 to 100"})
    nps = fields.Integer(required=True, allow_none=True, metadata={"description": "-100 to 100"})


class CampaignSchema(Schema):
    id = fields.Integer(required=True)
    startup_id = fields.Integer(required=True)
    cohort_id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.Enum(CampaignStatus, by_value=True, required=True)
    responses_wanted = fields.Integer(required=True)
    opens_on = fields.Date(required=True)
    closes_on = fields.Date(required=True)
    created_at = Time(required=True)
    closed_at = Time(required=True, allow_none=True)
    figures = fields.Nested(CampaignFiguresSchema, required=True)
