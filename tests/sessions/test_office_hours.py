"""Office-hour rules: publish (future, sane length, no overlap), book once, cancel, withdraw."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.timeutil import to_local
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.sessions import office_hours
from tests import factories
from tests.sessions.builders import make_pair, make_session, make_slot


def _local(days: float = 2, hour: int = 10) -> datetime:
    day = to_local(utcnow() + timedelta(days=days), "Europe/Paris").date()
    return datetime(day.year, day.month, day.day, hour, 0)


def _publish(mentor, **kw):
    values = {"starts_local": _local(), "duration_minutes": 30, "location": "Room 4.12"}
    values.update(kw)
    return office_hours.publish_slot(actor=mentor, **values)


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_mentor_publishes_a_slot_in_the_program_timezone(pair, pair_mentor):
    slot = _publish(pair_mentor, starts_local=_local(hour=14))
    assert to_local(slot.starts_at, "Europe/Paris").hour == 14
    assert slot.timezone == "Europe/Paris" and not slot.is_booked
    assert "mentoring.slot_published" in _actions()


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"starts_local": _local(days=-1)}, "starts_on"),
        ({"starts_local": _local(days=400)}, "starts_on"),
        ({"starts_local": None}, "starts_on"),
        ({"duration_minutes": 0}, "duration"),
        ({"duration_minutes": -30}, "duration"),
        ({"duration_minutes": 12 * 60 + 1}, "duration"),
        ({"location": "  "}, "location"),
        ({"location": "javascript://alert(1)"}, "location"),
    ],
)
def test_bad_slots_are_refused_beside_their_field(pair_mentor, kw, field):
    with pytest.raises(ValidationFailed) as caught:
        _publish(pair_mentor, **kw)
    assert caught.value.field == field


def test_overlapping_slots_are_refused_but_adjacent_ones_are_fine(pair_mentor):
    _publish(pair_mentor, starts_local=_local(hour=10), duration_minutes=60)
    with pytest.raises(Conflict) as caught:
        _publish(pair_mentor, starts_local=_local(hour=10).replace(minute=30))
    assert caught.value.field == "starts_on"
    with pytest.raises(Conflict):
        _publish(pair_mentor, starts_local=_local(hour=9), duration_minutes=90)
    _publish(pair_mentor, starts_local=_local(hour=11))  # starts as the first ends


def test_only_mentors_publish(pair_founder):
    with pytest.raises(NotAllowed):
        _publish(pair_founder)


def test_a_matched_founder_books_and_both_sides_get_mail(pair, pair_mentor, pair_founder):
    slot = make_slot(pair_mentor)
    booked = office_hours.book_slot(slot, actor=pair_founder)
    assert booked.startup_id == pair.startup_id and booked.booked_by_id == pair_founder.id
    mail = set(db.session.scalars(select(OutboxEmail.to)))
    assert mail == {pair_mentor.email, pair_founder.email}
    assert "mentoring.slot_booked" in _actions()


def test_a_booked_slot_cannot_be_booked_again(pair, pair_mentor, pair_founder):
    cofounder = factories.make_user(role="founder")
    other = factories.make_startup(founders=[cofounder])
    make_pair(mentor=pair_mentor, startup=other)
    slot = make_slot(pair_mentor)
    office_hours.book_slot(slot, actor=pair_founder)
    with pytest.raises(Conflict, match="Someone else booked"):
        office_hours.book_slot(slot, actor=cofounder)


def test_a_founder_cannot_book_a_mentor_who_is_not_theirs(pair, stranger_mentor, pair_founder):
    slot = make_slot(stranger_mentor)
    with pytest.raises(NotAllowed, match="your startup's own mentors"):
        office_hours.book_slot(slot, actor=pair_founder)


def test_a_declined_match_does_not_let_a_founder_book(pair_mentor):
    from accelerator.mentoring.models import MatchStatus

    founder = factories.make_user(role="founder")
    startup = factories.make_startup(founders=[founder])
    make_pair(mentor=pair_mentor, startup=startup, status=MatchStatus.DECLINED)
    with pytest.raises(NotAllowed):
        office_hours.book_slot(make_slot(pair_mentor), actor=founder)


def test_a_past_slot_cannot_be_booked(pair, pair_mentor, pair_founder):
    slot = make_slot(pair_mentor, in_hours=-1)
    with pytest.raises(InvalidState, match="passed"):
        office_hours.book_slot(slot, actor=pair_founder)


def test_cancelling_frees_the_slot_and_tells_both_sides(pair, pair_mentor, pair_founder):
    slot = make_slot(pair_mentor)
    office_hours.book_slot(slot, actor=pair_founder)
    db.session.query(OutboxEmail).delete()
    freed = office_hours.cancel_booking(slot, actor=pair_mentor)
    assert not freed.is_booked
    assert set(db.session.scalars(select(OutboxEmail.to))) == {
        pair_mentor.email,
        pair_founder.email,
    }
    assert "mentoring.slot_cancelled" in _actions()
    office_hours.book_slot(freed, actor=pair_founder)  # bookable again


def test_cancel_rules(pair, pair_mentor, pair_founder, stranger_founder, stranger_mentor):
    slot = make_slot(pair_mentor)
    with pytest.raises(InvalidState):
        office_hours.cancel_booking(slot, actor=pair_mentor)  # not booked
    office_hours.book_slot(slot, actor=pair_founder)
    for outsider in (stranger_founder, stranger_mentor):
        with pytest.raises(NotAllowed):
            office_hours.cancel_booking(slot, actor=outsider)
    make_session(pair)
    session = make_session(pair)
    session.slot_id = slot.id
    db.session.flush()
    with pytest.raises(InvalidState, match="session was logged"):
        office_hours.cancel_booking(slot, actor=pair_founder)


def test_withdraw_only_a_free_slot_of_ones_own(pair, pair_mentor, pair_founder, stranger_mentor):
    free = make_slot(pair_mentor)
    with pytest.raises(NotAllowed):
        office_hours.withdraw_slot(free, actor=stranger_mentor)
    booked = make_slot(pair_mentor, in_hours=72)
    office_hours.book_slot(booked, actor=pair_founder)
    with pytest.raises(InvalidState, match="booked"):
        office_hours.withdraw_slot(booked, actor=pair_mentor)
    office_hours.withdraw_slot(free, actor=pair_mentor)
    assert "mentoring.slot_withdrawn" in _actions()


def test_the_database_keeps_a_booking_whole(pair_mentor, pair):
    from sqlalchemy.exc import IntegrityError

    slot = make_slot(pair_mentor)
    slot.startup_id = pair.startup_id  # without booker and time
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.flush()
