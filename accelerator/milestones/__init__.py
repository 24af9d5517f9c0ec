"""The milestones domain: milestone plans, milestones, check-ins, reminders and at-risk rules."""

from flask import Blueprint

bp = Blueprint("milestones", __name__)

from accelerator.milestones import (  # noqa: E402,F401  (routes, hooks)
    cohort_views,
    founder_views,
    hooks,
    staff_views,
    views,
)
