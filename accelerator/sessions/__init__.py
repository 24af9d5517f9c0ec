"""The sessions domain: mentor sessions, their notes, action items and ratings, office hours,
and calendar feeds, for the pairs the mentoring domain (below this one) matches."""

from flask import Blueprint

bp = Blueprint("sessions", __name__)

from accelerator.sessions import (  # noqa: E402,F401  (routes, hooks)
    calendar_views,
    hooks,
    hours_views,
    staff_views,
    views,
)
