"""The event's rules, through the services: planning (slots in enrollment order, the time typed
in the program's zone), the capacity floor, the running order and its times, breaks,
materials, publication, the enrollment hook and the one demo-day date."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from accelerator.core import hooks
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent
from accelerator.demoday import history, links, queries, services
from accelerator.demoday.models import PITCH_MAX_CHARS, DemoDay, Rsvp, Slot
from accelerator.demoday.services import EventFields
from accelerator.extensions import db
from accelerator.programs import queries as program_queries
from accelerator.programs.models import Cohort
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _fields(**changes) -> EventFields:
    values = dict(
        starts_at=datetime(2027, 3, 4, 14, 30),
        venue="Orange Gardens, Châtillon",
        online_url="https://live.example.org/demo",
        description="Welcome to the demo day.",
        pitch_minutes=5,
        changeover_minutes=2,
        capacity=120,
        plus_ones_max=1,
    )
    values.update(changes)
    return EventFields(**values)


@pytest.fixture
def cohort(db):
    """A running cohort (Europe/Paris by default) with three startups enrolled in order."""
    cohort = factories.make_cohort(phase="running")
    cohort.startups = [
        factories.make_enrollment(
            cohort=cohort, startup=factories.make_startup(name=name)
        ).startup_id
        for name in ("Société Éclair", "Zèbre Mobile", "Alpha Fibre")
    ]
    return cohort


def _slots(demo_day) -> list[Slot]:
    return list(
        db.session.scalars(
            select(Slot).where(Slot.demo_day_id == demo_day.id).order_by(Slot.position)
        )
    )


def test_planning_makes_a_slot_per_startup_in_enrollment_order_and_reads_the_programs_zone(
    cohort, staff
):
    demo_day = services.plan_demo_day(cohort, fields=_fields(), actor=staff)
    assert [s.startup_id for s in _slots(demo_day)] == cohort.startups
    tz = program_queries.cohort_timezone(cohort.id)
    assert tz == "Europe/Paris"
    assert demo_day.starts_at == datetime(2027, 3, 4, 13, 30, tzinfo=UTC)  # 14:30 CET
    assert demo_day.created_by_id == staff.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "demo_day.planned"))
    assert event.actor_id == staff.id and event.object_id == demo_day.id
    with pytest.raises(Conflict):
        services.plan_demo_day(cohort, fields=_fields(), actor=staff)


def test_only_staff_plan_and_every_wrong_field_is_refused_at_once(cohort, founder):
    with pytest.raises(NotAllowed):
        services.plan_demo_day(cohort, fields=_fields(), actor=founder)
    staff = factories.make_user(role="staff")
    with pytest.raises(ValidationFailed) as refused:
        services.plan_demo_day(
            cohort,
            fields=_fields(
                starts_at=None,
                online_url="javascript:alert(1)",
                pitch_minutes=0,
                changeover_minutes=61,
                capacity=None,
                plus_ones_max=6,
                venue="x" * 301,
            ),
            actor=staff,
        )
    assert set(refused.value.errors) == {
        "starts_at",
        "online_url",
        "pitch_minutes",
        "changeover_minutes",
        "capacity",
        "plus_ones_max",
        "venue",
    }
    assert db.session.scalar(select(DemoDay).where(DemoDay.cohort_id == cohort.id)) is None


def test_the_capacity_never_goes_below_the_seats_guests_hold(cohort, staff):
    demo_day = services.plan_demo_day(cohort, fields=_fields(capacity=10), actor=staff)
    factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=2)
    factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=1)
    db.session.flush()
    assert demo_day.seats_taken == 5
    with pytest.raises(ValidationFailed) as refused:
        services.update_demo_day(demo_day, fields=_fields(capacity=4), actor=staff)
    assert refused.value.field == "capacity" and "5" in refused.value.message
    assert db.session.get(DemoDay, demo_day.id).capacity == 10
    changed = services.update_demo_day(
        demo_day, fields=_fields(capacity=5, venue="Station F"), actor=staff
    )
    assert set(changed) == {"capacity", "venue"}
    assert (demo_day.capacity, demo_day.venue) == (5, "Station F")
    assert (
        services.update_demo_day(
            demo_day, fields=_fields(capacity=5, venue="Station F"), actor=staff
        )
        == []
    )


def test_times_follow_pitches_changeovers_and_breaks():
    start = datetime(2027, 3, 4, 13, 0, tzinfo=UTC)
    pitch = lambda: SimpleNamespace(startup_id=1, break_minutes=None)  # noqa: E731
    pause = SimpleNamespace(startup_id=None, break_minutes=20, break_title="Coffee")
    rows = [(pitch(), None, ""), (pitch(), None, ""), (pause, None, ""), (pitch(), None, "")]
    lines = queries.timed(rows, starts_at=start, pitch_minutes=5, changeover_minutes=2)
    minutes = [
        ((line.starts_at - start).seconds // 60, (line.ends_at - start).seconds // 60)
        for line in lines
    ]
    # 0-5 pitch, 2 changeover, 7-12 pitch, the break straight after (no changeover around it),
    # 12-32, then the last pitch at once.
    assert minutes == [(0, 5), (7, 12), (12, 32), (32, 37)]
    assert queries.timed([], starts_at=start, pitch_minutes=5, changeover_minutes=2) == []


def test_running_order_moves_and_breaks(cohort, staff):
    demo_day = services.plan_demo_day(cohort, fields=_fields(), actor=staff)
    first, second, third = _slots(demo_day)
    assert services.move_slot(second, direction="up", actor=staff) is True
    assert [s.id for s in _slots(demo_day)] == [second.id, first.id, third.id]
    assert services.move_slot(second, direction="up", actor=staff) is False  # at the top
    assert services.move_slot(third, direction="down", actor=staff) is False  # at the bottom
    pause = services.add_break(demo_day, title="Café", minutes=15, position=2, actor=staff)
    assert [s.id for s in _slots(demo_day)] == [second.id, first.id, pause.id, third.id]
    lines = queries.running_order(demo_day)
    assert [line.title for line in lines][2] == "Café"
    assert lines[0].starts_at == demo_day.starts_at
    assert lines[-1].starts_at == demo_day.starts_at + timedelta(minutes=5 + 2 + 5 + 15)
    assert lines[-1].ends_at == demo_day.starts_at + timedelta(minutes=32)
    with pytest.raises(ValidationFailed) as refused:
        services.add_break(demo_day, title=" ", minutes=0, position=9, actor=staff)
    assert set(refused.value.errors) == {"title", "minutes", "position"}
    with pytest.raises(InvalidState):
        services.remove_break(first, actor=staff)
    services.remove_break(pause, actor=staff)
    assert [s.position for s in _slots(demo_day)] == [0, 1, 2]
    actions = set(
        db.session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.object_type == "demo_days", AuditEvent.object_id == demo_day.id
            )
        )
    )
    assert {"demo_day.slot_moved", "demo_day.break_added", "demo_day.break_removed"} <= actions


def test_a_startup_enrolled_later_gets_the_last_slot(cohort, staff):
    from accelerator.applications.models import ApplicationStatus
    from accelerator.programs.services import enroll

    demo_day = services.plan_demo_day(cohort, fields=_fields(), actor=staff)
    late = factories.make_startup(name="Retard Énergie")
    application = factories.make_application(
        cohort=cohort, startup=late, status=ApplicationStatus.ENROLLED
    )
    enroll(application, actor=staff)
    slots = _slots(demo_day)
    assert slots[-1].startup_id == late.id and slots[-1].position == 3
    # Enrolled in a cohort without a demo day: nothing happens.
    other = factories.make_cohort(phase="running")
    enroll(factories.make_application(cohort=other, status=ApplicationStatus.ENROLLED), actor=staff)
    assert db.session.scalar(select(DemoDay).where(DemoDay.cohort_id == other.id)) is None


def test_the_demo_day_date_every_page_names_is_the_planned_one_in_the_programs_zone(cohort, staff):
    names = [name for name, _finder in hooks.demo_day.entries()]
    assert names.index("demoday") < names.index("milestones")
    assert program_queries.demo_day(cohort) == cohort.ends_on  # nothing planned: the last day
    assert queries.demo_day_date(cohort) is None
    # 00:30 in Paris on 5 March is still 4 March in UTC: the day named is Paris's.
    services.plan_demo_day(
        cohort, fields=_fields(starts_at=datetime(2027, 3, 5, 0, 30)), actor=staff
    )
    assert queries.demo_day_date(cohort) == date(2027, 3, 5)
    assert program_queries.demo_day(cohort) == date(2027, 3, 5)


def _pdf(data: bytes = PDF, name: str = "deck.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name, content_type="application/pdf")


def test_materials_by_the_founders_or_staff_only_and_checked(cohort, staff):
    demo_day = services.plan_demo_day(cohort, fields=_fields(), actor=staff)
    slot = _slots(demo_day)[0]
    founder = factories.make_user(role="founder")
    from accelerator.applications.models import StartupMember

    db.session.add(StartupMember(startup_id=slot.startup_id, user_id=founder.id))
    db.session.flush()
    other = factories.make_user(role="founder")
    with pytest.raises(NotAllowed):
        services.update_materials(slot, pitch="Hello", actor=other)
    with pytest.raises(ValidationFailed) as refused:
        services.update_materials(slot, pitch="x" * (PITCH_MAX_CHARS + 1), actor=founder)
    assert refused.value.field == "pitch"
    with pytest.raises(ValidationFailed) as refused:
        services.update_materials(slot, pitch="Hi", deck=_pdf(b"not a pdf"), actor=founder)
    assert refused.value.field == "deck"
    changed = services.update_materials(
        slot, pitch="  Société Éclair makes networks smarter.  ", deck=_pdf(), actor=founder
    )
    assert changed == ["deck", "pitch"]
    assert slot.pitch == "Société Éclair makes networks smarter."
    assert slot.deck_file_id is not None and slot.materials_updated_by_id == founder.id
    line = queries.line_of(queries.running_order(demo_day), slot.id)
    assert line.materials_missing == []
    assert services.update_materials(slot, pitch=slot.pitch, actor=staff) == []
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "demo_day.materials_updated")
    )
    assert event.startup_id == slot.startup_id and event.actor_id == founder.id


def test_publish_and_unpublish_are_audited_and_refused_twice(cohort, staff, founder):
    demo_day = services.plan_demo_day(cohort, fields=_fields(), actor=staff)
    with pytest.raises(NotAllowed):
        services.publish(demo_day, actor=founder)
    services.publish(demo_day, actor=staff)
    assert demo_day.is_published and demo_day.published_by_id == staff.id
    with pytest.raises(InvalidState):
        services.publish(demo_day, actor=staff)
    services.unpublish(demo_day, actor=staff)
    assert not demo_day.is_published
    with pytest.raises(InvalidState):
        services.unpublish(demo_day, actor=staff)
    actions = list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("demo_day.%publish%"))
            .order_by(AuditEvent.id)
        )
    )
    assert actions == ["demo_day.published", "demo_day.unpublished"]


def test_every_event_action_reads_as_a_sentence(app):
    data = {
        "cohort": "Season 12",
        "fields": ["venue", "capacity", "pitch", "deck"],
        "title": "Café",
        "minutes": 15,
        "line": "Société Éclair",
        "position": 2,
        "direction": "up",
    }
    with app.test_request_context():
        for action, sentence in history._EVENT.items():
            text = sentence("Claire", data)
            assert text.startswith("Claire") and "%(" not in text, action


def test_more_seats_go_to_the_waitlist_in_order_and_a_moved_event_moves_the_links(cohort, staff):
    demo_day = services.plan_demo_day(cohort, fields=_fields(capacity=2), actor=staff)
    factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=1)
    first, first_token = factories.make_guest(demo_day, rsvp=Rsvp.WAITLISTED, name="Élise Première")
    second, _ = factories.make_guest(demo_day, rsvp=Rsvp.WAITLISTED, plus_ones=1)
    db.session.flush()
    services.update_demo_day(demo_day, fields=_fields(capacity=4), actor=staff)
    db.session.expire_all()
    # Two seats more: the head of the waitlist (one seat) gets in; the next needs two.
    assert (first.rsvp, second.rsvp) == (Rsvp.YES, Rsvp.WAITLISTED)
    assert db.session.get(DemoDay, demo_day.id).seats_taken == 3
    later = datetime(2027, 3, 11, 14, 30)
    services.update_demo_day(demo_day, fields=_fields(capacity=4, starts_at=later), actor=staff)
    db.session.expire_all()
    assert first.expires_at == demo_day.starts_at + timedelta(days=links.LINK_DAYS_AFTER)
    assert links.guest_for(first_token).id == first.id


def test_planning_and_moving_demo_day_moves_the_demo_day_milestones_with_it(db, staff):
    """One date: the startups' Demo day milestones follow the planned day (each move audited
    with its reason); a day outside the cohort leaves them, and the planned day still wins."""
    from accelerator.core.audit import events_of
    from accelerator.core.timeutil import local_to_utc

    enrollment = factories.make_enrolled()
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    milestone = factories.milestone_with_tranche(enrollment, "demo_day")
    tz = program_queries.cohort_timezone(cohort.id)
    day = cohort.ends_on - timedelta(days=3)
    assert milestone.due_on != day
    demo_day = services.plan_demo_day(
        cohort, fields=_fields(starts_at=datetime.combine(day, time(18, 30))), actor=staff
    )
    assert demo_day.starts_at == local_to_utc(datetime.combine(day, time(18, 30)), tz)
    db.session.expire_all()
    assert milestone.due_on == day == program_queries.demo_day(cohort)
    moved = [e for e in events_of(milestone) if e.action == "milestone.moved"]
    assert moved[-1].data["to"] == day.isoformat() and moved[-1].actor_id == staff.id
    outside = cohort.ends_on + timedelta(days=10)
    services.update_demo_day(
        demo_day, fields=_fields(starts_at=datetime.combine(outside, time(18, 30))), actor=staff
    )
    db.session.expire_all()
    assert milestone.due_on == day and program_queries.demo_day(cohort) == outside
