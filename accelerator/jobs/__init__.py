"""The jobs domain: long work in the background (huey), with a record people can watch."""

from flask import Blueprint

bp = Blueprint("jobs", __name__)

from accelerator.jobs import hooks, views  # noqa: E402,F401  (routes, hooks)
