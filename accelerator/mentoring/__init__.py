"""The mentoring domain: mentor profiles, the directory, matching, and (sessions side) office
hours, sessions and calendars."""

from flask import Blueprint

bp = Blueprint("mentoring", __name__)

from accelerator.mentoring import (  # noqa: E402,F401  (routes, hooks)
    calendar_views,
    hooks,
    hours_views,
    session_views,
    staff_views,
    views,
)
