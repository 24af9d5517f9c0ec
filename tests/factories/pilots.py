"""Builders for the pilots domain: a business unit with partners, an introduction, a pilot."""

from __future__ import annotations

from datetime import date, timedelta

from accelerator.auth.models import Role
from accelerator.extensions import db
from accelerator.pilots import services
from accelerator.pilots.models import (
    BusinessUnit,
    BusinessUnitPartner,
    Decision,
    Introduction,
    IntroductionStatus,
    Pilot,
)
from accelerator.programs.models import Cohort
from tests.factories.auth import make_user, unique
from tests.factories.programs import make_enrollment

__all__ = [
    "make_unit",
    "make_partner",
    "make_introduction",
    "make_pilot",
    "pilot_fields",
    "criteria",
]


def make_unit(*, program=None, cohort=None, name: str | None = None, **fields) -> BusinessUnit:
    """A business unit of `program` (or `cohort`'s program, or a new program)."""
    if program is None:
        if cohort is None:
            from tests.factories.programs import make_program

            program = make_program()
        else:
            program_id = cohort.program_id
            from accelerator.programs.models import Program

            program = db.session.get(Program, program_id)
    name = name or unique("Orange Unit ")
    from accelerator.core.text import name_key

    unit = BusinessUnit(
        program_id=program.id,
        name=name,
        name_key=name_key(name),
        country=fields.pop("country", "FR"),
        sponsor_name=fields.pop("sponsor_name", "Claire Sponsor"),
        **fields,
    )
    db.session.add(unit)
    db.session.flush()
    return unit


def make_partner(unit: BusinessUnit, **fields):
    user = make_user(role=Role.PARTNER, **fields)
    db.session.add(BusinessUnitPartner(user_id=user.id, business_unit_id=unit.id))
    db.session.flush()
    return user


def make_introduction(
    *,
    unit: BusinessUnit | None = None,
    startup=None,
    cohort: Cohort | None = None,
    status: IntroductionStatus | str = IntroductionStatus.REQUESTED,
    reason: str = "They sell to the unit's enterprise customers.",
    asked_by=None,
) -> Introduction:
    """An introduction of an enrolled startup to a unit, moved straight to `status`."""
    from accelerator.core.types import utcnow

    if startup is None or cohort is None:
        enrollment = make_enrollment(cohort=cohort, startup=startup)
        cohort = cohort or db.session.get(Cohort, enrollment.cohort_id)
        startup = startup or enrollment.startup_id
    startup_id = getattr(startup, "id", startup)
    unit = unit or make_unit(cohort=cohort)
    status = IntroductionStatus(status)
    now = utcnow()
    introduction = Introduction(
        startup_id=startup_id,
        business_unit_id=unit.id,
        cohort_id=cohort.id,
        asked_by_side="startup",
        asked_by_id=getattr(asked_by, "id", None),
        reason=reason,
        status=status,
        forwarded_at=now if status != IntroductionStatus.REQUESTED else None,
        answered_at=now if status in ("accepted", "declined") else None,
    )
    db.session.add(introduction)
    db.session.flush()
    return introduction


def criteria(count: int = 3) -> list[services.Criterion]:
    return [services.Criterion(f"Measure {n}", f"Target {n}", "") for n in range(1, count + 1)][
        :count
    ]


def pilot_fields(*, owner=None, criteria_count: int = 3, **changes) -> services.PilotFields:
    today = date.today()
    values = dict(
        title="Fraud alerts for SME customers",
        scope_in="Two regional agencies, 500 SME accounts.",
        scope_out="Consumer accounts.",
        budget_cents=2_500_000,
        currency="EUR",
        starts_on=today,
        ends_on=today + timedelta(days=60),
        decision_on=today + timedelta(days=75),
        owner_id=getattr(owner, "id", None),
        criteria=criteria(criteria_count),
    )
    values.update(changes)
    return services.PilotFields(**values)


def make_pilot(
    *,
    status: str = "scoping",
    introduction: Introduction | None = None,
    actor=None,
    owner=None,
    **changes,
) -> Pilot:
    """A pilot through the services, moved to `status` (scoping, running, decided, closed,
    stopped); `changes` alter its fields."""
    introduction = introduction or make_introduction(status="accepted")
    unit = db.session.get(BusinessUnit, introduction.business_unit_id)
    actor = actor or make_user(role=Role.STAFF)
    if owner is None:
        owner = make_partner(unit)
    pilot = services.create_pilot(
        introduction, fields=pilot_fields(owner=owner, **changes), actor=actor
    )
    if status in ("running", "decided", "closed"):
        services.start_pilot(pilot, actor=actor)
    if status in ("decided", "closed"):
        services.decide_pilot(
            pilot, decision=Decision.GO, contract_value_cents=12_000_000, actor=actor
        )
    if status == "closed":
        services.close_pilot(pilot, lessons="Start with one agency.", actor=actor)
    if status == "stopped":
        services.stop_pilot(pilot, reason="The unit reorganised.", actor=actor)
    db.session.flush()
    return pilot
