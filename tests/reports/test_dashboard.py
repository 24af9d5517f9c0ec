"""The cohort dashboard's figures equal the ledger, check-in, milestone and session data."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.grants.models import Disbursement, DisbursementStatus
from accelerator.milestones import plans
from accelerator.milestones.models import CheckIn, Health
from accelerator.programs.models import Enrollment
from accelerator.programs.queries import demo_day
from accelerator.reports.dashboard import cohort_dashboard
from accelerator.sessions.models import MentorSession, SessionState


def _paid(grant_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(Disbursement.amount_cents), 0)).where(
            Disbursement.grant_id == grant_id, Disbursement.status == DisbursementStatus.PAID
        )
    )


def test_cards_equal_the_data(running):
    cohort, grants = running
    board = cohort_dashboard(cohort)
    assert len(board.cards) == 3
    by_enrollment = {card.enrollment_id: card for card in board.cards}
    for grant in grants:
        db.session.refresh(grant)
        card = by_enrollment[grant.enrollment_id]
        assert card.grant.amount == grant.amount_cents
        assert card.grant.committed == grant.committed_cents
        assert card.grant.paid == _paid(grant.id)
        assert card.grant.remaining == grant.amount_cents - grant.committed_cents
        minutes, count, last = db.session.execute(
            select(
                func.sum(MentorSession.duration_minutes),
                func.count(MentorSession.id),
                func.max(MentorSession.starts_at),
            ).where(
                MentorSession.startup_id == card.startup_id,
                MentorSession.state == SessionState.CONFIRMED,
            )
        ).one()
        assert card.mentor_minutes == minutes == 135
        assert card.sessions == count == 2
        assert card.mentor_hours == 2.2
        assert card.last_session_at is not None and card.last_session_at >= last.replace(
            tzinfo=card.last_session_at.tzinfo
        )
        latest = db.session.scalar(
            select(CheckIn)
            .where(CheckIn.enrollment_id == grant.enrollment_id)
            .order_by(CheckIn.period_on.desc())
            .limit(1)
        )
        assert card.health == latest.health
        assert card.last_checkin_on == latest.period_on
        assert (card.milestones.done, card.milestones.due, card.milestones.overdue) == (1, 1, 1)
        assert len(card.mentors) == 1
    assert board.total("paid") == sum(_paid(g.id) for g in grants)
    assert board.total("committed") == sum(g.committed_cents for g in grants)


def test_at_risk_flags_come_with_reasons(running):
    cohort, grants = running
    board = cohort_dashboard(cohort)
    red = [c for c in board.cards if c.health == Health.RED]
    assert len(red) == 1
    assert red[0].at_risk and all(flag.reason for flag in red[0].flags)
    # Every card here has an overdue milestone: each is flagged for it.
    assert all(any(f.rule == "overdue_milestone" for f in c.flags) for c in board.cards)
    assert board.at_risk == 3


def test_days_to_demo_day(running):
    cohort, _grants = running
    board = cohort_dashboard(cohort)
    assert board.demo_day == demo_day(cohort)  # the Demo day milestone's due date
    assert board.days_to_demo_day == (demo_day(cohort) - board.today).days
    assert board.days_to_demo_day > 0


def test_the_dashboard_and_the_staff_home_name_demo_days_one_date(running, login_as, staff):
    cohort, _grants = running
    line = next(t for t in plans.ensure_plan(cohort) if t.tranche_key == "demo_day")
    line.due_week = 12  # the Demo day milestone is due before the cohort's last day
    db.session.flush()
    day = demo_day(cohort)
    assert day == plans.due_date(cohort, 12) != cohort.ends_on
    days = cohort_dashboard(cohort).days_to_demo_day
    client = login_as(staff)
    english = client.get(f"/reports/cohorts/{cohort.id}").get_data(as_text=True)
    assert f"Demo day is on {day.isoformat()}, in {days} days." in english
    assert cohort.ends_on.isoformat() not in english
    french = client.get(f"/reports/cohorts/{cohort.id}", headers={"Accept-Language": "fr-FR"})
    french = french.get_data(as_text=True)
    assert "Demo day le" not in french  # was 'Demo day le 2027-01-18 : dans 47 jours'
    assert f"Demo day\u00a0: {day.isoformat()}, dans {days} jours." in french
    home = client.get("/").get_data(as_text=True)
    assert f"Demo day in {(day - utcnow().date()).days} days" in home


def test_empty_cohort(db, make):
    cohort = make.make_cohort(phase="running")
    board = cohort_dashboard(cohort)
    assert board.cards == [] and board.at_risk == 0


def test_page_shows_the_totals(running, login_as, staff):
    cohort, grants = running
    client = login_as(staff)
    response = client.get(f"/reports/cohorts/{cohort.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    paid = sum(_paid(g.id) for g in grants)
    assert f"${paid / 100:,.2f}" in html
    for grant in grants:
        startup_id = db.session.get(Enrollment, grant.enrollment_id).startup_id
        assert f"/reports/startups/{startup_id}" in html
    assert f'data-chart-url="/reports/cohorts/{cohort.id}/health.json"' in html
    assert html.count("data-at-risk") == 3


def test_chart_json_equals_the_data(running, login_as, staff):
    cohort, grants = running
    client = login_as(staff)
    grants_json = client.get(f"/reports/cohorts/{cohort.id}/grants.json").get_json()
    paid = dict(zip(grants_json["labels"], grants_json["datasets"][0]["data"], strict=True))
    assert sum(paid.values()) * 100 == sum(_paid(g.id) for g in grants)
    health = client.get(f"/reports/cohorts/{cohort.id}/health.json").get_json()
    total = sum(sum(d["data"]) for d in health["datasets"])
    assert total == db.session.scalar(
        select(func.count(CheckIn.id))
        .join(Enrollment, Enrollment.id == CheckIn.enrollment_id)
        .where(Enrollment.cohort_id == cohort.id)
    )
    assert health["labels"][0] == cohort.starts_on.isoformat()


def test_cohort_page_links_to_the_dashboard(running, login_as, staff):
    cohort, _grants = running
    html = login_as(staff).get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert f"/reports/cohorts/{cohort.id}" in html


def test_startup_page_gathers_every_domain(running, login_as, staff):
    cohort, grants = running
    enrollment = db.session.get(Enrollment, grants[0].enrollment_id)
    client = login_as(staff)
    html = client.get(f"/reports/startups/{enrollment.startup_id}").get_data(as_text=True)
    for section in (
        "startup-profile",
        "startup-applications",
        "startup-grants",
        "startup-mentoring",
        "startup-progress",
    ):
        assert section in html, section
    kpis = client.get(f"/reports/startups/{enrollment.startup_id}/kpis.json").get_json()
    assert kpis["datasets"][0]["data"] == [1000.0, 2000.0, 3000.0]
    assert date.fromisoformat(kpis["labels"][0]) == cohort.starts_on
    assert cohort.name in html


def test_the_dashboard_speaks_the_readers_locale(running, login_as, staff):
    """Money, hours and labels follow the reader's language: 1,234.50 in English, 1 234,50 in
    French, with the currency written as each language writes it."""
    import re

    cohort, grants = running
    board = cohort_dashboard(cohort)
    paid = board.total("paid")
    client = login_as(staff)
    english = client.get(f"/reports/cohorts/{cohort.id}", headers={"Accept-Language": "en"})
    french = client.get(f"/reports/cohorts/{cohort.id}", headers={"Accept-Language": "fr"})

    def total_paid(response) -> str:
        html = response.get_data(as_text=True)
        found = re.search(r"data-total-paid>([^<]+)<", html).group(1)
        return found.replace("\u202f", " ").replace("\xa0", " ")

    dollars, cents = divmod(paid, 100)
    assert total_paid(english) == f"${dollars:,}.{cents:02d}"
    assert total_paid(french) == f"{dollars:,}".replace(",", " ") + f",{cents:02d} $US"
    assert "Grant paid" in english.get_data(as_text=True)
    assert "Subvention payée" in french.get_data(as_text=True)
