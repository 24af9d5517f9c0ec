"""The demo-day domain: the event, its guests and what follows."""

from flask import Blueprint

bp = Blueprint("demoday", __name__, url_prefix="/demo-day")

from accelerator.demoday import (  # noqa: E402,F401  (routes, hooks)
    door_views,
    exports,
    followup_views,
    guest_views,
    hooks,
    rsvp_views,
    views,
)
