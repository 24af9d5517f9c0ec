"""The demoday domain."""

from flask import Blueprint

bp = Blueprint("demoday", __name__, url_prefix="/demo-day")

from accelerator.demoday import hooks, views  # noqa: E402,F401  (routes, hooks)
