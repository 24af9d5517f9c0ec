"""How demo days and their guests read as JSON (for staff; never a guest's personal link)."""

from __future__ import annotations

from marshmallow import Schema, fields

from accelerator.core.schemas import Time
from accelerator.demoday.models import GuestKind, Rsvp


class DemoDaySchema(Schema):
    id = fields.Integer(required=True)
    cohort_id = fields.Integer(required=True)
    starts_at = Time(required=True)
    venue = fields.String(required=True)
    online_url = fields.String(required=True)
    description = fields.String(required=True)
    capacity = fields.Integer(required=True)
    seats_taken = fields.Integer(required=True)
    published_at = Time(required=True, allow_none=True)
    created_at = Time(required=True)


class GuestSchema(Schema):
    id = fields.Integer(required=True)
    demo_day_id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    firm = fields.String(required=True)
    kind = fields.Enum(GuestKind, by_value=True, required=True)
    rsvp = fields.Enum(Rsvp, by_value=True, required=True)
    plus_ones = fields.Integer(required=True)
    seats = fields.Integer(required=True)
    invited_at = Time(required=True, allow_none=True)
    responded_at = Time(required=True, allow_none=True)
    waitlisted_at = Time(required=True, allow_none=True)
    checked_in_at = Time(required=True, allow_none=True)
    created_at = Time(required=True)
