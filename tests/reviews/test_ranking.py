"""Aggregation, calibration, sorting and export of the ranking; its page's query count."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from accelerator.reviews import ranking


@pytest.fixture
def scored(make, cohort):
    """Two reviewers: a harsh one (A) and a lenient one (B), over three applications."""
    harsh, lenient = make.make_user(role="staff"), make.make_user(role="staff")
    apps = [make.make_application(cohort=cohort, status="in_review") for _ in range(3)]
    for app_, (a, b) in zip(apps, [(3, 5), (2, 4), (1, 3)], strict=True):
        make.make_review(application=app_, reviewer=harsh, scores=a, recommendation="no")
        make.make_review(application=app_, reviewer=lenient, scores=b, recommendation="yes")
    return apps, harsh, lenient


def test_aggregates_per_application(scored, cohort):
    apps, *_ = scored
    items = {i.application_id: i for i in ranking.cohort_ranking(cohort, threshold=1.0)}
    top = items[apps[0].id]
    assert (top.count, top.mean, top.median) == (2, 4.0, 4.0)
    assert top.stddev == pytest.approx(1.414, abs=1e-3)
    assert top.disagreement  # 1.41 > 1.0
    assert top.recommendations == {"no": 1, "yes": 1}
    assert [items[a.id].rank for a in apps] == [1, 2, 3]


def test_calibration_cancels_harsh_and_lenient_reviewers(make, cohort):
    harsh, lenient = make.make_user(role="staff"), make.make_user(role="staff")
    # X is reviewed only by the harsh reviewer, Y only by the lenient one; each is that
    # reviewer's best. Raw means favour Y; calibrated scores put them level.
    x, y, filler1, filler2 = (
        make.make_application(cohort=cohort, status="in_review") for _ in range(4)
    )
    make.make_review(application=x, reviewer=harsh, scores=3)
    make.make_review(application=filler1, reviewer=harsh, scores=1)
    make.make_review(application=y, reviewer=lenient, scores=5)
    make.make_review(application=filler2, reviewer=lenient, scores=3)
    items = {i.application_id: i for i in ranking.cohort_ranking(cohort)}
    assert items[y.id].mean > items[x.id].mean
    assert items[x.id].calibrated == pytest.approx(1.0)
    assert items[y.id].calibrated == pytest.approx(1.0)
    assert items[filler1.id].calibrated == pytest.approx(-1.0)


def test_a_single_score_or_constant_reviewer_calibrates_to_zero(make, cohort):
    reviewer = make.make_user(role="staff")
    apps = [make.make_application(cohort=cohort, status="in_review") for _ in range(2)]
    for app_ in apps:
        make.make_review(application=app_, reviewer=reviewer, scores=4)
    items = ranking.cohort_ranking(cohort)
    assert [i.calibrated for i in items] == [0.0, 0.0]
    assert all(i.stddev is None and not i.disagreement for i in items)


def test_unreviewed_applications_come_last_without_rank(make, scored, cohort):
    lonely = make.make_application(cohort=cohort, status="submitted")
    items = ranking.cohort_ranking(cohort)
    assert items[-1].application_id == lonely.id and items[-1].rank is None
    for key in ranking.SORT_KEYS:
        for descending in (True, False):
            ordered = ranking.sort_ranking(items, key, descending)
            assert len(ordered) == len(items)
            if key not in ("name", "status", "count"):
                assert ordered[-1].application_id == lonely.id
    by_mean = ranking.sort_ranking(items, "mean", True)
    assert [i.mean for i in by_mean[:3]] == [4.0, 3.0, 2.0]
    assert ranking.sort_ranking(items, "junk", False)[0].rank == 1


def test_csv_export_has_every_review_and_no_formulas(make, scored, cohort):
    apps, harsh, _ = scored
    make.make_review(
        application=make.make_application(cohort=cohort, status="in_review"),
        reviewer=harsh,
        comment='=HYPERLINK("http://evil")',
    )
    frame = pd.read_csv(io.BytesIO(ranking.export_csv(cohort)), encoding="utf-8-sig")
    assert len(frame) == 7
    assert {"rank", "startup", "reviewer", "score_team", "comment", "calibrated_z"} <= set(
        frame.columns
    )
    assert frame["comment"].dropna().str.startswith("'=").any()
    assert harsh.name in set(frame["reviewer"])


def test_xlsx_export_has_a_ranking_and_a_reviews_sheet(scored, cohort):
    book = openpyxl.load_workbook(io.BytesIO(ranking.export_xlsx(cohort)))
    assert book.sheetnames == ["Ranking", "Reviews"]
    assert book["Ranking"].max_row == 4 and book["Reviews"].max_row == 7


def test_export_of_an_empty_cohort(cohort):
    assert ranking.export_csv(cohort).decode("utf-8-sig").startswith("rank,startup,status")
    assert ranking.export_xlsx(cohort)


def _populate(make, cohort, reviewers, count):
    for _ in range(count):
        application = make.make_application(cohort=cohort, status="in_review")
        for index, reviewer in enumerate(reviewers):
            make.make_review(
                application=application, reviewer=reviewer, scores=1 + (application.id + index) % 5
            )


def test_the_ranking_page_query_count_does_not_grow_with_data(
    make, cohort, staff, login_as, count_queries, computed_figures
):
    reviewers = [make.make_user(role="staff") for _ in range(3)]
    client = login_as(staff)
    _populate(make, cohort, reviewers, 3)
    urls = [  # the rank order is read through the stored ranking's index; other orders sort
        f"/reviews/cohorts/{cohort.id}/ranking",
        f"/reviews/cohorts/{cohort.id}/ranking?sort=calibrated",
        f"/reviews/cohorts/{cohort.id}/ranking?page=2",
    ]
    small = {}
    for url in urls:
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        small[url] = counted
    _populate(make, cohort, reviewers, 30)
    for url in urls:
        with count_queries() as large:
            response = client.get(url)
            assert response.status_code == 200
        assert large.count == small[url].count, (url, small[url].statements, large.statements)
    response = client.get(f"/reviews/cohorts/{cohort.id}/ranking?sort=calibrated")
    assert response.get_data(as_text=True).count("Decide") >= 33


@pytest.mark.parametrize("descending", [False, True])
def test_pages_in_rank_order_walk_reviewed_then_unreviewed_without_gaps(
    app, make, cohort, descending
):
    """The rank order is read in two parts (stored ranking, then the unreviewed by id); the
    pages together are the whole cohort once, in the order a full sort gives."""
    from accelerator.reviews import scoreboard

    reviewer = make.make_user(role="staff")
    reviewed = [make.make_application(cohort=cohort, status="in_review") for _ in range(7)]
    for score, application in enumerate(reviewed):
        make.make_review(application=application, reviewer=reviewer, scores=1 + score % 5)
    unreviewed = [make.make_application(cohort=cohort, status="submitted") for _ in range(6)]
    make.make_application(cohort=cohort, status="draft")  # never ranked
    scoreboard.ensure_current(cohort)
    by_rank = sorted(
        (i for i in ranking.cohort_ranking(cohort) if i.rank is not None), key=lambda i: i.rank
    )
    ranked_ids = [i.application_id for i in by_rank]
    assert len(ranked_ids) == 7
    expected = (ranked_ids[::-1] if descending else ranked_ids) + sorted(a.id for a in unreviewed)
    seen = []
    for number in range(1, 6):
        with app.test_request_context(f"/?page={number}"):
            page = scoreboard.ranking_page(cohort, sort="rank", descending=descending, per_page=4)
            assert page.total == 13
            seen += [item.application_id for item in page.items]
    assert seen == expected
