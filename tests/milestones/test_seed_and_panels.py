"""The demo seed (idempotent, milestones in every state, one startup at risk) and what
milestones add to the staff home and the staff cohort page."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from accelerator.core.models import OutboxEmail
from accelerator.core.risk import flags_for
from accelerator.core.timeutil import local_today
from accelerator.milestones.models import CheckIn, Milestone
from accelerator.milestones.seed import seed
from tests import factories


def _seeded_world():
    factories.make_user(role="staff")
    factories.make_user(role="staff")
    program = factories.make_program(name="Orange Fab France")
    factories.make_cohort(program=program, phase="completed", name="Season 11")
    # As in seed_data/programs.json: Season 12 started 45 days before the demo was seeded.
    today = local_today("Europe/Paris")
    running = factories.make_cohort(
        program=program,
        phase="running",
        name="Season 12",
        starts_on=today - timedelta(days=45),
        ends_on=today + timedelta(days=46),
    )
    names = ["Atlas", "Borealis", "Cobalt", "Delta", "Echo", "Foxtrot"]
    enrollments = [
        factories.make_enrolled(cohort=running, startup=factories.make_startup(name=n))
        for n in names
    ]
    return running, enrollments


def test_nothing_to_seed_without_the_cohort(db):
    said = []
    assert seed(Path("."), said.append) == 0
    assert "nothing seeded" in said[0]


def test_the_running_cohort_is_seeded_once_with_every_state_and_one_startup_at_risk(db):
    running, enrollments = _seeded_world()
    mails_before = db.session.scalar(select(func.count(OutboxEmail.id)))
    assert seed(Path("."), print) > 0
    assert seed(Path("."), print) == 0  # idempotent
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == mails_before  # quiet

    today = local_today("Europe/Paris")
    ids = [e.id for e in enrollments]
    shown = Counter(
        m.shown_status(today).value
        for m in db.session.scalars(select(Milestone).where(Milestone.enrollment_id.in_(ids)))
    )
    assert {"planned", "submitted", "sent_back", "approved", "dropped", "overdue"} <= set(shown)
    assert db.session.scalar(select(func.count(CheckIn.id))) >= 20

    flags = flags_for(running.id, [e.startup_id for e in enrollments])
    at_risk = {sid: f for sid, f in flags.items() if f}
    assert len(at_risk) == 1
    reasons = {flag.rule for flag in next(iter(at_risk.values()))}
    assert {"missed_checkins", "reported_red", "overdue_milestone", "flat_kpis"} <= reasons


def test_staff_see_the_flags_on_the_cohort_page_and_their_home(login_as, staff):
    cohort = factories.make_cohort(phase="running")
    enrollment = factories.make_enrolled(cohort=cohort)
    factories.make_checkin(enrollment, cohort.starts_on, health="red", blockers="Sponsor left")
    client = login_as(staff)
    for url in (f"/cohorts/{cohort.id}", "/", f"/milestones/cohorts/{cohort.id}"):
        body = client.get(url).get_data(as_text=True)
        assert "Sponsor left" in body and "At risk" in body, url


def test_founder_home_shows_this_periods_check_in(login_as, ms_founder, enrollment):
    body = login_as(ms_founder).get("/").get_data(as_text=True)
    assert "Fill this period&#39;s check-in" in body or "Fill this period's check-in" in body
