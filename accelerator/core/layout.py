"""What every page's layout builds the same way each time, built once per process.

The layout (base.html, the navigation) links to a dozen fixed places: the static files, Bootstrap's
files, the account and admin pages. Werkzeug builds each link anew (a routing lookup through
Flask's context proxies, some tens of microseconds), which made links a tenth of an empty page's
time. A link with no arguments (or a static file's name) is the same for every request under
the same script root, so it is kept. A link with one whole-number argument (a row's
`url_for('grants.show', grant_id=grant.id)`, drawn on every row of a list) is built once per
endpoint as a pattern and filled in with the number. Every other `url_for` call is built as usual.

A static file's link carries a digest of its content (`?v=…`), so browsers keep static files
for a year (STATIC_MAX_AGE) and still fetch a changed file at once: its link changed with it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from flask import Flask, request, url_for
from markupsafe import Markup

#: How long browsers keep a static file asked for by its versioned link: a year.
STATIC_MAX_AGE = 365 * 24 * 3600
#: Endpoints whose only argument is a file name (Flask's and blueprints' static files).
_STATIC = ("static", ".static")


def install(app: Flask) -> None:
    """The templates' `url_for` keeps argument-less links; `bootstrap_css()` and
    `bootstrap_js()` are Bootstrap-Flask's tags, built once per script root."""
    kept: dict[tuple, str] = {}
    patterns: dict[tuple, tuple[str, str] | None] = {}
    keep = not app.debug  # while developing, links follow edited routes at once

    def fixed_url_for(endpoint: str, **values: Any) -> str:
        if keep and len(values) == 1:
            ((name, value),) = values.items()
            if type(value) is int and value >= 0 and name[0] != "_" and endpoint[:1] != ".":
                key = (endpoint, name, request.script_root)
                pattern = patterns.get(key, False)
                if pattern is False:
                    pattern = patterns[key] = _pattern(app, endpoint, name)
                if pattern is not None:
                    return f"{pattern[0]}{value}{pattern[1]}"
        if not keep or (
            values and not (endpoint.endswith(_STATIC) and values.keys() == {"filename"})
        ):
            return url_for(endpoint, **values)
        key = (endpoint, values.get("filename"), request.script_root)
        found = kept.get(key)
        if found is None:
            if "filename" in values:
                values["v"] = _digest(app, endpoint, values["filename"])
            found = kept[key] = url_for(endpoint, **values)
        return found

    tags: dict[tuple[str, str], Markup] = {}

    def bootstrap_tag(kind: str) -> Markup:
        key = (kind, request.script_root)
        found = tags.get(key) if keep else None
        if found is None:
            bootstrap = app.extensions["bootstrap"]
            html = bootstrap.load_css() if kind == "css" else bootstrap.load_js()
            found = tags[key] = Markup(_versioned(app, str(html)))  # noqa: S704  (its own tags)
        return found

    @app.after_request
    def keep_versioned_static_files(response):
        """A static file asked for by its versioned link is kept by browsers (a new version
        has a new link); asked for without one, it is revalidated as before."""
        endpoint = request.endpoint or ""
        if (
            keep
            and endpoint.endswith(_STATIC)
            and request.args.get("v")
            and response.status_code == 200
        ):
            response.headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}, immutable"
        return response

    app.jinja_env.globals.update(
        url_for=fixed_url_for,
        bootstrap_css=lambda: bootstrap_tag("css"),
        bootstrap_js=lambda: bootstrap_tag("js"),
    )


#: A number no link holds otherwise, built in place of the argument to find where it goes.
_PLACEHOLDER = 1987654321


def _pattern(app: Flask, endpoint: str, name: str) -> tuple[str, str] | None:
    """The text before and after the number in the endpoint's link with one whole-number
    argument `name`, or None when the link may depend on the number's value (several rules
    for the endpoint, a rule's defaults, `url_defaults` functions): then it is built each time.
    """
    try:
        rules = list(app.url_map.iter_rules(endpoint))
    except KeyError:  # no such endpoint: url_for says so
        return None
    if len(rules) != 1 or rules[0].defaults or any(app.url_default_functions.values()):
        return None
    before, found, after = url_for(endpoint, **{name: _PLACEHOLDER}).partition(str(_PLACEHOLDER))
    if not found or str(_PLACEHOLDER) in after:
        return None
    return before, after


def _versioned(app: Flask, html: str) -> str:
    """Bootstrap-Flask's tags with each local file's link versioned by its digest."""
    prefix = url_for("bootstrap.static", filename="")

    def version(match: re.Match) -> str:
        url = match[2]
        if not url.startswith(prefix) or "?" in url:
            return match[0]
        return f'{match[1]}="{url}?v={_digest(app, "bootstrap.static", url[len(prefix) :])}"'

    return re.sub(r'(href|src)="([^"]+)"', version, html)


def _digest(app: Flask, endpoint: str, filename: str) -> str:
    """The first 12 hex digits of the SHA-256 of a static file ("" if it cannot be read)."""
    blueprint = endpoint.rpartition(".")[0]
    folder = app.static_folder if not blueprint else app.blueprints[blueprint].static_folder
    try:
        return hashlib.sha256((Path(folder or "") / filename).read_bytes()).hexdigest()[:12]
    except OSError:
        return ""
