"""Links: for mail, built from PUBLIC_BASE_URL; after a form, only back to this site."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import current_app
from werkzeug.routing import IntegerConverter

#: The largest id a URL or a query argument may name: a signed 64-bit integer, what both
#: databases hold. A bigger number names nothing (404), never an OverflowError (500).
MAX_ID = 2**63 - 1
#: The largest row id: ids are INTEGER columns (int4 in PostgreSQL, which refuses a bigger
#: number compared with one: a 500). A URL's `<int:...>` and the API's id filters stop here.
MAX_ROW_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in every route: digits up to MAX_ROW_ID; a bigger number does not match
    (404)."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None, max=None, **kw):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max or MAX_ROW_ID, **kw)


def bounded_int(text: str | int | None) -> int | None:
    """A number from a query string or a form: a whole number between 0 and MAX_ID, or None.

    The one way to read an integer a request sent, bounded like the ids in URLs, so that no
    number reaches the database bigger than it holds (SQLite's OverflowError, a 500):
    `request.args.get("cohort", type=bounded_int)`, `SelectField(coerce=bounded_int)` (a bad
    value is then not a valid choice), and `core.forms.BoundedIntegerField` for typed numbers.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 0 <= text <= MAX_ID else None
    text = text.strip() if isinstance(text, str) else ""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on the public site, usable in and outside a request (CLI, workers)."""
    parts = urlsplit(current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None: the one guard for "next" links.

    Browsers read "/\\host" as "//host", drop tabs and newlines, and some decode "%2F%2F"
    before resolving, so each of those is refused along with schemes and hosts.
    """
    if not target or not isinstance(target, str):
        return None
    for candidate in (target, unquote(target)):
        if not candidate.startswith("/") or candidate.startswith("//"):
            return None
        if "\\" in candidate or any(ord(char) < 32 or ord(char) == 127 for char in candidate):
            return None
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return None
    return target
