"""Program, cohort and tag services: rules, audit events, and what they store."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.programs import services
from accelerator.programs.models import Cohort, CohortState, ExpertiseTag, Phase
from accelerator.programs.rules import CohortInput, CohortInvalid
from tests.factories import cohort_input


def events(action: str) -> list[AuditEvent]:
    return list(db_scalars(select(AuditEvent).where(AuditEvent.action == action)))


def db_scalars(statement):
    return db.session.scalars(statement)


@pytest.fixture
def program(staff):
    return services.create_program(
        actor=staff, name="Orange Fab France", location="Paris", timezone="Europe/Paris"
    )


# Programs -------------------------------------------------------------------------------------


def test_create_program_is_audited(staff, program):
    assert program.id and program.timezone == "Europe/Paris"
    (event,) = events("program.created")
    assert event.actor_id == staff.id and event.object_id == program.id


def test_program_names_are_unique_ignoring_case(staff, program):
    with pytest.raises(Conflict) as caught:
        services.create_program(
            actor=staff, name="orange fab FRANCE", location="Lyon", timezone="Europe/Paris"
        )
    assert caught.value.field == "name"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"name": " "}, "name"),
        ({"location": ""}, "location"),
    ],
)
def test_program_fields_are_checked(staff, changes, field):
    values = dict(name="P", location="Paris", timezone="Europe/Paris")
    values.update(changes)
    with pytest.raises(ValidationFailed) as caught:
        services.create_program(actor=staff, **values)
    assert caught.value.field == field


def test_update_program_records_what_changed(staff, program):
    services.update_program(
        program,
        actor=staff,
        name=program.name,
        location="Paris 13e",
        timezone="Europe/Paris",
        description="New text",
    )
    (event,) = events("program.updated")
    assert event.data == {"changed": ["description", "location"]}
    # Saving without a change writes no event.
    services.update_program(
        program,
        actor=staff,
        name=program.name,
        location="Paris 13e",
        timezone="Europe/Paris",
        description="New text",
    )
    assert len(events("program.updated")) == 1


@pytest.mark.parametrize("role", ["founder", "mentor"])
def test_only_staff_manage_programs(make, role):
    user = make.make_user(role=role)
    with pytest.raises(NotAllowed):
        services.create_program(actor=user, name="P", location="X", timezone="UTC")


# Cohorts --------------------------------------------------------------------------------------


def test_create_cohort_stores_utc_and_defaults_and_starts_as_draft(staff, program):
    cohort = services.create_cohort(program, actor=staff, data=cohort_input())
    assert cohort.state == CohortState.DRAFT and cohort.phase == Phase.DRAFT
    assert cohort.applications_open_at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert cohort.ends_on == date(2026, 8, 11)
    assert (cohort.capacity, cohort.grant_amount_cents, cohort.currency) == (6, 2_000_000, "USD")
    assert sum(t["percent"] for t in cohort.tranche_plan) == 100
    (event,) = events("cohort.created")
    assert event.object_id == cohort.id and event.data["program"] == program.name


def test_cohort_rules_raise_with_every_error(staff, program):
    with pytest.raises(CohortInvalid) as caught:
        services.create_cohort(
            program,
            actor=staff,
            data=cohort_input(applications_close_at=datetime(2026, 2, 1), capacity=0),
        )
    assert set(caught.value.errors) == {"applications_close_at", "capacity"}
    assert events("cohort.created") == []


def test_cohort_names_are_unique_within_a_program(staff, make, program):
    services.create_cohort(program, actor=staff, data=cohort_input())
    with pytest.raises(CohortInvalid) as caught:
        services.create_cohort(program, actor=staff, data=cohort_input(name="season 13"))
    assert "name" in caught.value.errors
    other = make.make_program()
    assert services.create_cohort(other, actor=staff, data=cohort_input()).name == "Season 13"


def test_update_cohort_is_audited_with_the_changed_fields(staff, program):
    cohort = services.create_cohort(program, actor=staff, data=cohort_input())
    services.update_cohort(
        cohort, actor=staff, data=cohort_input(capacity=8, grant_amount_cents=2_500_000)
    )
    (event,) = events("cohort.updated")
    assert event.data == {"changed": ["capacity", "grant_amount_cents"]}
    assert cohort.capacity == 8


def test_capacity_never_drops_below_enrolled_startups(staff, make):
    cohort = make.make_cohort(phase="running", capacity=6)
    make.make_enrollment(cohort=cohort)
    make.make_enrollment(cohort=cohort)
    data = _as_input(cohort, capacity=1)
    with pytest.raises(CohortInvalid) as caught:
        services.update_cohort(cohort, actor=staff, data=data)
    assert "capacity" in caught.value.errors
    services.update_cohort(cohort, actor=staff, data=_as_input(cohort, capacity=2))
    assert cohort.capacity == 2


def test_tranche_plan_is_frozen_once_startups_are_enrolled(staff, make):
    cohort = make.make_cohort(phase="running")
    make.make_enrollment(cohort=cohort)
    plan = [{"name": "All at once", "percent": 100}]
    with pytest.raises(CohortInvalid) as caught:
        services.update_cohort(cohort, actor=staff, data=_as_input(cohort, tranche_plan=plan))
    assert "tranche_plan" in caught.value.errors
    # Other fields still change.
    services.update_cohort(cohort, actor=staff, data=_as_input(cohort, description="New"))
    assert cohort.description == "New"


def _as_input(cohort: Cohort, **changes) -> CohortInput:
    values = dict(
        name=cohort.name,
        description=cohort.description,
        applications_open_at=cohort.applications_open_at,
        applications_close_at=cohort.applications_close_at,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        capacity=cohort.capacity,
        grant_amount_cents=cohort.grant_amount_cents,
        currency=cohort.currency,
        tranche_plan=cohort.tranche_plan,
        review_criteria=cohort.review_criteria,
    )
    values.update(changes)
    return CohortInput(**values)


def test_publish_and_unpublish_are_audited(staff, make):
    cohort = make.make_cohort(phase="draft")
    services.publish_cohort(cohort, actor=staff)
    assert cohort.state == CohortState.PUBLISHED and cohort.phase == Phase.UPCOMING
    with pytest.raises(InvalidState):
        services.publish_cohort(cohort, actor=staff)
    services.unpublish_cohort(cohort, actor=staff)
    assert cohort.phase == Phase.DRAFT
    with pytest.raises(InvalidState):
        services.unpublish_cohort(cohort, actor=staff)
    assert len(events("cohort.published")) == 1 and len(events("cohort.unpublished")) == 1


def test_a_cohort_with_applications_cannot_go_back_to_draft(staff, make):
    cohort = make.make_cohort(phase="open")
    make.make_application(cohort=cohort, status="draft")
    with pytest.raises(InvalidState):
        services.unpublish_cohort(cohort, actor=staff)
    assert cohort.state == CohortState.PUBLISHED


def test_only_staff_publish(make):
    cohort = make.make_cohort(phase="draft")
    with pytest.raises(NotAllowed):
        services.publish_cohort(cohort, actor=make.make_user(role="founder"))


# Expertise tags -------------------------------------------------------------------------------


def test_add_rename_delete_tag(staff):
    tag = services.add_tag(actor=staff, name="  go-to-market  ")
    assert tag.name == "go-to-market"
    services.rename_tag(tag, actor=staff, name="Go to market")
    assert tag.name == "Go to market"
    services.delete_tag(tag, actor=staff)
    assert db_scalars(select(ExpertiseTag)).all() == []
    assert [e.action for e in db_scalars(select(AuditEvent).order_by(AuditEvent.id))] == [
        "tag.created",
        "tag.renamed",
        "tag.deleted",
    ]


def test_tag_names_are_unique_ignoring_case(staff, make):
    make.make_tag("IoT")
    with pytest.raises(Conflict):
        services.add_tag(actor=staff, name="iot")
    other = make.make_tag("Legal")
    with pytest.raises(Conflict):
        services.rename_tag(other, actor=staff, name="IOT")
    with pytest.raises(ValidationFailed):
        services.add_tag(actor=staff, name="   ")


def test_a_tag_in_use_cannot_be_deleted(staff, make, db):
    tag = make.make_tag("pricing")
    startup = make.make_startup()
    from accelerator.applications.models import startup_needs

    db.session.execute(startup_needs.insert().values(startup_id=startup.id, tag_id=tag.id))
    assert services.tag_usage() == {tag.id: 1}
    with pytest.raises(InvalidState):
        services.delete_tag(tag, actor=staff)
    assert db.session.get(ExpertiseTag, tag.id) is not None
