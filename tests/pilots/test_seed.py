"""The pilots seed: six business units with partners who sign in, Season 12 with a pilot and an
introduction in each state (one pilot overdue for decision, one go with its contract value),
Season 11's closed pilots with lessons; acts dated in the past, no mail, idempotent."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accelerator import cli
from accelerator.auth.models import Role, User
from accelerator.auth.seed import DEMO_PASSWORD
from accelerator.config import ROOT
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.timeutil import local_today, to_local
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.pilots.models import (
    BusinessUnit,
    BusinessUnitPartner,
    Decision,
    Introduction,
    Pilot,
    PilotCriterion,
    Side,
)
from accelerator.pilots.seed import seed
from accelerator.programs.models import Cohort, Program
from tests.auth.helpers import sign_in

SEED_DIR = ROOT / "seed_data"
TZ = "Europe/Paris"  # Orange Fab France's


def _quiet(*_args, **_kwargs) -> None:
    return None


@pytest.fixture
def demo(db):
    """`flask seed` up to this domain's seed (the reports seed, after it, is left out)."""
    for name, step in cli._seeders():
        step(SEED_DIR, _quiet)
        if name == "pilots":
            break
    db.session.flush()


def _cohort(name: str) -> Cohort:
    return db.session.scalar(select(Cohort).where(Cohort.name == name))


def _pilots(cohort: Cohort) -> list[Pilot]:
    return list(db.session.scalars(select(Pilot).where(Pilot.cohort_id == cohort.id)))


def _introductions(cohort: Cohort) -> list[Introduction]:
    return list(db.session.scalars(select(Introduction).where(Introduction.cohort_id == cohort.id)))


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (BusinessUnit, BusinessUnitPartner, Introduction, Pilot, PilotCriterion)
    )


def test_nothing_to_seed_without_program_staff(db):
    said = []
    assert seed(SEED_DIR, said.append) == 0
    assert "nothing seeded" in said[0]


def test_units_have_their_partners_and_staff_lead(demo):
    rows = db.session.execute(
        select(BusinessUnit, Program.name).join(Program, Program.id == BusinessUnit.program_id)
    ).all()
    programs = {unit.name: program for unit, program in rows}
    assert programs == {
        "Orange Business": "Orange Fab France",
        "Orange Wholesale": "Orange Fab France",
        "Orange Cyberdefense": "Orange Fab France",
        "Orange Innovation": "Orange Fab France",
        "Orange Bank": "Orange Fab France",
        "Orange Silicon Valley": "Orange Fab Silicon Valley",
    }
    partners = Counter(db.session.scalars(select(BusinessUnitPartner.business_unit_id)))
    for unit, _program in rows:
        assert 2 <= partners[unit.id] <= 3, unit.name
        assert unit.staff_lead_id is not None and unit.sponsor_name and unit.sponsor_title


def test_season_12_has_every_state_one_overdue_and_one_go_with_its_value(demo):
    cohort = _cohort("Season 12")
    pilots = _pilots(cohort)
    assert {p.status.value for p in pilots} == {
        "scoping",
        "running",
        "decided",
        "closed",
        "stopped",
    }
    today = local_today(TZ)
    overdue = db.session.scalars(
        select(Pilot).where(Pilot.cohort_id == cohort.id, Pilot.overdue_on(today))
    ).all()
    assert len(overdue) == 1 and overdue[0].decision_on < today
    assert overdue[0].overdue_on(today + timedelta(days=30))  # stays overdue: nobody decided
    goes = [p for p in pilots if p.decision == Decision.GO]
    assert goes and all(p.contract_value_cents > 0 for p in goes)
    assert any(p.status.value == "decided" for p in goes)

    for pilot in pilots:
        criteria = db.session.scalars(
            select(PilotCriterion).where(PilotCriterion.pilot_id == pilot.id)
        ).all()
        assert 3 <= len(criteria) <= 5, pilot.title
        if pilot.decision is not None:  # decided: every criterion has its result
            assert all(c.actual for c in criteria), pilot.title
        assert pilot.budget_cents > 0 and pilot.currency == "EUR"
        assert pilot.owner_id in set(
            db.session.scalars(
                select(BusinessUnitPartner.user_id).where(
                    BusinessUnitPartner.business_unit_id == pilot.business_unit_id
                )
            )
        )

    introductions = _introductions(cohort)
    assert {i.status.value for i in introductions} == {
        "requested",
        "forwarded",
        "accepted",
        "declined",
        "withdrawn",
    }
    askers = {i.asked_by_id: i.asked_by_side for i in introductions}
    asked = Counter(
        (side.value, db.session.get(User, user_id).role.value) for user_id, side in askers.items()
    )
    assert asked[("startup", "founder")] >= 3
    assert asked[("startup", "mentor")] == 1
    assert asked[("partner", "partner")] == 1
    assert any(i.asked_by_side == Side.PARTNER for i in introductions)


def test_season_11_has_closed_pilots_with_lessons_go_and_no_go(demo):
    pilots = _pilots(_cohort("Season 11"))
    assert pilots and all(p.status.value == "closed" and p.lessons for p in pilots)
    assert {p.decision for p in pilots} == {Decision.GO, Decision.NO_GO}
    assert all(p.no_go_reason for p in pilots if p.decision == Decision.NO_GO)


def test_acts_are_dated_on_their_days_in_the_past_and_send_no_mail(demo):
    now = utcnow()
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action.like("introduction.%") | AuditEvent.action.like("pilot.%")
        )
    ).all()
    assert events and all(e.created_at < now for e in events)
    days = {to_local(e.created_at, TZ).date() for e in events}
    assert len(days) > 20  # spread over the seasons, not all at the moment of seeding
    running = _cohort("Season 12")
    for pilot in _pilots(running) + _pilots(_cohort("Season 11")):
        introduction = db.session.get(Introduction, pilot.introduction_id)
        assert introduction.created_at <= introduction.answered_at <= pilot.created_at
        if pilot.started_at:
            assert pilot.created_at <= pilot.started_at
        if pilot.decided_at:  # days from introduction to decision: weeks, not zero
            assert 20 <= (pilot.decided_at - introduction.created_at).days <= 90
    for introduction in _introductions(running):
        assert to_local(introduction.created_at, TZ).date() >= running.starts_on
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0


def test_seeding_twice_adds_nothing(demo):
    before = _counts()
    assert before[0] == 6
    assert seed(SEED_DIR, _quiet) == 0
    assert _counts() == before


def test_the_demo_partner_signs_in_and_belongs_to_orange_business(demo, client):
    answer = sign_in(client, "partner@example.org", DEMO_PASSWORD)
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    unit = db.session.scalar(
        select(BusinessUnit.name)
        .join(BusinessUnitPartner, BusinessUnitPartner.business_unit_id == BusinessUnit.id)
        .join(User, User.id == BusinessUnitPartner.user_id)
        .where(User.email == "partner@example.org", User.role == Role.PARTNER)
    )
    assert unit == "Orange Business"
