"""The alumni domain."""

from flask import Blueprint

bp = Blueprint("alumni", __name__, url_prefix="/alumni")

from accelerator.alumni import hooks, views  # noqa: E402,F401  (routes, hooks)
