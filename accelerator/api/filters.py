"""The query and body fields of /api/v1 filters: ids and moments bounded like the database's."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from marshmallow import fields, validate
from sqlalchemy import Select

from accelerator.core.urls import MAX_ROW_ID

#: Moments a filter accepts: wide enough for any record, narrow enough to convert to UTC.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def Id(**kwargs: Any) -> fields.Integer:  # noqa: N802  (a field, named as fields are)
    """An object's id (0 to MAX_ROW_ID: no number an id column cannot hold reaches it)."""
    kwargs.setdefault("load_default", None)
    return fields.Integer(strict=False, validate=validate.Range(min=0, max=MAX_ROW_ID), **kwargs)


def Moment(**kwargs: Any) -> fields.AwareDateTime:  # noqa: N802
    """An ISO 8601 moment with its offset, between 1900 and 9000."""
    kwargs.setdefault("load_default", None)
    return fields.AwareDateTime(
        format="iso", validate=validate.Range(min=EARLIEST, max=LATEST), **kwargs
    )


def narrowed(
    statement: Select,
    args: Mapping[str, Any],
    *,
    equal: Mapping[str, Any] | None = None,
    since: Mapping[str, Any] | None = None,
    before: Mapping[str, Any] | None = None,
) -> Select:
    """The statement narrowed by each filter given: column ==, >= or < it (equal, since, before)."""
    for columns, compare in ((equal, operator.eq), (since, operator.ge), (before, operator.lt)):
        for name, column in (columns or {}).items():
            if args[name] is not None:
                statement = statement.where(compare(column, args[name]))
    return statement
