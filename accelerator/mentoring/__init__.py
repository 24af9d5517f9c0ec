"""The mentoring domain: mentor profiles, the directory, matching, and (sessions side) office
hours, sessions and calendars."""

from flask import Blueprint

bp = Blueprint("mentoring", __name__)

__all__ = ["bp"]
