"""The reviews domain: reviewer assignment, conflicts, rubric reviews, ranking and decisions."""

from flask import Blueprint

bp = Blueprint("reviews", __name__)

from accelerator.reviews import (  # noqa: E402,F401  (importing registers the routes)
    decision_views,
    founder_views,
    hooks,
    reviewer_views,
    staff_views,
)
