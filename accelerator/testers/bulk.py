"""Testers added and updated in bulk, in Core statements (never an ORM object per line), in
chunks of 2,000: on PostgreSQL one INSERT ... SELECT or UPDATE ... FROM json_to_recordset per
chunk (one parameter, one statement compiled once); elsewhere an executemany (SQLite runs
in-process: no round trip per row)."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Text, bindparam, column, func, insert, select, update

from accelerator.extensions import db

CHUNK = 2_000


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _as_recordset(table, keys: list[str], rows: list[dict[str, Any]]):
    """The rows as one JSON document read back by json_to_recordset, typed as the table's
    columns: one parameter per chunk, one statement compiled once (PostgreSQL)."""
    from sqlalchemy.dialects.postgresql import JSON as PG_JSON
    from sqlalchemy.dialects.postgresql import TIMESTAMP

    def kind(key: str):
        if key == "id":
            return Integer()
        if key.endswith("_at"):
            return TIMESTAMP(timezone=True)
        return PG_JSON() if key == "interests" else Text()

    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        return value.value if isinstance(value, enum.Enum) else value

    document = [{k: plain(row[k]) for k in keys} for row in rows]
    records = (
        func.json_to_recordset(bindparam("_rows", document, PG_JSON()))
        .table_valued(*(column(key, kind(key)) for key in keys))
        .render_derived(name="given", with_types=True)
    )
    return select(*(records.c[key] for key in keys))


def insert_rows(table, rows: list[dict[str, Any]]) -> None:
    """Add testers (the same keys in every row): on PostgreSQL one INSERT ... SELECT FROM
    json_to_recordset per chunk; elsewhere an executemany (SQLite runs in-process: no round
    trip per row)."""
    if not _postgresql():
        db.session.execute(insert(table), rows)
        return
    keys = list(rows[0])
    db.session.execute(insert(table).from_select(keys, _as_recordset(table, keys, rows)))


def update_rows(table, rows: list[dict[str, Any]]) -> None:
    """Update testers by id, each row its own values (the same keys in every row): on
    PostgreSQL one UPDATE ... FROM json_to_recordset per chunk; elsewhere an executemany."""
    keys = [key for key in rows[0] if key != "id"]
    if not _postgresql():
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({key: bindparam(f"_{key}") for key in keys})
        )
        db.session.execute(statement, [{f"_{k}": v for k, v in row.items()} for row in rows])
        return
    given = _as_recordset(table, ["id", *keys], rows).subquery("given")
    db.session.execute(
        update(table).where(table.c.id == given.c.id).values({k: given.c[k] for k in keys})
    )
