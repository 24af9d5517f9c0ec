"""The applications domain: startups, their founders, applications and pitch decks."""

from flask import Blueprint

bp = Blueprint("applications", __name__)

from accelerator.applications import hooks, views  # noqa: E402,F401  (routes, hooks)
