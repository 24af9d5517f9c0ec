"""Introductions and pilots through their services: who may ask and answer, one open request
per startup and unit, the pilot's moves and what each refuses, audit and mail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.extensions import db
from accelerator.pilots import services
from accelerator.pilots.models import (
    Decision,
    IntroductionStatus,
    Pilot,
    PilotCriterion,
    PilotStatus,
    Side,
)
from tests import factories

IS, PS = IntroductionStatus, PilotStatus


def actions(obj) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == obj.__tablename__, AuditEvent.object_id == obj.id)
            .order_by(AuditEvent.id)
        )
    )


def mailed(email: str) -> list[str]:
    return list(db.session.scalars(select(OutboxEmail.subject).where(OutboxEmail.to == email)))


def ask(pair, actor=None, reason="Their fraud scoring fits Orange Bank's SME offer."):
    return services.ask_introduction(
        startup=pair.startup, unit=pair.unit, reason=reason, actor=actor or pair.founder
    )


# --- introductions ---------------------------------------------------------------------------


def test_a_founder_asks_staff_forward_the_partner_accepts(db, pair):
    intro = ask(pair)
    assert intro.status == IS.REQUESTED and intro.asked_by_side == Side.STARTUP
    assert intro.cohort_id == pair.cohort.id
    assert mailed(pair.staff.email) and not mailed(pair.founder.email)

    services.forward_introduction(intro, actor=pair.staff)
    assert intro.status == IS.FORWARDED and intro.forwarded_at is not None
    assert any("to answer" in s for s in mailed(pair.partner.email))

    services.accept_introduction(intro, note="Let's meet on Tuesday.", actor=pair.partner)
    assert intro.status == IS.ACCEPTED and intro.answered_by_id == pair.partner.id
    assert actions(intro) == [
        "introduction.requested",
        "introduction.forwarded",
        "introduction.accepted",
    ]
    assert any("accepted" in s for s in mailed(pair.founder.email))


def test_staff_asking_on_the_startups_behalf_is_forwarded_at_once(db, pair):
    intro = ask(pair, actor=pair.staff)
    assert intro.status == IS.FORWARDED and intro.asked_by_side == Side.STARTUP


def test_the_startups_mentor_may_ask_another_mentor_may_not(db, pair):
    assert ask(pair, actor=pair.mentor).asked_by_side == Side.STARTUP
    stranger = factories.make_mentor(name="Other Mentor")
    other_unit = factories.make_unit(cohort=pair.cohort, name="Orange Business")
    with pytest.raises(NotAllowed):
        services.ask_introduction(
            startup=pair.startup, unit=other_unit, reason="Why not", actor=stranger
        )


def test_a_partner_asks_to_meet_and_the_founder_answers(db, pair):
    intro = ask(pair, actor=pair.partner, reason="We need fraud scoring for SMEs.")
    assert intro.asked_by_side == Side.PARTNER and intro.answering_side == Side.STARTUP
    services.forward_introduction(intro, actor=pair.staff)
    with pytest.raises(NotAllowed):
        services.accept_introduction(intro, actor=pair.other_partner)
    services.accept_introduction(intro, actor=pair.founder)
    assert intro.status == IS.ACCEPTED


def test_a_partner_of_another_unit_cannot_ask_for_this_one(db, pair):
    other = factories.make_unit(cohort=pair.cohort, name="Orange Wholesale")
    outsider = factories.make_partner(other)
    with pytest.raises(NotAllowed):
        ask(pair, actor=outsider)


def test_one_open_request_per_startup_and_unit(db, pair):
    ask(pair)
    with pytest.raises(Conflict) as refused:
        ask(pair, actor=pair.mentor)
    assert refused.value.field == "business_unit"
    assert "already have an open request" in refused.value.message


def test_after_a_decline_the_startup_may_ask_again(db, pair):
    intro = ask(pair)
    services.decline_introduction(intro, reason="Too early for the bank.", actor=pair.staff)
    assert intro.status == IS.DECLINED and intro.answer_note == "Too early for the bank."
    assert ask(pair).status == IS.REQUESTED


def test_declining_needs_a_reason_and_the_request_stays_open(db, pair):
    intro = ask(pair)
    with pytest.raises(ValidationFailed) as refused:
        services.decline_introduction(intro, reason="  ", actor=pair.staff)
    assert refused.value.field == "reason"
    assert intro.status == IS.REQUESTED


def test_only_staff_forward_and_a_partner_cannot_decline_before_staff(db, pair):
    intro = ask(pair)
    with pytest.raises(NotAllowed):
        services.forward_introduction(intro, actor=pair.partner)
    with pytest.raises(NotAllowed):
        services.decline_introduction(intro, reason="No", actor=pair.partner)


def test_an_answered_introduction_refuses_another_move_with_409(db, pair):
    intro = ask(pair)
    services.forward_introduction(intro, actor=pair.staff)
    services.accept_introduction(intro, actor=pair.partner)
    with pytest.raises(InvalidState) as refused:
        services.decline_introduction(intro, reason="Changed our mind", actor=pair.partner)
    assert "already accepted" in refused.value.message


def test_the_asker_withdraws(db, pair):
    intro = ask(pair)
    with pytest.raises(NotAllowed):
        services.withdraw_introduction(intro, reason="", actor=pair.partner)
    services.withdraw_introduction(intro, reason="We found another way.", actor=pair.founder)
    assert intro.status == IS.WITHDRAWN


def test_a_startup_not_in_the_units_program_cannot_be_introduced(db, pair):
    elsewhere = factories.make_unit(name="Orange Silicon Valley")  # another program
    with pytest.raises(InvalidState):
        services.ask_introduction(
            startup=pair.startup, unit=elsewhere, reason="US market", actor=pair.staff
        )


# --- pilots ----------------------------------------------------------------------------------


def accepted(pair):
    intro = ask(pair)
    services.forward_introduction(intro, actor=pair.staff)
    services.accept_introduction(intro, actor=pair.partner)
    return intro


def test_a_pilot_runs_from_scoping_to_a_go_and_is_closed(db, pair):
    pilot = services.create_pilot(
        accepted(pair), fields=factories.pilot_fields(owner=pair.partner), actor=pair.partner
    )
    assert pilot.status == PS.SCOPING and pilot.cohort_id == pair.cohort.id
    services.start_pilot(pilot, actor=pair.partner)
    assert pilot.status == PS.RUNNING and pilot.started_at is not None
    services.decide_pilot(
        pilot,
        decision=Decision.GO,
        contract_reference="PO-2026-118",
        contract_value_cents=12_000_000,
        actor=pair.partner,
    )
    assert pilot.status == PS.DECIDED and pilot.decision == Decision.GO
    services.close_pilot(pilot, lessons="Involve procurement from week one.", actor=pair.staff)
    assert pilot.status == PS.CLOSED
    assert actions(pilot) == ["pilot.created", "pilot.started", "pilot.decided", "pilot.closed"]
    assert any("decided" in s for s in mailed(pair.founder.email))


def test_only_an_accepted_introduction_becomes_a_pilot_and_only_once(db, pair):
    intro = ask(pair)
    with pytest.raises(InvalidState):
        services.create_pilot(intro, fields=factories.pilot_fields(), actor=pair.staff)
    services.forward_introduction(intro, actor=pair.staff)
    services.accept_introduction(intro, actor=pair.partner)
    services.create_pilot(intro, fields=factories.pilot_fields(), actor=pair.staff)
    with pytest.raises(Conflict):
        services.create_pilot(intro, fields=factories.pilot_fields(), actor=pair.staff)


@pytest.mark.parametrize(
    "changes, missing",
    [
        ({"criteria_count": 2}, "3 to 5 success criteria"),
        ({"owner": None}, "an owner"),
        ({"decision_on": None}, "decision date"),
    ],
)
def test_a_pilot_without_criteria_owner_or_decision_date_cannot_start(db, pair, changes, missing):
    owner = changes.pop("owner", pair.partner)
    pilot = services.create_pilot(
        accepted(pair), fields=factories.pilot_fields(owner=owner, **changes), actor=pair.staff
    )
    with pytest.raises(InvalidState) as refused:
        services.start_pilot(pilot, actor=pair.staff)
    assert missing in refused.value.message
    assert pilot.status == PS.SCOPING


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"ends_on": date.today() - timedelta(days=1)}, "ends_on"),
        ({"decision_on": date.today() - timedelta(days=1)}, "decision_on"),
        ({"budget_cents": -5}, "budget"),
        ({"currency": "euros"}, "currency"),
        ({"title": " "}, "title"),
        (
            {"criteria": [services.Criterion("", "95% of alerts in 2 s")]},
            "measure_1",
        ),
        ({"criteria": factories.criteria(3) * 2}, "criteria"),
    ],
)
def test_bad_pilot_input_is_refused_beside_its_field(db, pair, changes, field):
    with pytest.raises(ValidationFailed) as refused:
        services.create_pilot(
            accepted(pair),
            fields=factories.pilot_fields(owner=pair.partner, **changes),
            actor=pair.staff,
        )
    assert field in (refused.value.field, *getattr(refused.value, "errors", {}))
    assert db.session.scalar(select(Pilot.id)) is None


def test_the_owner_must_be_a_partner_of_the_unit(db, pair):
    with pytest.raises(ValidationFailed) as refused:
        services.create_pilot(
            accepted(pair), fields=factories.pilot_fields(owner=pair.staff), actor=pair.staff
        )
    assert refused.value.field == "owner"


def test_a_go_needs_the_contract_value_and_a_no_go_its_reason(db, pair):
    pilot = factories.make_pilot(status="running", introduction=accepted(pair), owner=pair.partner)
    with pytest.raises(ValidationFailed) as refused:
        services.decide_pilot(pilot, decision=Decision.GO, actor=pair.staff)
    assert refused.value.field == "contract_value"
    with pytest.raises(ValidationFailed):
        services.decide_pilot(pilot, decision=Decision.NO_GO, reason=" ", actor=pair.staff)
    assert pilot.status == PS.RUNNING
    services.decide_pilot(
        pilot, decision=Decision.NO_GO, reason="No budget this year.", actor=pair.staff
    )
    assert pilot.decision == Decision.NO_GO


@pytest.mark.parametrize(
    "status, act",
    [
        ("scoping", "decide"),
        ("scoping", "close"),
        ("running", "start"),
        ("running", "close"),
        ("decided", "stop"),
        ("closed", "stop"),
        ("stopped", "start"),
    ],
)
def test_a_move_the_status_does_not_allow_is_a_409(db, pair, status, act):
    pilot = factories.make_pilot(status=status, introduction=accepted(pair), owner=pair.partner)
    moves = {
        "start": lambda: services.start_pilot(pilot, actor=pair.staff),
        "decide": lambda: services.decide_pilot(
            pilot, decision=Decision.GO, contract_value_cents=100, actor=pair.staff
        ),
        "close": lambda: services.close_pilot(pilot, lessons="x", actor=pair.staff),
        "stop": lambda: services.stop_pilot(pilot, reason="x", actor=pair.staff),
    }
    with pytest.raises(InvalidState):
        moves[act]()
    assert pilot.status == PilotStatus(status)


def test_founders_and_mentors_cannot_change_a_pilot_partners_of_other_units_neither(db, pair):
    pilot = factories.make_pilot(introduction=accepted(pair), owner=pair.partner)
    outsider = factories.make_partner(factories.make_unit(cohort=pair.cohort))
    for actor in (pair.founder, pair.mentor, outsider):
        with pytest.raises(NotAllowed):
            services.start_pilot(pilot, actor=actor)


def test_updating_records_the_fields_and_a_moved_decision_date(db, pair):
    pilot = factories.make_pilot(status="running", introduction=accepted(pair), owner=pair.partner)
    later = pilot.decision_on + timedelta(days=14)
    fields = factories.pilot_fields(
        owner=pair.partner,
        decision_on=later,
        criteria=[services.Criterion(f"Measure {n}", f"Target {n}", "done") for n in (1, 2, 3)],
    )
    changed = services.update_pilot(pilot, fields=fields, actor=pair.partner)
    assert set(changed) == {"decision_on", "criteria"}
    actuals = db.session.scalars(
        select(PilotCriterion.actual).where(PilotCriterion.pilot_id == pilot.id)
    ).all()
    assert actuals == ["done", "done", "done"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "pilot.updated")).one()
    assert event.data["decision_on_to"] == later.isoformat()


def test_a_running_pilot_keeps_its_criteria(db, pair):
    pilot = factories.make_pilot(status="running", introduction=accepted(pair), owner=pair.partner)
    with pytest.raises(InvalidState):
        services.update_pilot(
            pilot,
            fields=factories.pilot_fields(owner=pair.partner, criteria_count=2),
            actor=pair.staff,
        )


def test_only_founders_share_kpis_and_it_is_recorded(db, pair):
    pilot = factories.make_pilot(introduction=accepted(pair), owner=pair.partner)
    with pytest.raises(NotAllowed):
        services.share_kpis(pilot, shared=True, actor=pair.partner)
    services.share_kpis(pilot, shared=True, actor=pair.founder)
    assert pilot.kpis_shared and actions(pilot)[-1] == "pilot.kpis_shared"


def test_overdue_for_decision_reads_the_same_in_python_and_sql(db, pair):
    pilot = factories.make_pilot(status="running", introduction=accepted(pair), owner=pair.partner)
    day_after = pilot.decision_on + timedelta(days=1)
    assert not pilot.overdue_on(pilot.decision_on) and pilot.overdue_on(day_after)
    found = db.session.scalars(select(Pilot.id).where(Pilot.overdue_on(day_after))).all()
    assert found == [pilot.id]
    assert not db.session.scalars(select(Pilot.id).where(Pilot.overdue_on(pilot.decision_on))).all()


# --- business units --------------------------------------------------------------------------


def test_unit_names_are_unique_per_program_whatever_the_case_and_accents(db, pair):
    program = pair.unit.program_id
    from accelerator.programs.models import Program

    fields = services.UnitFields(name="Société Éclair Labs", country="FR", sponsor_name="Anne")
    unit = services.create_unit(
        program=db.session.get(Program, program), fields=fields, actor=pair.staff
    )
    assert unit.name_key == "société éclair labs"
    twin = services.UnitFields(name="SOCIÉTÉ  ÉCLAIR LABS", country="FR", sponsor_name="Bob")
    with pytest.raises(Conflict) as refused:
        services.create_unit(
            program=db.session.get(Program, program), fields=twin, actor=pair.staff
        )
    assert refused.value.field == "name"


def test_an_invited_partner_joins_the_unit_when_they_accept(db, pair):
    from accelerator.auth import services as auth

    invitation, token = services.invite_partner(
        pair.unit, email="nadia@orange.example", name="Nadia", actor=pair.staff
    )
    user = auth.accept_invitation(token, name="Nadia Partner", password="a long enough secret 7")
    from accelerator.pilots import queries

    assert queries.partner_unit_id(user) == pair.unit.id
    assert user.id in queries.partner_ids(pair.unit.id)


def test_every_mistake_of_a_pilot_is_told_at_once(db, pair):
    fields = factories.pilot_fields(
        owner=pair.partner,
        title=" ",
        ends_on=date.today() - timedelta(days=1),
        criteria=[services.Criterion("", "95% of alerts in 2 s")],
    )
    with pytest.raises(ValidationFailed) as refused:
        services.create_pilot(accepted(pair), fields=fields, actor=pair.staff)
    assert {"title", "ends_on", "measure_1"} <= set(refused.value.errors)
