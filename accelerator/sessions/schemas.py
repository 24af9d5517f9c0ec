"""How mentor sessions read as JSON: the summary both sides share, never the private notes."""

from __future__ import annotations

from marshmallow import Schema, fields

from accelerator.core.schemas import Time
from accelerator.sessions.models import SessionFormat, SessionState


class SessionSchema(Schema):
    """A session as the startup's founders read it (no private notes, no red flag)."""

    id = fields.Integer(required=True)
    match_id = fields.Integer(required=True)
    cohort_id = fields.Integer(required=True)
    mentor_id = fields.Integer(required=True)
    startup_id = fields.Integer(required=True)
    starts_at = Time(required=True)
    duration_minutes = fields.Integer(required=True)
    format = fields.Enum(SessionFormat, by_value=True, required=True)
    summary = fields.String(required=True, metadata={"description": "shared with the founders"})
    state = fields.Enum(SessionState, by_value=True, required=True)
    confirmed_at = Time(required=True, allow_none=True)
    created_at = Time(required=True)
