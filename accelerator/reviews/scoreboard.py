"""The ranking kept as a table: each reviewed application's aggregates and rank, so the ranking,
decide and waitlist pages read a page of rows (or one row) instead of every review.

Any change to a review moves its cohort's `ranking_states.version` (an ORM flush hook, in the
same transaction). A reader that finds `computed_version` behind recomputes the cohort with
reviews/ranking.py under a row lock on the state (FOR UPDATE on PostgreSQL; SQLite serialises
writers), so a concurrent review either lands before the recompute reads or moves the version
again after it: a stale ranking is never marked current.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from accelerator.applications.models import Application
from accelerator.core.locking import lock_one
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.reviews.models import ApplicationScore, RankingState, Review, ReviewAssignment


def _upsert(dialect: str):
    return (postgresql if dialect == "postgresql" else sqlite).insert(RankingState)


def mark_changed(session: Session, application_ids: Iterable[int]) -> None:
    """Move the ranking version of the cohorts of these applications (inside the caller's
    transaction: the bump commits or rolls back with the change)."""
    ids = sorted({i for i in application_ids if i is not None})
    if not ids:
        return
    connection = session.connection()
    statement = _upsert(connection.dialect.name).from_select(
        ["cohort_id", "version", "computed_version"],
        select(Application.cohort_id, db.literal(2), db.literal(0))
        .where(Application.id.in_(ids))
        .distinct(),
    )
    statement = statement.on_conflict_do_update(
        index_elements=["cohort_id"], set_={"version": RankingState.version + 1}
    )
    connection.execute(statement)


@event.listens_for(Session, "after_flush")
def _reviews_changed(session: Session, _context) -> None:
    changed = [
        obj.application_id
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, Review | ReviewAssignment)
        and (not isinstance(obj, ReviewAssignment) or obj in session.deleted)
    ]
    if changed:
        mark_changed(session, changed)


def _counted(cohort_id: int):
    """The cohort's number of reviews, counted (a scalar select over every review of it)."""
    return (
        select(func.count())
        .select_from(Review)
        .join(Application, Review.application_id == Application.id)
        .where(Application.cohort_id == cohort_id)
        .scalar_subquery()
    )


def _recompute(cohort) -> int:
    """Store the cohort's ranking; the number of its reviews, counted under the same lock."""
    from accelerator.reviews.ranking import cohort_ranking

    db.session.execute(
        ApplicationScore.__table__.delete().where(ApplicationScore.cohort_id == cohort.id)
    )
    rows = [
        {
            "application_id": item.application_id,
            "cohort_id": cohort.id,
            "review_count": item.count,
            "mean": item.mean,
            "median": item.median,
            "stddev": item.stddev,
            "calibrated": item.calibrated,
            "rank": item.rank,
            "yes_count": item.recommendations.get("yes", 0),
            "maybe_count": item.recommendations.get("maybe", 0),
            "no_count": item.recommendations.get("no", 0),
        }
        for item in cohort_ranking(cohort, threshold=0.0)
        if item.count
    ]
    if rows:
        db.session.execute(ApplicationScore.__table__.insert(), rows)
    return db.session.scalar(select(_counted(cohort.id)))


def ensure_current(cohort) -> bool:
    """Bring the cohort's stored ranking up to date; True when it was recomputed (flushed
    in the caller's transaction: the caller commits, see commit_refresh())."""
    state = db.session.execute(
        select(RankingState.version, RankingState.computed_version).where(
            RankingState.cohort_id == cohort.id
        )
    ).first()
    if state is not None and state.version == state.computed_version:
        return False
    if state is None:
        db.session.execute(
            _upsert(db.session.connection().dialect.name)
            .values(cohort_id=cohort.id, version=1, computed_version=0)
            .on_conflict_do_nothing(index_elements=["cohort_id"])
        )
    locked = lock_one(select(RankingState).where(RankingState.cohort_id == cohort.id))
    if locked.version == locked.computed_version:
        return False  # another request recomputed it while we waited for the lock
    reviews = _recompute(cohort)
    db.session.execute(
        update(RankingState)
        .where(RankingState.cohort_id == cohort.id)
        .values(computed_version=locked.version, computed_at=utcnow(), review_count=reviews)
    )
    return True


def commit_refresh(cohort) -> None:
    """For pages (GET): refresh and commit the stored ranking, keeping loaded objects usable."""
    if not ensure_current(cohort):
        return
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


# Reads -------------------------------------------------------------------------------------


def review_count(cohort_id: int) -> int:
    """The cohort's number of reviews in one statement: the count kept with its stored ranking
    while that is current (no review changed since), else every review counted (only then:
    COALESCE runs its second subquery only when the first gives NULL)."""
    kept = (
        select(RankingState.review_count)
        .where(
            RankingState.cohort_id == cohort_id,
            RankingState.version == RankingState.computed_version,
        )
        .scalar_subquery()
    )
    return db.session.scalar(select(func.coalesce(kept, _counted(cohort_id))))


_S = ApplicationScore


def _sort_column(key: str):
    from accelerator.applications.models import Startup

    return {
        "rank": _S.rank,
        "calibrated": _S.calibrated,
        "mean": _S.mean,
        "median": _S.median,
        "count": _S.review_count,
        "stddev": _S.stddev,
        "name": func.lower(Startup.name),
        "status": Application.status,
    }.get(key, _S.rank)


def _ranked_select():
    from accelerator.applications.models import Startup

    return (
        select(
            Application.id,
            Application.startup_id,
            Startup.name,
            Application.status,
            _S.review_count,
            _S.mean,
            _S.median,
            _S.stddev,
            _S.calibrated,
            _S.rank,
            _S.yes_count,
            _S.maybe_count,
            _S.no_count,
        )
        .join(Startup, Startup.id == Application.startup_id)
        .outerjoin(_S, _S.application_id == Application.id)
    )


def _item(row, threshold: float):
    from accelerator.reviews.ranking import RankedApplication

    item = RankedApplication(row[0], row[1], row[2], row[3])
    if row.review_count:
        item.count, item.mean, item.median = row.review_count, row.mean, row.median
        item.stddev, item.calibrated, item.rank = row.stddev, row.calibrated, row.rank
        item.disagreement = item.stddev is not None and item.stddev > threshold
        item.recommendations = {"yes": row.yes_count, "maybe": row.maybe_count, "no": row.no_count}
    return item


def ranking_page(cohort, *, sort: str, descending: bool, per_page: int = 50):
    """One page of the cohort's submitted applications in the chosen order (reviewed first)."""
    from accelerator.applications.models import ApplicationStatus
    from accelerator.core.pagination import paginate_rows
    from accelerator.reviews.ranking import disagreement_threshold

    column = _sort_column(sort)
    ordered = column.desc() if descending else column.asc()
    in_cohort = (
        Application.cohort_id == cohort.id,
        Application.status != ApplicationStatus.DRAFT,
    )
    statement = (
        _ranked_select()
        .where(*in_cohort)
        .order_by(ordered.nulls_last(), _S.rank.nulls_last(), Application.id)
    )
    count = select(func.count(Application.id)).where(*in_cohort)
    if sort == "rank":
        page = _windowed_by_rank(cohort, in_cohort, count, descending, per_page)
    else:
        page = paginate_rows(statement, count, per_page=per_page)
    threshold = disagreement_threshold()
    page.items = [_item(row, threshold) for row in page.items]
    return page


def _windowed_by_rank(cohort, in_cohort, count, descending: bool, per_page: int):
    """A page of the ranking in rank order without sorting the cohort: the reviewed part is
    read through the stored ranking's (cohort, rank) index, the unreviewed rest (after it, in
    id order) through the applications' key. The same four statements on every page."""
    from accelerator.core.pagination import paginate_read

    scored = db.session.scalar(
        select(func.count()).select_from(_S).where(_S.cohort_id == cohort.id)
    )

    def read(offset: int, limit: int) -> list:
        ranked = (
            _ranked_select()
            .where(*in_cohort, _S.cohort_id == cohort.id)
            .order_by(_S.rank.desc() if descending else _S.rank.asc())
            .offset(min(offset, scored))
            .limit(limit if offset < scored else 0)
        )
        rows = list(db.session.execute(ranked))
        rest = (
            _ranked_select()
            .where(*in_cohort, _S.application_id.is_(None))
            .order_by(Application.id)
            .offset(max(0, offset - scored))
            .limit(limit - len(rows))
        )
        return rows + list(db.session.execute(rest))

    return paginate_read(read, count, per_page=per_page)


def item_for(application):
    """The application's line of the ranking (one row), or None when it has no review."""
    from accelerator.reviews.ranking import disagreement_threshold

    row = db.session.execute(_ranked_select().where(Application.id == application.id)).first()
    if row is None or not row.review_count:
        return None
    return _item(row, disagreement_threshold())


def waitlist_in_rank_order(cohort) -> list[int]:
    """Ids of the cohort's waitlisted applications, best-ranked first (unreviewed last)."""
    from accelerator.applications.models import ApplicationStatus

    ensure_current(cohort)
    return list(
        db.session.scalars(
            select(Application.id)
            .outerjoin(_S, _S.application_id == Application.id)
            .where(
                Application.cohort_id == cohort.id,
                Application.status == ApplicationStatus.WAITLISTED,
            )
            .order_by(_S.rank.nulls_last(), Application.id)
        )
    )
