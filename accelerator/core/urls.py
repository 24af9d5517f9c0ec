"""Links for mail: always built from PUBLIC_BASE_URL, never from the request's Host header."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on the public site, usable in and outside a request (CLI, workers)."""
    parts = urlsplit(current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
