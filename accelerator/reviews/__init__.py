"""The reviews domain: reviewer assignment, conflicts, rubric reviews, ranking and decisions."""

from flask import Blueprint

bp = Blueprint("reviews", __name__)

from accelerator.reviews import (  # noqa: E402,F401
    cli,
    decision_views,
    panels,
    reviewer_views,
    views,
)
