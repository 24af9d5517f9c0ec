"""How reviews read as JSON (staff only: the API serves them to staff tokens)."""

from __future__ import annotations

from marshmallow import Schema, fields

from accelerator.core.schemas import Time
from accelerator.reviews.models import Confidence, Recommendation


class ScoreSchema(Schema):
    criterion = fields.String(required=True, attribute="criterion_key")
    score = fields.Integer(required=True)


class ReviewSchema(Schema):
    id = fields.Integer(required=True)
    application_id = fields.Integer(required=True)
    reviewer_id = fields.Integer(required=True)
    recommendation = fields.Enum(Recommendation, by_value=True, required=True)
    confidence = fields.Enum(Confidence, by_value=True, required=True)
    weighted_score = fields.Float(required=True)
    comment = fields.String(required=True)
    feedback_tags = fields.List(fields.String(), required=True)
    scores = fields.List(fields.Nested(ScoreSchema), required=True)
    submitted_at = Time(required=True)
    updated_at = Time(required=True)
