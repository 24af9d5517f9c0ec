"""The ranking kept as a table: it follows every review change, pages are read a page at a
time, and decide reads one row."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.extensions import db
from accelerator.reviews import ranking, scoreboard
from accelerator.reviews.models import ApplicationScore, RankingState
from tests.auth.helpers import text


def _stored(cohort) -> dict[int, tuple]:
    return {
        row.application_id: (row.rank, row.review_count, row.mean, row.calibrated)
        for row in db.session.scalars(
            select(ApplicationScore).where(ApplicationScore.cohort_id == cohort.id)
        )
    }


def _name(application) -> str:
    return db.session.get(Startup, application.startup_id).name


def _computed(cohort) -> dict[int, tuple]:
    return {
        i.application_id: (i.rank, i.count, i.mean, i.calibrated)
        for i in ranking.cohort_ranking(cohort)
        if i.count
    }


def test_the_stored_ranking_follows_each_review(make, cohort):
    reviewers = [make.make_user(role="staff") for _ in range(2)]
    apps = [make.make_application(cohort=cohort, status="in_review") for _ in range(4)]
    make.make_review(application=apps[0], reviewer=reviewers[0], scores=2)
    assert scoreboard.ensure_current(cohort) is True
    assert scoreboard.ensure_current(cohort) is False  # current: nothing to do
    assert _stored(cohort) == _computed(cohort)

    make.make_review(application=apps[1], reviewer=reviewers[0], scores=5)
    make.make_review(application=apps[1], reviewer=reviewers[1], scores=4)
    state = db.session.get(RankingState, cohort.id)
    db.session.refresh(state)
    assert state.version > state.computed_version  # the reviews moved the version
    assert scoreboard.ensure_current(cohort) is True
    assert _stored(cohort) == _computed(cohort)
    assert _stored(cohort)[apps[1].id][0] == 1


def test_the_ranking_page_follows_a_new_review(make, cohort, staff, login_as):
    reviewer = make.make_user(role="staff")
    first, second = (make.make_application(cohort=cohort, status="in_review") for _ in range(2))
    make.make_review(application=first, reviewer=reviewer, scores=2)
    client = login_as(staff)
    page = text(client.get(f"/reviews/cohorts/{cohort.id}/ranking"))
    assert page.index(_name(first)) < page.index(_name(second))
    make.make_review(application=second, reviewer=reviewer, scores=5)
    page = text(client.get(f"/reviews/cohorts/{cohort.id}/ranking"))
    assert page.index(_name(second)) < page.index(_name(first))


def test_the_ranking_page_shows_fifty_rows_a_page(make, cohort, staff, login_as):
    reviewer = make.make_user(role="staff")
    apps = [make.make_application(cohort=cohort, status="in_review") for _ in range(53)]
    for index, application in enumerate(apps[:5]):
        make.make_review(application=application, reviewer=reviewer, scores=1 + index % 5)
    client = login_as(staff)
    first = client.get(f"/reviews/cohorts/{cohort.id}/ranking")
    assert first.status_code == 200
    assert text(first).count(">Decide<") == 50 and "53 in all" in text(first)
    second = text(client.get(f"/reviews/cohorts/{cohort.id}/ranking?page=2"))
    assert second.count(">Decide<") == 3
    # Unreviewed applications come after the reviewed ones, oldest first.
    assert _name(apps[-1]) in second
    by_name = text(client.get(f"/reviews/cohorts/{cohort.id}/ranking?sort=name&dir=asc"))
    assert by_name.count(">Decide<") == 50


def test_decide_reads_one_row_whatever_the_cohort_size(
    make, cohort, staff, login_as, count_queries
):
    reviewer = make.make_user(role="staff")
    target = make.make_application(cohort=cohort, status="in_review")
    make.make_review(application=target, reviewer=reviewer, scores=3)
    client = login_as(staff)
    client.get(f"/reviews/applications/{target.id}/decide")  # brings the ranking up to date
    with count_queries() as small:
        assert client.get(f"/reviews/applications/{target.id}/decide").status_code == 200
    for index in range(30):
        other = make.make_application(cohort=cohort, status="in_review")
        make.make_review(application=other, reviewer=reviewer, scores=1 + index % 5)
    client.get(f"/reviews/applications/{target.id}/decide")
    with count_queries() as large:
        response = client.get(f"/reviews/applications/{target.id}/decide")
    assert response.status_code == 200 and "Rank " in text(response)
    assert large.count == small.count, (small.statements, large.statements)


def _live_review_count(cohort) -> int:
    from sqlalchemy import func

    from accelerator.applications.models import Application
    from accelerator.reviews.models import Review

    return db.session.scalar(
        select(func.count())
        .select_from(Review)
        .join(Application, Review.application_id == Application.id)
        .where(Application.cohort_id == cohort.id)
    )


def test_the_review_count_is_kept_with_the_ranking_and_counted_while_it_is_stale(make, cohort):
    reviewers = [make.make_user(role="staff") for _ in range(2)]
    apps = [make.make_application(cohort=cohort, status="in_review") for _ in range(3)]
    assert scoreboard.review_count(cohort.id) == 0  # no ranking state yet: counted
    make.make_review(application=apps[0], reviewer=reviewers[0], scores=2)
    assert scoreboard.review_count(cohort.id) == 1  # stale: counted
    scoreboard.ensure_current(cohort)
    state = db.session.get(RankingState, cohort.id)
    assert state.review_count == 1
    make.make_review(application=apps[1], reviewer=reviewers[0], scores=4)
    make.make_review(application=apps[1], reviewer=reviewers[1], scores=3)
    assert scoreboard.review_count(cohort.id) == 3 == _live_review_count(cohort)  # stale again
    scoreboard.ensure_current(cohort)
    db.session.expire_all()
    assert db.session.get(RankingState, cohort.id).review_count == 3
    assert scoreboard.review_count(cohort.id) == 3  # kept


def test_the_cohort_page_reads_the_kept_review_count(
    make, cohort, staff, login_as, count_queries, computed_figures
):
    reviewer = make.make_user(role="staff")
    for scores in (2, 4):
        application = make.make_application(cohort=cohort, status="in_review")
        make.make_review(application=application, reviewer=reviewer, scores=scores)
    scoreboard.ensure_current(cohort)
    db.session.commit()
    client = login_as(staff)
    client.get(f"/cohorts/{cohort.id}")  # warm up
    with count_queries() as kept:
        page = text(client.get(f"/cohorts/{cohort.id}"))
    assert "Reviews: 2" in page
    extra = make.make_application(cohort=cohort, status="in_review")
    make.make_review(application=extra, reviewer=make.make_user(role="staff"), scores=3)
    db.session.commit()
    with count_queries() as stale:
        page = text(client.get(f"/cohorts/{cohort.id}"))
    assert "Reviews: 3" in page  # stale ranking: counted, in the same one statement
    assert stale.count == kept.count
