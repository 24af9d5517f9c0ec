"""How mentor matches read as JSON (the pair and its state; never the score's reasons)."""

from __future__ import annotations

from marshmallow import Schema, fields

from accelerator.core.schemas import Time
from accelerator.mentoring.models import MatchStatus


class MatchSchema(Schema):
    id = fields.Integer(required=True)
    cohort_id = fields.Integer(required=True)
    startup_id = fields.Integer(required=True)
    mentor_id = fields.Integer(required=True)
    status = fields.Enum(MatchStatus, by_value=True, required=True)
    created_at = Time(required=True)
    confirmed_at = Time(required=True, allow_none=True)
    responded_at = Time(required=True, allow_none=True)
