"""The /api/v1 resource groups, from one list, and what every group shares.

flask-smorest (0.47) is the framework: Blueprints with marshmallow schemas on the app we have,
and apispec writing the OpenAPI 3.1 document at /api/v1/openapi.json. It was chosen over
APIFlask because it adds to an existing Flask app without replacing its class, error handling
or config, and it is kept up by the marshmallow-code organisation.

A resource group is a module `accelerator/api/<name>.py` with `blp = resource_blueprint(...)`
and its routes; adding one is a module and its name in `RESOURCES`.
"""

from __future__ import annotations

import http
import importlib

from flask import Flask, current_app, g, request
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response

from accelerator.api import bearer, services
from accelerator.core.i18n import gettext as _
from accelerator.core.refusals import problem
from accelerator.core.schemas import ProblemSchema

#: The resource groups, in the order the document lists them (one module each).
RESOURCES = (
    "programs",
    "applications",
    "reviews",
    "grants",
    "milestones",
    "mentoring",
    "pilots",
    "testers",
    "demoday",
)

PREFIX = "/api/v1"
PROBLEM = "application/problem+json"


class AcceleratorApi(Api):
    """flask-smorest's Api, documenting every error as the RFC 9457 problem it is."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem document", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def resource_blueprint(
    name: str, import_name: str, *, scope: str, description: str, label=None
) -> Blueprint:
    """A resource group's blueprint: bearer tokens with `scope` (read, or write for anything
    but GET), rate limits per token, ETags, and every error a problem document. `label` (lazy,
    `_l`) names the group on the tokens page (by default its scope, capitalised)."""
    from accelerator.extensions import csrf, limiter

    services.SCOPE_DOMAINS[scope] = label or scope.capitalize()
    blp = Blueprint(f"api_{name}", import_name, url_prefix=PREFIX, description=description)
    csrf.exempt(blp)  # bearer tokens only, no cookies: nothing to forge
    limiter.limit(_rate_limit, key_func=bearer.rate_key)(blp)  # once: blueprints are singletons
    blp.before_request(lambda: bearer.sign_in(scope))
    blp.after_request(_conditional)
    blp.register_error_handler(422, _invalid_input)
    blp.register_error_handler(400, _invalid_input)
    return blp


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _conditional(response):
    """ETag on every answered GET (a weak hash of the body), 304 for If-None-Match; the next
    page's Link header."""
    link = g.pop("api_next_link", None)
    if link and response.status_code == 200:
        response.headers["Link"] = link
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.add_etag(weak=True)
        response.make_conditional(request)
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    return response


def _invalid_input(error):
    """webargs' refusal of a request's input (422, or 400 for a body that is not JSON), as a
    problem document with `errors`: field -> message."""
    from accelerator.core.error_pages import TITLES

    messages = (getattr(error, "data", None) or {}).get("messages") or {}
    errors: dict[str, str] = {}
    for by_field in messages.values():  # {"json": {...}, "query": {...}}
        if isinstance(by_field, dict):
            _flatten_into(errors, by_field, "")
    status = error.code or 422
    detail = (
        _("Check the request: %(fields)s.", fields=", ".join(sorted(errors)))
        if errors
        else (_("The request's body is not valid JSON.") if status == 400 else None)
    )
    extra = {"errors": errors} if errors else {}
    return problem(status, str(TITLES.get(status, "")), detail, **extra)


def _flatten_into(errors: dict[str, str], said: dict, prefix: str) -> None:
    """marshmallow's nested messages as `answers.active_users`: "Not a valid integer."."""
    for key, value in said.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten_into(errors, value, name + ".")
        else:
            values = value if isinstance(value, list | tuple) else [value]
            errors[name] = " ".join(str(v) for v in values)


def init_api(app: Flask) -> None:
    """Give the app its /api/v1: the OpenAPI document, every resource group, the rate limit."""
    app.config.setdefault("API_TITLE", "Accelerator API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_RATE_LIMIT", "600 per minute")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {"description": "Programs, cohorts, applications and grants, as JSON."},
            "servers": [{"url": "/"}],
            "security": [{"bearerAuth": []}],
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        },
    )
    api = AcceleratorApi(app)  # one per app: its document, its error responses
    app.extensions["accelerator.api"] = api
    for name in RESOURCES:
        api.register_blueprint(importlib.import_module(f"accelerator.api.{name}").blp)
