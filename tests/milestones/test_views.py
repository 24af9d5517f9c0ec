"""Over HTTP: bad input answers 422 beside the field, refusals 409, other startups' objects 404,
nothing lost and never a 500; the cohort check-ins page takes a fixed number of queries."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from accelerator.applications.queries import timezone_of
from accelerator.core import types
from accelerator.core.timeutil import local_today
from accelerator.extensions import db
from accelerator.milestones import checkins, services
from accelerator.milestones.models import CheckIn, Milestone, MilestoneStatus
from tests import factories
from tests.pages import unsigned


def _form(period, **overrides):
    data = {
        "period": period.isoformat(),
        "health": "green",
        "revenue": "12,500.00",
        "active_users": "420",
        "headcount": "6",
        "raised": "",
        "pilots": "1",
        "highlights": "Signed the NDA with the enterprise BU",
        "blockers": "",
        "asks": "",
    }
    data.update(overrides)
    return data


def test_founder_fills_a_check_in_and_sees_it(login_as, enrollment, cohort, ms_founder):
    client = login_as(ms_founder)
    page = client.get(f"/milestones/enrollments/{enrollment.id}/checkins/new")
    assert page.status_code == 200
    response = client.post(
        f"/milestones/enrollments/{enrollment.id}/checkins/new", data=_form(cohort.starts_on)
    )
    assert response.status_code == 302
    checkin = db.session.scalar(select(CheckIn))
    assert (checkin.revenue_cents, checkin.raised_cents, checkin.active_users) == (
        1_250_000,
        0,
        420,
    )
    shown = client.get(f"/checkins/{checkin.id}")
    assert "$12,500.00" in shown.get_data(as_text=True)


def test_bad_kpis_come_back_beside_the_field_with_what_was_typed(
    login_as, enrollment, cohort, ms_founder
):
    client = login_as(ms_founder)
    url = f"/milestones/enrollments/{enrollment.id}/checkins/new"
    for field, value, message in [
        ("active_users", "-3", "cannot be negative"),
        ("revenue", "12.345", "Enter an amount like"),
        ("headcount", "lots", "Not a valid integer"),
        ("pilots", "999999", "too large"),
    ]:
        response = client.post(url, data=_form(cohort.starts_on, **{field: value}))
        body = response.get_data(as_text=True)
        assert response.status_code == 422, field
        assert message in body, field
        assert "Signed the NDA with the enterprise BU" in body  # nothing lost
    assert db.session.scalar(select(func.count(CheckIn.id))) == 0


def test_duplicate_future_and_off_cadence_periods(login_as, enrollment, cohort, ms_founder):
    client = login_as(ms_founder)
    url = f"/milestones/enrollments/{enrollment.id}/checkins/new"
    assert client.post(url, data=_form(cohort.starts_on)).status_code == 302
    again = client.post(url, data=_form(cohort.starts_on, highlights="Second try"))
    assert again.status_code == 409
    assert "already a check-in for this period" in again.get_data(as_text=True)
    assert "Second try" in again.get_data(as_text=True)
    future = client.post(url, data=_form(cohort.starts_on + timedelta(days=70)))
    assert future.status_code == 422
    assert "not started yet" in future.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1


def test_a_finished_cohort_refuses_check_ins(login_as, ms_founder):
    done = factories.make_cohort(phase="completed")
    enrollment = factories.make_enrolled(cohort=done, founders=[ms_founder])
    client = login_as(ms_founder)
    url = f"/milestones/enrollments/{enrollment.id}/checkins/new"
    assert client.get(url).status_code == 302  # told why, back to the progress page
    response = client.post(url, data=_form(done.starts_on))
    assert response.status_code == 409
    assert "has finished" in response.get_data(as_text=True)


def test_editing_after_staff_comment_is_refused_and_nothing_is_lost(
    login_as, enrollment, cohort, ms_founder, staff
):
    checkin = checkins.submit_checkin(
        enrollment, actor=ms_founder, period_on=cohort.starts_on, data=factories.checkin_input()
    )
    client = login_as(staff)
    assert client.post(f"/checkins/{checkin.id}/comment", data={"comment": ""}).status_code == 422
    assert (
        client.post(f"/checkins/{checkin.id}/comment", data={"comment": "Nice"}).status_code == 302
    )
    client = login_as(ms_founder)
    assert client.get(f"/checkins/{checkin.id}/edit").status_code == 302
    response = client.post(
        f"/checkins/{checkin.id}/edit", data=_form(cohort.starts_on, highlights="Changed my mind")
    )
    assert response.status_code == 409
    assert "Changed my mind" in response.get_data(as_text=True)
    db.session.refresh(checkin)
    assert checkin.highlights == "Good week"


def test_other_startups_milestones_and_check_ins_are_404(login_as, enrollment, cohort):
    stranger = factories.make_user(role="founder")
    factories.make_enrolled(founders=[stranger])
    milestone = db.session.scalar(select(Milestone).where(Milestone.enrollment_id == enrollment.id))
    checkin = factories.make_checkin(enrollment, cohort.starts_on)
    client = login_as(stranger)
    assert client.get(f"/milestones/{milestone.id}").status_code == 404
    assert client.get(f"/milestones/enrollments/{enrollment.id}").status_code == 404
    assert client.get(f"/checkins/{checkin.id}").status_code == 404
    submitted = client.post(f"/milestones/{milestone.id}/submit", data={"evidence_text": "Mine!"})
    assert submitted.status_code == 404
    assert db.session.get(Milestone, milestone.id).status == MilestoneStatus.PLANNED


def test_evidence_that_is_not_a_pdf_is_refused_beside_the_field(login_as, enrollment, ms_founder):
    milestone = db.session.scalar(select(Milestone).where(Milestone.enrollment_id == enrollment.id))
    client = login_as(ms_founder)
    response = client.post(
        f"/milestones/{milestone.id}/submit",
        data={
            "evidence_text": "Our onboarding notes",
            "evidence_file": (io.BytesIO(b"<html>not a pdf</html>"), "notes.pdf"),
        },
        content_type="multipart/form-data",
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This file is not a PDF" in body and "Our onboarding notes" in body
    assert db.session.get(Milestone, milestone.id).status == MilestoneStatus.PLANNED


def test_staff_approve_the_mid_program_milestone_and_the_tranche_request_appears(
    login_as, enrollment, ms_founder, staff
):
    milestone = factories.milestone_with_tranche(enrollment)
    services.submit_milestone(milestone, actor=ms_founder, text="Review done", link=None)
    client = login_as(staff)
    response = client.post(
        f"/milestones/{milestone.id}/review", data={"comment": "", "approve": "1"}
    )
    assert response.status_code == 302
    again = client.post(f"/milestones/{milestone.id}/review", data={"approve": "1"})
    assert again.status_code == 409
    db.session.expire_all()
    row_id = db.session.get(Milestone, milestone.id).disbursement_id
    from accelerator.grants.models import Disbursement

    grant_id = db.session.get(Disbursement, row_id).grant_id
    page = client.get(f"/grants/{grant_id}").get_data(as_text=True)
    assert "Released by the approved milestone" in page


def test_send_back_without_a_comment_is_422(login_as, enrollment, ms_founder, staff):
    milestone = db.session.scalar(select(Milestone).where(Milestone.enrollment_id == enrollment.id))
    services.submit_milestone(milestone, actor=ms_founder, text="Done", link=None)
    response = login_as(staff).post(
        f"/milestones/{milestone.id}/review", data={"comment": " ", "send_back": "1"}
    )
    assert response.status_code == 422
    assert "Say what is missing." in response.get_data(as_text=True)


def test_overdue_shows_on_the_progress_and_cohort_pages(login_as, ms_founder, staff):
    cohort = factories.make_cohort(phase="running")
    enrollment = factories.make_enrolled(cohort=cohort, founders=[ms_founder])
    for client, url in [
        (login_as(ms_founder), f"/milestones/enrollments/{enrollment.id}"),
        (login_as(staff), f"/milestones/cohorts/{cohort.id}"),
        (login_as(staff), f"/cohorts/{cohort.id}"),
    ]:
        body = client.get(url).get_data(as_text=True)
        assert 'data-status="overdue"' in body or "is overdue" in body, url


def test_the_cohort_progress_is_kept_for_the_day_until_its_data_changes(
    login_as, enrollment, cohort, staff, admin, count_queries, monkeypatch
):
    """Kept as rendered for every staff member on the cohort's day (core.cache.kept_body): a
    second view reads its user and the cohort, nothing of the board; a change committed in
    between, or the day a milestone falls due, shows on the next view."""
    today = local_today(timezone_of(cohort))
    milestones = db.session.scalars(
        select(Milestone).where(Milestone.enrollment_id == enrollment.id).order_by(Milestone.id)
    ).all()
    for milestone in milestones:  # all due later, the first tomorrow
        milestone.due_on = today + timedelta(days=60)
    milestones[0].due_on = today + timedelta(days=1)
    db.session.commit()
    url = f"/milestones/cohorts/{cohort.id}"
    client = login_as(staff)
    first = client.get(url).text
    with count_queries() as counter:
        again = client.get(url).text
    assert unsigned(again) == unsigned(first)
    assert counter.count <= 2  # the user and the cohort, for the header
    assert 'data-status="overdue"' not in first
    assert 'name="csrf_token"' in first  # the button that posts, outside what is kept
    # Three days on, nothing written: the first milestone is overdue.
    later_now = datetime.now(UTC) + timedelta(days=3)
    monkeypatch.setattr(types, "utcnow", lambda: later_now)
    assert 'data-status="overdue"' in client.get(url).text
    monkeypatch.undo()
    # A renamed milestone, a newly enrolled startup: each shows on the next view.
    milestones[1].title = "Première vente signée"
    db.session.commit()
    assert "Première vente signée" in client.get(url).text
    factories.make_enrolled(cohort=cohort, startup=factories.make_startup(name="Société Éclair"))
    db.session.commit()
    html = client.get(url).text
    assert 'data-startup="Société Éclair"' in html
    assert 'data-startup="Société Éclair"' in login_as(admin).get(url).text


def _cohort_with(n_startups: int, weeks: int):
    cohort = factories.make_cohort(phase="running")
    today = local_today("Europe/Paris")
    for _ in range(n_startups):
        enrollment = factories.make_enrolled(cohort=cohort)
        for week in range(weeks):
            day = cohort.starts_on + timedelta(days=7 * week)
            if day <= today:
                factories.make_checkin(enrollment, day, asks="Help")
    return cohort


def test_the_check_ins_table_is_kept_until_a_check_in_or_a_startup_changes(
    login_as, staff, count_queries
):
    """Kept as rendered for every staff member asking for the same period and page
    (core.cache.kept_body): a second view reads neither the startups nor their check-ins; a
    check-in or a renamed startup committed in between shows on the next view."""
    from accelerator.applications.models import Startup

    cohort = factories.make_cohort(phase="running")
    enrollment = factories.make_enrolled(
        cohort=cohort, startup=factories.make_startup(name="Société Éclair")
    )
    db.session.commit()
    today = local_today(timezone_of(cohort))
    current = cohort.starts_on + timedelta(days=7 * ((today - cohort.starts_on).days // 7))
    client = login_as(staff)
    url = f"/milestones/cohorts/{cohort.id}/checkins"
    first = client.get(url).text
    with count_queries() as counter:
        again = client.get(url).text
    assert unsigned(again) == unsigned(first)
    assert not any("FROM checkins" in s or "FROM startups" in s for s in counter.statements)
    assert counter.count <= 3, counter.statements
    assert "Société Éclair" in first and "Missing" in first
    factories.make_checkin(enrollment, current, asks="Un pilote chez Orange")
    db.session.commit()
    page = client.get(url).text
    assert "Un pilote chez Orange" in page and "Missing" not in page
    db.session.get(Startup, enrollment.startup_id).name = "Éclair Océan"
    db.session.commit()
    assert "Éclair Océan" in client.get(url).text


def test_cohort_check_ins_page_queries_do_not_grow_with_the_data(
    login_as, staff, count_queries, computed_figures
):
    small, large = _cohort_with(2, 2), _cohort_with(6, 5)
    client = login_as(staff)
    counts = []
    for cohort in (small, large):
        url = f"/milestones/cohorts/{cohort.id}/checkins"
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    counts = []
    for cohort in (small, large):
        with count_queries() as counter:
            assert client.get(f"/milestones/cohorts/{cohort.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_the_grant_request_of_a_milestone_reads_its_status_label_in_the_readers_language(
    login_as, enrollment, ms_founder, staff, admin
):
    from accelerator.grants import services as grant_services

    milestone = factories.milestone_with_tranche(enrollment, "midpoint")
    services.submit_milestone(milestone, actor=ms_founder, text="Done", link=None)
    _m, row, _note = services.approve_milestone(milestone, actor=staff)
    client = login_as(staff)
    url = f"/milestones/{milestone.id}"
    english = client.get(url).get_data(as_text=True)
    assert f"Grant request #{row.id} for $5,000.00:" in english
    assert 'data-status="requested">Awaiting approval</span>' in english
    assert "is requested" not in english

    grant_services.approve_disbursement(row, actor=admin, seen_amount_cents=row.amount_cents)
    french = client.get(url, headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert 'data-status="approved">Approuvé' in french
    assert "est approved" not in french and "is approved" not in french


def test_the_check_in_form_names_health_in_the_readers_language(login_as, enrollment, ms_founder):
    url = f"/milestones/enrollments/{enrollment.id}/checkins/new"
    french = login_as(ms_founder).get(url, headers={"Accept-Language": "fr-FR"}).text
    assert "Vert" in french and "Orange" in french and "Rouge" in french
    english = login_as(ms_founder).get(url).text
    assert "Green" in english and "Amber" in english
