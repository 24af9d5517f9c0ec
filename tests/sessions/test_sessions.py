"""Session rules: who logs what, bad input, confirm, red flags, carried items, ratings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.risk import flags_for
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.sessions import office_hours, queries, services
from accelerator.sessions.models import ActionItem, SessionState
from tests import factories
from tests.sessions.builders import make_pair, make_session, make_slot


def _log(actor, startup_id, **kw):
    values = {
        "starts_at": utcnow() - timedelta(hours=2),
        "duration_minutes": 60,
        "format": "video",
        "summary": "Pricing for the pilot.",
        "private_notes": "CTO may leave.",
    }
    values.update(kw)
    return services.log_session(actor=actor, startup_id=startup_id, **values)


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_mentor_logs_a_confirmed_session_with_topics_and_items(pair, pair_mentor, pair_founder):
    tag = factories.make_tag("Pricing")
    session = _log(
        pair_mentor,
        pair.startup_id,
        topic_ids=[tag.id],
        new_items=[
            services.NewItem("Send the pricing sheet", "startup", date.today() + timedelta(7)),
            services.NewItem("  ", "mentor"),  # blank rows are ignored
            services.NewItem("Intro to the B2B unit", "mentor"),
        ],
    )
    assert session.state == SessionState.CONFIRMED and session.confirmed_at is not None
    assert session.match_id == pair.id and session.cohort_id == pair.cohort_id
    assert [i.text for i in queries.open_items(pair_mentor.id, pair.startup_id)] == [
        "Send the pricing sheet",
        "Intro to the B2B unit",
    ]
    assert "mentoring.session_logged" in _actions()
    # The founders get the summary by mail; the private notes never travel.
    mail = db.session.scalars(select(OutboxEmail)).all()
    assert [m.to for m in mail] == [pair_founder.email]
    assert "Pricing for the pilot." in mail[0].body and "CTO may leave" not in mail[0].body


def test_open_items_carry_forward_and_are_ticked_off_in_the_next_session(pair, pair_mentor):
    first = make_session(pair, items=("Draft the pilot KPI list", "Book a demo"))
    open_ids = [i.id for i in queries.open_items(pair_mentor.id, pair.startup_id)]
    assert len(open_ids) == 2
    second = _log(pair_mentor, pair.startup_id, done_item_ids=[open_ids[0]])
    left = queries.open_items(pair_mentor.id, pair.startup_id)
    assert [i.text for i in left] == ["Book a demo"]
    done = db.session.get(ActionItem, open_ids[0])
    assert done.done_in_session_id == second.id and done.session_id == first.id


def test_items_of_another_pair_cannot_be_ticked_from_this_one(pair, pair_mentor):
    other = make_pair(startup=factories.make_startup())
    foreign = make_session(other, items=("Not yours",))
    item = db.session.scalar(select(ActionItem).where(ActionItem.session_id == foreign.id))
    _log(pair_mentor, pair.startup_id, done_item_ids=[item.id])
    db.session.refresh(item)
    assert item.done_at is None


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"duration_minutes": 0}, "duration"),
        ({"duration_minutes": -5}, "duration"),
        ({"duration_minutes": 12 * 60 + 1}, "duration"),
        ({"duration_minutes": None}, "duration"),
        ({"starts_at": utcnow() + timedelta(days=30)}, "held_on"),
        ({"starts_at": utcnow() + timedelta(days=3650)}, "held_on"),
        ({"starts_at": utcnow() - timedelta(days=3650)}, "held_on"),
        ({"starts_at": None}, "held_on"),
        ({"format": "telepathy"}, "format"),
        ({"topic_ids": [987654]}, "topics"),
        ({"summary": "x" * 10_001}, "summary"),
        ({"new_items": [services.NewItem("ok", "nobody")]}, "items"),
    ],
)
def test_bad_input_is_refused_beside_the_field(pair, pair_mentor, kw, field):
    with pytest.raises(ValidationFailed) as caught:
        _log(pair_mentor, pair.startup_id, **kw)
    assert caught.value.field == field


def test_an_unmatched_mentor_cannot_log_a_session(pair, stranger_mentor):
    with pytest.raises(ValidationFailed, match="not matched") as caught:
        _log(stranger_mentor, pair.startup_id)
    assert caught.value.field == "startup"


def test_a_founder_logs_a_pending_session_that_the_mentor_confirms(pair, pair_mentor, pair_founder):
    session = _log(
        pair_founder,
        pair.startup_id,
        mentor_id=pair_mentor.id,
        private_notes="ignored",
        red_flag_reason="ignored too",
    )
    assert session.state == SessionState.PENDING and session.confirmed_at is None
    assert session.private_notes == "" and session.red_flag_at is None
    assert [m.to for m in db.session.scalars(select(OutboxEmail))] == [pair_mentor.email]
    with pytest.raises(NotAllowed):
        services.confirm_session(session, actor=pair_founder)
    services.confirm_session(session, actor=pair_mentor)
    assert session.state == SessionState.CONFIRMED
    with pytest.raises(InvalidState):
        services.confirm_session(session, actor=pair_mentor)
    assert _actions().count("mentoring.session_confirmed") == 1


def test_a_founder_needs_their_own_startup_and_its_mentor(
    pair, pair_mentor, stranger_founder, stranger_mentor, pair_founder
):
    with pytest.raises(NotAllowed):
        _log(stranger_founder, pair.startup_id, mentor_id=pair_mentor.id)
    with pytest.raises(ValidationFailed) as caught:
        _log(pair_founder, pair.startup_id, mentor_id=stranger_mentor.id)
    assert caught.value.field == "mentor"


def test_a_red_flag_alerts_staff_and_puts_the_startup_at_risk_until_resolved(
    pair, pair_mentor, staff
):
    session = _log(pair_mentor, pair.startup_id, red_flag_reason="Co-founders are splitting.")
    assert session.has_open_red_flag
    assert staff.email in set(db.session.scalars(select(OutboxEmail.to)))
    assert "mentoring.red_flag_raised" in _actions()
    flags = flags_for(pair.cohort_id, [pair.startup_id])[pair.startup_id]
    assert [f.rule for f in flags] == ["mentor_red_flag"]
    with pytest.raises(NotAllowed):
        services.resolve_red_flag(session, actor=pair_mentor, note="fine")
    with pytest.raises(ValidationFailed):
        services.resolve_red_flag(session, actor=staff, note=" ")
    services.resolve_red_flag(session, actor=staff, note="Met both founders; plan agreed.")
    assert not session.has_open_red_flag
    assert flags_for(pair.cohort_id, [pair.startup_id])[pair.startup_id] == []
    with pytest.raises(InvalidState):
        services.resolve_red_flag(session, actor=staff, note="again")
    assert "mentoring.red_flag_resolved" in _actions()


def test_a_session_from_a_booked_office_hour_is_logged_once(pair, pair_mentor, pair_founder):
    slot = make_slot(pair_mentor, in_hours=1)
    office_hours.book_slot(slot, actor=pair_founder)
    _log(pair_mentor, pair.startup_id, slot_id=slot.id)
    with pytest.raises(Conflict, match="already logged"):
        _log(pair_mentor, pair.startup_id, slot_id=slot.id)


def test_a_slot_of_another_pair_is_refused(pair, pair_mentor, stranger_mentor):
    slot = make_slot(stranger_mentor)
    with pytest.raises(ValidationFailed):
        _log(pair_mentor, pair.startup_id, slot_id=slot.id)


def test_founders_rate_confirmed_sessions_once(pair, pair_founder, pair_mentor, stranger_founder):
    pending = make_session(pair, pending=True)
    with pytest.raises(InvalidState):
        services.rate_session(pending, actor=pair_founder, score=4, comment="")
    session = make_session(pair)
    for bad in (0, 6, None):
        with pytest.raises(ValidationFailed):
            services.rate_session(session, actor=pair_founder, score=bad, comment="")
    for outsider in (stranger_founder, pair_mentor):
        with pytest.raises(NotAllowed):
            services.rate_session(session, actor=outsider, score=5, comment="")
    rating = services.rate_session(session, actor=pair_founder, score=5, comment="Great")
    assert rating.score == 5
    with pytest.raises(Conflict):
        services.rate_session(session, actor=pair_founder, score=3, comment="")


def test_items_are_ticked_by_the_pair_only(pair, pair_mentor, pair_founder, stranger_mentor):
    session = make_session(pair, items=("Update the deck",))
    item = db.session.scalar(select(ActionItem).where(ActionItem.session_id == session.id))
    with pytest.raises(NotAllowed):
        services.set_item_done(item, actor=stranger_mentor, done=True)
    services.set_item_done(item, actor=pair_founder, done=True)
    assert item.is_done
    with pytest.raises(InvalidState):
        services.set_item_done(item, actor=pair_mentor, done=True)
    services.set_item_done(item, actor=pair_mentor, done=False)
    assert not item.is_done
