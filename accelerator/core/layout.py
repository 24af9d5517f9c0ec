"""What every page's layout builds the same way each time, built once per process.

The layout (base.html, the navigation) links to a dozen fixed places: the static files, Bootstrap's
files, the account and admin pages. Werkzeug builds each link anew (a routing lookup through
Flask's context proxies, some tens of microseconds), which made links a tenth of an empty page's
time. A link with no arguments (or a static file's name) is the same for every request under
the same script root, so it is kept; every other `url_for` call is built as usual.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request, url_for
from markupsafe import Markup

#: Endpoints whose only argument is a file name (Flask's and blueprints' static files).
_STATIC = ("static", ".static")


def install(app: Flask) -> None:
    """The templates' `url_for` keeps argument-less links; `bootstrap_css()` and
    `bootstrap_js()` are Bootstrap-Flask's tags, built once per script root."""
    kept: dict[tuple, str] = {}
    keep = not app.debug  # while developing, links follow edited routes at once

    def fixed_url_for(endpoint: str, **values: Any) -> str:
        if not keep or (
            values and not (endpoint.endswith(_STATIC) and values.keys() == {"filename"})
        ):
            return url_for(endpoint, **values)
        key = (endpoint, values.get("filename"), request.script_root)
        found = kept.get(key)
        if found is None:
            found = kept[key] = url_for(endpoint, **values)
        return found

    tags: dict[tuple[str, str], Markup] = {}

    def bootstrap_tag(kind: str) -> Markup:
        key = (kind, request.script_root)
        found = tags.get(key) if keep else None
        if found is None:
            bootstrap = app.extensions["bootstrap"]
            found = tags[key] = bootstrap.load_css() if kind == "css" else bootstrap.load_js()
        return found

    app.jinja_env.globals.update(
        url_for=fixed_url_for,
        bootstrap_css=lambda: bootstrap_tag("css"),
        bootstrap_js=lambda: bootstrap_tag("js"),
    )
