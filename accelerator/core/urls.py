"""Links: for mail, built from PUBLIC_BASE_URL; after a form, only back to this site."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import current_app


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
