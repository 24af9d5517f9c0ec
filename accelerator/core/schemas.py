"""What every domain's API schemas (`<domain>/schemas.py`) share: money and times as JSON."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, utils


class MoneySchema(Schema):
    """Money as integer minor units (cents) and an ISO 4217 currency code."""

    amount = fields.Integer(required=True, metadata={"description": "minor units (cents)"})
    currency = fields.String(required=True, metadata={"example": "USD"})


class Money(fields.Nested):
    """A money object read from two attributes (dotted paths allowed):
    `{"amount": <cents>, "currency": "USD"}`."""

    def __init__(self, amount: str, currency: str = "currency", **kwargs: Any):
        super().__init__(MoneySchema, **kwargs)
        self.amount_attribute, self.currency_attribute = amount, currency

    def get_value(self, obj, attr, accessor=None, default=None):
        amount = utils.get_value(obj, self.amount_attribute)
        if amount is None:
            return None
        return {"amount": amount, "currency": utils.get_value(obj, self.currency_attribute)}


class Embedded(fields.Nested):
    """A nested object read from the object itself: `answers` drawn from an application's
    columns, without a table of its own."""

    def get_value(self, obj, attr, accessor=None, default=None):
        return obj


def Time(**kwargs: Any) -> fields.DateTime:  # noqa: N802  (a field, named as fields are)
    """A moment as ISO 8601 with its UTC offset (`2026-12-03T09:00:00+00:00`)."""
    return fields.DateTime(format="iso", **kwargs)


class ProblemSchema(Schema):
    """An RFC 9457 problem document, as `core.refusals.problem` writes it."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    request_id = fields.String(allow_none=True)
    field = fields.String(metadata={"description": "the input field the message is about"})
    errors = fields.Dict(
        keys=fields.String(), values=fields.String(), metadata={"description": "field -> message"}
    )
