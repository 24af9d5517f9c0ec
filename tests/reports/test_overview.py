"""The program overview: funnel from statuses and their history, rates, decision times, money."""

from __future__ import annotations

from datetime import timedelta

from accelerator.applications.models import ApplicationStatus as S
from accelerator.core import audit
from accelerator.extensions import db
from accelerator.programs.models import Program
from accelerator.reports.overview import program_overview
from accelerator.reviews.models import Decision, Outcome
from tests import factories


def _moved(application, *statuses) -> None:
    """Record status moves as the applications service does (the funnel reads them)."""
    previous = S.SUBMITTED
    for status in statuses:
        audit.record(
            "application.status_changed",
            application,
            data={"from": previous.value, "to": status.value},
        )
        previous = status


def test_funnel_counts_each_stage_reached(db, make):
    cohort = make.make_cohort(phase="reviewing")
    program = db.session.get(Program, cohort.program_id)
    make.make_application(cohort=cohort, status=S.DRAFT)  # not in the funnel
    make.make_application(cohort=cohort, status=S.SUBMITTED)
    make.make_application(cohort=cohort, status=S.IN_REVIEW)
    rejected = make.make_application(cohort=cohort, status=S.REJECTED)
    _moved(rejected, S.IN_REVIEW, S.SHORTLISTED, S.REJECTED)  # reached shortlisted
    make.make_application(cohort=cohort, status=S.SHORTLISTED)
    declined = make.make_application(cohort=cohort, status=S.DECLINED)
    enrolled = factories.make_enrollment(cohort=cohort)
    overview = program_overview(program)
    [figures] = overview.cohorts
    # submitted, in review, shortlisted, offered, confirmed, enrolled
    assert figures.funnel == [6, 5, 4, 2, 1, 1]
    assert figures.acceptance_rate == round(100 * 2 / 6, 1)
    assert declined and enrolled


def test_decision_time_and_breakdowns(db, make):
    cohort = make.make_cohort(phase="reviewing")
    app_a = make.make_application(
        cohort=cohort, status=S.REJECTED, startup=make.make_startup(sector="Fintech", country="FR")
    )
    app_b = make.make_application(
        cohort=cohort,
        status=S.WAITLISTED,
        startup=make.make_startup(sector="Fintech", country="BE"),
    )
    for application, days in ((app_a, 4), (app_b, 10)):
        db.session.add(
            Decision(
                application_id=application.id,
                outcome=Outcome.REJECTED,
                decided_at=application.submitted_at + timedelta(days=days),
            )
        )
    db.session.flush()
    overview = program_overview(db.session.get(Program, cohort.program_id))
    [figures] = overview.cohorts
    assert figures.median_decision_days == 7.0
    assert figures.sectors == {"Fintech": 2}
    assert dict(figures.countries) == {"FR": 1, "BE": 1}
    assert overview.breakdown("sectors") == [("Fintech", [2])]


def test_money_and_mentoring_per_cohort(running):
    from accelerator.grants.models import Disbursement, DisbursementStatus

    cohort, grants = running
    [figures] = program_overview(db.session.get(Program, cohort.program_id)).cohorts
    paid = sum(
        d.amount_cents
        for d in db.session.query(Disbursement).filter(
            Disbursement.grant_id.in_([g.id for g in grants]),
            Disbursement.status == DisbursementStatus.PAID,
        )
    )
    assert figures.grant_paid == paid
    assert figures.grant_committed == sum(g.committed_cents for g in grants)
    assert figures.grant_amount == sum(g.amount_cents for g in grants)
    assert (figures.mentors, figures.pairs, figures.sessions) == (3, 3, 6)
    assert figures.mentor_minutes == 3 * 135


def test_compare_chosen_cohorts(running, login_as, staff, make):
    cohort, _grants = running
    other = make.make_cohort(program=db.session.get(Program, cohort.program_id), phase="open")
    client = login_as(staff)
    both = client.get(f"/reports/?program={cohort.program_id}").get_data(as_text=True)
    assert cohort.name in both and other.name in both
    one = client.get(f"/reports/?program={cohort.program_id}&cohort={other.id}&cohort=junk")
    assert one.status_code == 200
    html = one.get_data(as_text=True)
    assert f'<th scope="col" class="text-end">{cohort.name}</th>' not in html
    assert client.get("/reports/?program=999999").status_code == 404
    assert client.get("/reports/?program=abc").status_code == 200


def test_the_mix_reads_countries_and_stages_by_name(db, make, login_as, staff):
    cohort = make.make_cohort(phase="reviewing")
    make.make_application(
        cohort=cohort, status=S.SUBMITTED, startup=make.make_startup(country="BE", stage="series_a")
    )
    page = login_as(staff).get(f"/reports/?program={cohort.program_id}").text
    assert "Belgium" in page and "Series A" in page
    assert ">series_a<" not in page and ">BE<" not in page
