"""How startups and applications read as JSON, and what an API client may write into a draft.

The answers are the field list's (`applications.fields.APPLICATION_FIELDS`): read and written
under the same keys, money answers in minor units with the answers' `currency`.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from accelerator.applications.fields import APPLICATION_FIELDS
from accelerator.applications.models import ApplicationStatus, Stage
from accelerator.core.schemas import Embedded, Time


def _answer_field(kind: str, **kwargs) -> fields.Field:
    if kind in ("money", "count"):
        return fields.Integer(strict=True, allow_none=True, **kwargs)
    return fields.String(allow_none=True, **kwargs)


def _described(field) -> dict:
    return {"metadata": {"description": str(field.label)}}


#: The answers as read: every key, null when not answered yet.
AnswersSchema = Schema.from_dict(
    {f.key: _answer_field(f.kind, required=True, **_described(f)) for f in APPLICATION_FIELDS},
    name="Answers",
)
#: The answers as written: any of the keys; values are checked by the services (the page's rules).
AnswersInSchema = Schema.from_dict(
    {f.key: _answer_field(f.kind, **_described(f)) for f in APPLICATION_FIELDS},
    name="AnswersIn",
)


class StatusChangeSchema(Schema):
    at = Time(required=True)
    status = fields.Enum(ApplicationStatus, by_value=True, required=True)


class ApplicationSchema(Schema):
    id = fields.Integer(required=True)
    cohort_id = fields.Integer(required=True)
    startup_id = fields.Integer(required=True)
    status = fields.Enum(ApplicationStatus, by_value=True, required=True)
    answers = Embedded(AnswersSchema, required=True)
    has_pitch_deck = fields.Boolean(required=True)
    status_history = fields.List(fields.Nested(StatusChangeSchema), required=True)
    created_at = Time(required=True)
    updated_at = Time(required=True)
    submitted_at = Time(required=True, allow_none=True)
    withdrawn_at = Time(required=True, allow_none=True)


class ApplicationCreateSchema(Schema):
    cohort_id = fields.Integer(required=True, strict=True, validate=validate.Range(1, 2**31 - 1))
    answers = fields.Nested(AnswersInSchema, load_default=dict)


class ApplicationUpdateSchema(Schema):
    answers = fields.Nested(AnswersInSchema, required=True)


class StartupSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    website = fields.String(required=True, allow_none=True)
    country = fields.String(required=True, allow_none=True, metadata={"example": "FR"})
    sector = fields.String(required=True, allow_none=True)
    stage = fields.Enum(Stage, by_value=True, required=True, allow_none=True)
    founded_year = fields.Integer(required=True, allow_none=True)
    team_size = fields.Integer(required=True, allow_none=True)
    description = fields.String(required=True)
    created_at = Time(required=True)
    updated_at = Time(required=True)
