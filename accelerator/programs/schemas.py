"""How programs, cohorts and enrollments read as JSON (the API's serialisers)."""

from __future__ import annotations

from marshmallow import Schema, fields

from accelerator.core.schemas import Money, Time
from accelerator.programs.models import CohortState, Phase


class ProgramSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    location = fields.String(required=True)
    timezone = fields.String(required=True, metadata={"example": "Europe/Paris"})
    description = fields.String(required=True)
    created_at = Time(required=True)


class CohortSchema(Schema):
    id = fields.Integer(required=True)
    program_id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    state = fields.Enum(CohortState, by_value=True, required=True)
    phase = fields.Enum(Phase, by_value=True, required=True)
    applications_open_at = Time(required=True)
    applications_close_at = Time(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    capacity = fields.Integer(required=True)
    grant = Money("grant_amount_cents", required=True)
    created_at = Time(required=True)


class EnrollmentSchema(Schema):
    id = fields.Integer(required=True)
    cohort_id = fields.Integer(required=True)
    startup_id = fields.Integer(required=True)
    application_id = fields.Integer(required=True)
    created_at = Time(required=True)
