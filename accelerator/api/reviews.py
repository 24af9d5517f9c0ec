"""/api/v1 reviews: staff only, as the pages (founders and mentors are refused, 403)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accelerator.api import paging
from accelerator.api.filters import Id, narrowed
from accelerator.api.queries import one
from accelerator.api.resources import resource_blueprint
from accelerator.applications.models import Application
from accelerator.core.errors import NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.reviews.models import Recommendation, Review
from accelerator.reviews.schemas import ReviewSchema

blp = resource_blueprint(
    "reviews",
    __name__,
    scope="reviews",
    label=_l("Reviews"),
    description="Reviewers' rubric reviews of applications (staff only).",
)


@blp.before_request
def _staff_only():
    from flask import g

    if "api_token" in g and not current_user.is_staff:  # after the token was checked
        raise NotAllowed(_("Only program staff can read reviews."))


def _reviews():
    return select(Review).options(selectinload(Review.scores))


class ReviewArgs(paging.ListArgs):
    application_id = Id()
    cohort_id = Id()
    recommendation = fields.Enum(Recommendation, by_value=True, load_default=None)
    submitted_after = fields.AwareDateTime(load_default=None)


@blp.route("/reviews")
@blp.arguments(ReviewArgs, location="query")
@blp.response(200, paging.page_of(ReviewSchema))
def list_reviews(args):
    """Reviews, by application, cohort, recommendation and date."""
    statement = narrowed(
        _reviews(),
        args,
        equal={"application_id": Review.application_id, "recommendation": Review.recommendation},
        since={"submitted_after": Review.submitted_at},
    )
    if args["cohort_id"] is not None:
        in_cohort = select(Application.id).where(Application.cohort_id == args["cohort_id"])
        statement = statement.where(Review.application_id.in_(in_cohort))
    return paging.paginate(statement, Review.id, args)


@blp.route("/reviews/<int:review_id>")
@blp.response(200, ReviewSchema)
def get_review(review_id: int):
    """One review and its scores."""
    return one(_reviews().where(Review.id == review_id))
