"""The mentoring domain: mentor profiles, the directory, matching, and (sessions side) office
hours, sessions and calendars."""

from flask import Blueprint

bp = Blueprint("mentoring", __name__)

from accelerator.mentoring import session_setup  # noqa: E402, F401  (office hours, sessions, calendar)

__all__ = ["bp"]
