"""The purgatory guard: a running pilot past its decision date without a decision flags the
startup at risk and reminds its owner and the unit's staff lead once a week."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from accelerator.core.models import OutboxEmail
from accelerator.core.risk import flags_for, rule_names
from accelerator.extensions import db
from accelerator.pilots import purgatory, services
from accelerator.pilots.models import Decision
from tests import factories

RULE = "pilot_overdue_for_decision"


def _noon(day):
    return datetime.combine(day, time(12), UTC)


def _mail(email: str) -> list[str]:
    """The overdue reminders mailed to `email`."""
    return [
        subject
        for subject in db.session.scalars(
            select(OutboxEmail.subject).where(OutboxEmail.to == email)
        )
        if subject.startswith("Decision overdue")
    ]


def _running(pair, **changes):
    intro = factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="accepted"
    )
    return factories.make_pilot(
        status="running", introduction=intro, owner=pair.partner, actor=pair.staff, **changes
    )


def test_the_rule_is_registered():
    assert RULE in rule_names()


def test_a_running_pilot_past_its_decision_date_flags_the_startup(db, pair):
    pilot = _running(pair)
    on_the_day = _noon(pilot.decision_on)
    assert not [
        f
        for f in flags_for(pair.cohort.id, [pair.startup.id], now=on_the_day)[pair.startup.id]
        if f.rule == RULE
    ]
    day_after = _noon(pilot.decision_on + timedelta(days=1))
    flags = flags_for(pair.cohort.id, [pair.startup.id], now=day_after)[pair.startup.id]
    reasons = [f.reason for f in flags if f.rule == RULE]
    assert reasons == [
        f"The pilot with Orange Bank was to be decided by {pilot.decision_on.isoformat()} and is "
        "overdue for decision."
    ]


def test_a_decision_clears_the_flag(db, pair):
    pilot = _running(pair)
    services.decide_pilot(pilot, decision=Decision.NO_GO, reason="No budget", actor=pair.staff)
    later = _noon(pilot.decision_on + timedelta(days=3))
    flags = flags_for(pair.cohort.id, [pair.startup.id], now=later)[pair.startup.id]
    assert not [f for f in flags if f.rule == RULE]


def test_the_reminder_goes_to_owner_and_staff_lead_once_a_week(db, pair):
    lead = factories.make_user(role="staff", name="Lina Lead")
    pair.unit.staff_lead_id = lead.id
    pilot = _running(pair)
    monday = pilot.decision_on + timedelta(days=7 - pilot.decision_on.weekday())  # next Monday
    assert purgatory.overdue_reminders(_noon(monday)) == 1
    assert purgatory.overdue_reminders(_noon(monday + timedelta(days=2))) == 0  # same week
    assert len(_mail(pair.partner.email)) == 1 and len(_mail(lead.email)) == 1
    assert _mail(pair.staff.email) == []  # the lead, not the whole team
    assert purgatory.overdue_reminders(_noon(monday + timedelta(days=7))) == 1  # next week
    assert len(_mail(pair.partner.email)) == 2


def test_without_a_staff_lead_the_whole_team_is_reminded(db, pair):
    pilot = _running(pair)
    assert purgatory.overdue_reminders(_noon(pilot.decision_on + timedelta(days=1))) == 1
    assert len(_mail(pair.staff.email)) == 1 and len(_mail(pair.partner.email)) == 1


def test_nothing_is_sent_before_the_decision_date_nor_for_a_pilot_in_scoping(db, pair):
    pilot = _running(pair)
    assert purgatory.overdue_reminders(_noon(pilot.decision_on)) == 0
    scoping = factories.make_pilot(
        introduction=factories.make_introduction(
            unit=factories.make_unit(cohort=pair.cohort),
            startup=pair.startup,
            cohort=pair.cohort,
            status="accepted",
        ),
        actor=pair.staff,
    )
    assert purgatory.overdue_reminders(_noon(scoping.decision_on + timedelta(days=30))) == 1
