"""The ranking: scores aggregated per application, disagreement, and calibration per reviewer.

Calibration corrects for harsh and lenient reviewers: each review's weighted score becomes a
z-score against that reviewer's own scores in the cohort ((score - reviewer mean) / reviewer
standard deviation; 0 when the reviewer gave a single score or always the same), and an
application's calibrated score is the mean of its reviews' z-scores. Three queries whatever the
size of the cohort.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from flask import current_app
from sqlalchemy import select

from accelerator.applications.models import Application, ApplicationStatus, Startup
from accelerator.auth.models import User
from accelerator.core.spreadsheets import csv_bytes, neutralise, xlsx_bytes
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.reviews.models import Review, ReviewScore, feedback_label
from accelerator.reviews.scoring import criteria_of

DEFAULT_DISAGREEMENT_STDDEV = 1.0
SORT_KEYS = ("rank", "calibrated", "mean", "median", "count", "stddev", "name", "status")


@dataclass
class RankedApplication:
    application_id: int
    startup_id: int
    startup_name: str
    status: ApplicationStatus
    count: int = 0
    mean: float | None = None
    median: float | None = None
    stddev: float | None = None
    calibrated: float | None = None
    disagreement: bool = False
    rank: int | None = None
    recommendations: dict[str, int] = field(default_factory=dict)


def disagreement_threshold() -> float:
    return float(current_app.config.get("REVIEW_DISAGREEMENT_STDDEV", DEFAULT_DISAGREEMENT_STDDEV))


def _reviews_frame(cohort_id: int) -> pd.DataFrame:
    rows = db.session.execute(
        select(
            Review.application_id,
            Review.reviewer_id,
            Review.weighted_score,
            Review.recommendation,
        )
        .join(Application, Review.application_id == Application.id)
        .where(Application.cohort_id == cohort_id)
    ).all()
    return pd.DataFrame(
        [(a, r, float(s), rec.value) for a, r, s, rec in rows],
        columns=["application_id", "reviewer_id", "score", "recommendation"],
    )


def calibrate(frame: pd.DataFrame) -> pd.Series:
    """Each review's z-score against its reviewer's own scores (0 when it cannot be told)."""
    if frame.empty:
        return pd.Series(dtype=float)
    by_reviewer = frame.groupby("reviewer_id")["score"]
    mean = by_reviewer.transform("mean")
    std = by_reviewer.transform(lambda s: s.std(ddof=0))
    z = (frame["score"] - mean) / std.where(std > 1e-9)
    return z.fillna(0.0)


def _none_if_nan(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, 3)


def cohort_ranking(cohort: Cohort, *, threshold: float | None = None) -> list[RankedApplication]:
    """Every submitted application of the cohort with its aggregates, ranked by calibrated score."""
    threshold = disagreement_threshold() if threshold is None else threshold
    applications = db.session.execute(
        select(Application.id, Application.startup_id, Startup.name, Application.status)
        .join(Startup, Application.startup_id == Startup.id)
        .where(Application.cohort_id == cohort.id, Application.status != ApplicationStatus.DRAFT)
        .order_by(Application.id)
    ).all()
    result = {
        app_id: RankedApplication(app_id, startup_id, name, status)
        for app_id, startup_id, name, status in applications
    }
    frame = _reviews_frame(cohort.id)
    if not frame.empty:
        frame["z"] = calibrate(frame)
        grouped = frame.groupby("application_id")
        stats = pd.DataFrame(
            {
                "count": grouped["score"].count(),
                "mean": grouped["score"].mean(),
                "median": grouped["score"].median(),
                "stddev": grouped["score"].std(ddof=1),
                "calibrated": grouped["z"].mean(),
            }
        )
        recs = frame.groupby(["application_id", "recommendation"]).size()
        for app_id, row in stats.iterrows():
            item = result.get(int(app_id))
            if item is None:
                continue
            item.count = int(row["count"])
            item.mean = _none_if_nan(row["mean"])
            item.median = _none_if_nan(row["median"])
            item.stddev = _none_if_nan(row["stddev"])
            item.calibrated = _none_if_nan(row["calibrated"])
            item.disagreement = item.stddev is not None and item.stddev > threshold
        for (app_id, recommendation), count in recs.items():
            if int(app_id) in result:
                result[int(app_id)].recommendations[recommendation] = int(count)
    ranked = sorted(
        (item for item in result.values() if item.count),
        key=lambda i: (-(i.calibrated or 0.0), -(i.mean or 0.0), i.application_id),
    )
    for position, item in enumerate(ranked, start=1):
        item.rank = position
    return ranked + [item for item in result.values() if not item.count]


def sort_ranking(
    items: list[RankedApplication], key: str, descending: bool
) -> list[RankedApplication]:
    """Sort by a column; applications without reviews always come last."""
    key = key if key in SORT_KEYS else "rank"
    if key == "name":
        return sorted(items, key=lambda i: i.startup_name.lower(), reverse=descending)
    if key == "status":
        return sorted(items, key=lambda i: i.status.value, reverse=descending)
    present = [i for i in items if getattr(i, key) is not None]
    missing = [i for i in items if getattr(i, key) is None]
    present.sort(key=lambda i: (getattr(i, key), -(i.rank or 0)), reverse=descending)
    return present + missing


# Export ---------------------------------------------------------------------------------------


def export_frames(cohort: Cohort) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ranking, reviews): one row per application, one row per review with every score."""
    ranking = cohort_ranking(cohort)
    criteria = criteria_of(cohort)
    ranking_rows = [
        {
            "rank": item.rank,
            "startup": item.startup_name,
            "status": item.status.label,
            "reviews": item.count,
            "weighted_mean": item.mean,
            "median": item.median,
            "stddev": item.stddev,
            "disagreement": item.disagreement,
            "calibrated_z": item.calibrated,
            "yes": item.recommendations.get("yes", 0),
            "maybe": item.recommendations.get("maybe", 0),
            "no": item.recommendations.get("no", 0),
            "application_id": item.application_id,
        }
        for item in ranking
    ]
    by_app = {item.application_id: item for item in ranking}
    in_cohort = select(Application.id).where(Application.cohort_id == cohort.id)
    scores: dict[int, dict[str, int]] = {}
    for review_id, key, value in db.session.execute(
        select(ReviewScore.review_id, ReviewScore.criterion_key, ReviewScore.score)
        .join(Review, ReviewScore.review_id == Review.id)
        .where(Review.application_id.in_(in_cohort))
    ):
        scores.setdefault(review_id, {})[key] = value
    reviews = db.session.execute(
        select(Review, User.name, User.email)
        .join(User, Review.reviewer_id == User.id)
        .where(Review.application_id.in_(in_cohort))
        .order_by(Review.application_id, Review.id)
    ).all()
    review_rows = []
    for review, reviewer_name, reviewer_email in reviews:
        item = by_app.get(review.application_id)
        row = {
            "rank": item.rank if item else None,
            "startup": item.startup_name if item else "",
            "application_id": review.application_id,
            "reviewer": reviewer_name,
            "reviewer_email": reviewer_email,
            "recommendation": review.recommendation.value,
            "confidence": review.confidence.value,
            "weighted_score": review.weighted_score,
        }
        for criterion in criteria:
            row[f"score_{criterion['key']}"] = scores.get(review.id, {}).get(criterion["key"])
        row["feedback_tags"] = "; ".join(feedback_label(t) for t in review.feedback_tags or [])
        row["comment"] = review.comment
        row["submitted_at"] = review.submitted_at.isoformat(timespec="seconds")
        review_rows.append(row)
    ranking_frame = (
        pd.DataFrame(ranking_rows).map(neutralise)
        if ranking_rows
        else pd.DataFrame(columns=["rank", "startup", "status"])
    )
    review_frame = (
        pd.DataFrame(review_rows).map(neutralise)
        if review_rows
        else pd.DataFrame(columns=["rank", "startup", "reviewer"])
    )
    return ranking_frame, review_frame


def export_csv(cohort: Cohort) -> bytes:
    """One row per review (with its application's ranking columns); unreviewed ones once."""
    ranking, reviews = export_frames(cohort)
    if reviews.empty:
        merged = ranking
    else:
        columns = [c for c in ranking.columns if c not in ("rank", "startup")]
        merged = ranking[["rank", "startup", *columns]].merge(
            reviews.drop(columns=["rank", "startup"]), on="application_id", how="left"
        )
    return csv_bytes(merged)


def export_xlsx(cohort: Cohort) -> bytes:
    ranking, reviews = export_frames(cohort)
    return xlsx_bytes({"Ranking": ranking, "Reviews": reviews})
