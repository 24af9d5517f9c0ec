"""The applications domain."""

from flask import Blueprint

bp = Blueprint("applications", __name__)

from accelerator.applications import views  # noqa: E402,F401
