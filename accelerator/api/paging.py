"""Cursor pagination for /api/v1 lists: a stable order by id, an opaque cursor, `limit`.

A page is `{"items": [...], "next_cursor": "..." | null}` with a `Link: <...>; rel="next"`
header; the cursor is the base64 of the last id seen, so rows added meanwhile never shift a
page. A list costs a fixed number of statements whatever its size: its query says what it
loads.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from flask import g, request
from marshmallow import Schema, fields, validate
from sqlalchemy import Select

from accelerator.core.errors import Invalid
from accelerator.core.i18n import gettext as _
from accelerator.core.urls import MAX_ROW_ID
from accelerator.extensions import db

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_PAGES: dict[str, type[Schema]] = {}


class ListArgs(Schema):
    """The query arguments every list takes."""

    cursor = fields.String(
        load_default=None, metadata={"description": "next_cursor of the previous page"}
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )


def page_of(item: type[Schema]) -> type[Schema]:
    """The schema of a page of `item` (one per item schema, named after it)."""
    name = item.__name__.removesuffix("Schema") + "Page"
    if name not in _PAGES:
        _PAGES[name] = type(
            name,
            (Schema,),
            {
                "items": fields.List(fields.Nested(item), required=True),
                "next_cursor": fields.String(required=True, allow_none=True),
                "Meta": type("Meta", (), {"ordered": True}),
            },
        )
    return _PAGES[name]


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([last_id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The last id of the previous page, or None for the first; 422 beside `cursor` if forged."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        (last_id,) = json.loads(base64.urlsafe_b64decode(padded.encode()))
        whole = isinstance(last_id, int) and not isinstance(last_id, bool)
        if whole and 0 <= last_id <= MAX_ROW_ID:  # an id an id column holds
            return last_id
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        pass
    raise Invalid(_("This cursor is not one this API gave."), field="cursor")


def paginate(statement: Select, id_column, args: dict[str, Any]) -> dict[str, Any]:
    """One page of `statement` (ordered by `id_column`, after the cursor) as the page body;
    the next page's URL goes into the Link header."""
    after = decode_cursor(args.get("cursor"))
    limit = args.get("limit") or DEFAULT_LIMIT
    if after is not None:
        statement = statement.where(id_column > after)
    rows = list(db.session.scalars(statement.order_by(id_column).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1].id) if more else None
    if next_cursor:
        query = {**request.args.to_dict(), "cursor": next_cursor}
        from urllib.parse import urlencode

        g.api_next_link = f'<{request.base_url}?{urlencode(query)}>; rel="next"'
    return {"items": rows, "next_cursor": next_cursor}
