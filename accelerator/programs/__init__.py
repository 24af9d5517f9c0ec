"""The programs domain: programs, cohorts (calls for applications), enrollments, tags."""

from flask import Blueprint

bp = Blueprint("programs", __name__)

from accelerator.programs import hooks, views  # noqa: E402,F401  (routes, hooks)
