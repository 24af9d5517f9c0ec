"""The mentoring domain: mentor profiles, the directory, founders' preferences, matching and
matches. Sessions, office hours and calendars are the sessions domain, above this one."""

from flask import Blueprint

bp = Blueprint("mentoring", __name__)

from accelerator.mentoring import hooks, staff_views, views  # noqa: E402,F401  (routes, hooks)
