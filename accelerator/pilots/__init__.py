"""The pilots domain: business units, partners, introductions and pilots with their decision."""

from flask import Blueprint

bp = Blueprint("pilots", __name__, url_prefix="/pilots")

from accelerator.pilots import (  # noqa: E402,F401  (routes, hooks)
    exports,
    founder_views,
    hooks,
    partner_views,
    pilot_views,
    staff_views,
    views,
)
