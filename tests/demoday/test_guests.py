"""The guests' rules, through the services: the list, invitations, answers, seats held by the
database, the waitlist in order, and the promoted guest's mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from accelerator.core.errors import Conflict, InvalidState, NotAllowed, NotFound, ValidationFailed
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.types import utcnow
from accelerator.demoday import guests, links
from accelerator.demoday.models import DemoDay, Guest, Rsvp
from accelerator.extensions import db
from tests import factories


def _mails(to: str | None = None) -> list[OutboxEmail]:
    statement = select(OutboxEmail).order_by(OutboxEmail.id)
    if to:
        statement = statement.where(OutboxEmail.to == to)
    return list(db.session.scalars(statement))


def _seats(demo_day: DemoDay) -> int:
    db.session.expire(demo_day)
    return demo_day.seats_taken


def test_staff_add_edit_and_remove_a_guest(db, staff):
    demo_day = factories.make_demo_day()
    guest = guests.add_guest(
        demo_day,
        fields={
            "name": " Hélène Côté ",
            "email": "Helene@Eclair.FR",
            "firm": "Société Éclair",
            "kind": "press",
            "locale": "fr",
        },
        actor=staff,
    )
    assert (guest.name, guest.email, guest.kind.value, guest.locale) == (
        "Hélène Côté",
        "helene@eclair.fr",
        "press",
        "fr",
    )
    assert guest.rsvp == Rsvp.NOT_INVITED
    with pytest.raises(ValidationFailed) as refused:
        guests.add_guest(demo_day, fields={"name": "X", "email": "HELENE@eclair.fr"}, actor=staff)
    assert refused.value.field == "email"
    with pytest.raises(ValidationFailed) as refused:
        guests.add_guest(demo_day, fields={"name": "", "email": "nope", "kind": "x"}, actor=staff)
    assert set(refused.value.errors) == {"name", "email", "kind"}
    guests.update_guest(
        guest,
        fields={"name": "Hélène C.", "email": "h@eclair.fr", "kind": "investor", "locale": "en"},
        actor=staff,
    )
    assert guest.email == "h@eclair.fr"
    guests.remove_guest(guest, actor=staff)
    assert db.session.get(Guest, guest.id) is None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"guest.added", "guest.updated", "guest.removed"} <= actions


def test_only_staff_manage_guests(db, founder):
    demo_day = factories.make_demo_day()
    with pytest.raises(NotAllowed):
        guests.add_guest(demo_day, fields={"name": "A", "email": "a@b.org"}, actor=founder)


def test_invitations_mail_a_personal_link_in_the_guests_language(db, staff):
    demo_day = factories.make_demo_day(online_url="https://meet.example.org/demo")
    fr, _ = factories.make_guest(demo_day, rsvp=Rsvp.NOT_INVITED, locale="fr", name="Éloïse")
    en, _ = factories.make_guest(demo_day, rsvp=Rsvp.NOT_INVITED, locale="en")
    invited, _ = factories.make_guest(demo_day)
    assert guests.invite(demo_day, actor=staff) == 2
    assert fr.rsvp == Rsvp.INVITED and fr.token_hash and fr.invited_at
    assert _mails(invited.email) == []
    (mail,) = _mails(fr.email)
    assert "/demo-day/rsvp/" in mail.body and "meet.example.org" in mail.body
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = mail.body.split("/demo-day/rsvp/")[1].split()[0]
    assert links.guest_for(token).id == fr.id
    (english,) = _mails(en.email)
    assert english.subject.startswith("You are invited")
    with pytest.raises(InvalidState):
        guests.invite(demo_day, actor=staff)  # nobody left
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "guests.invited"))


def test_invite_only_the_guests_chosen(db, staff):
    demo_day = factories.make_demo_day()
    one, _ = factories.make_guest(demo_day, rsvp=Rsvp.NOT_INVITED)
    two, _ = factories.make_guest(demo_day, rsvp=Rsvp.NOT_INVITED)
    other_day = factories.make_demo_day()
    stranger, _ = factories.make_guest(other_day, rsvp=Rsvp.NOT_INVITED)
    assert guests.invite(demo_day, actor=staff, guest_ids=[one.id, stranger.id]) == 1
    assert (one.rsvp, two.rsvp, stranger.rsvp) == (Rsvp.INVITED, Rsvp.NOT_INVITED, Rsvp.NOT_INVITED)


def test_renew_kills_the_old_link_and_revoke_kills_the_link(db, staff):
    demo_day = factories.make_demo_day()
    guest, token = factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=1)
    new = guests.renew_link(guest, demo_day, actor=staff)
    with pytest.raises(NotFound):
        links.guest_for(token)
    assert links.guest_for(new).id == guest.id
    assert "new link" in _mails(guest.email)[-1].subject
    guests.revoke_link(guest, actor=staff)
    with pytest.raises(InvalidState):
        links.guest_for(new)
    with pytest.raises(InvalidState):
        guests.revoke_link(guest, actor=staff)
    assert guest.rsvp == Rsvp.YES and _seats(demo_day) == 2  # the answer stands


def test_yes_takes_seats_and_no_or_maybe_frees_them(db):
    demo_day = factories.make_demo_day(capacity=10, plus_ones_max=2)
    guest, _ = factories.make_guest(demo_day)
    outcome = guests.respond(guest, answer="yes", plus_ones="2", dietary="Végétarien")
    assert outcome.rsvp == Rsvp.YES and guest.seats == 3 and _seats(demo_day) == 3
    assert guest.dietary == "Végétarien" and guest.responded_at
    guests.respond(guest, answer="yes", plus_ones="1")
    assert guest.seats == 2 and _seats(demo_day) == 2
    guests.respond(guest, answer="maybe")
    assert (guest.rsvp, guest.seats, guest.plus_ones, _seats(demo_day)) == (Rsvp.MAYBE, 0, 0, 0)
    guests.respond(guest, answer="yes", plus_ones=0)
    guests.respond(guest, answer="no")
    assert guest.rsvp == Rsvp.NO and _seats(demo_day) == 0


def test_plus_ones_over_the_cap_and_bad_answers_are_refused_beside_their_fields(db):
    demo_day = factories.make_demo_day(plus_ones_max=1)
    guest, _ = factories.make_guest(demo_day)
    for value in ("2", "-1", "deux"):
        with pytest.raises(ValidationFailed) as refused:
            guests.respond(guest, answer="yes", plus_ones=value)
        assert refused.value.field == "plus_ones"
    with pytest.raises(ValidationFailed) as refused:
        guests.respond(guest, answer="perhaps")
    assert "answer" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        guests.respond(guest, answer="no", dietary="x" * 301)
    assert refused.value.field == "dietary"
    assert guest.rsvp == Rsvp.INVITED and _seats(demo_day) == 0


def test_no_answer_once_the_event_has_started(db):
    demo_day = factories.make_demo_day()
    guest, _ = factories.make_guest(demo_day)
    with pytest.raises(InvalidState):
        guests.respond(guest, answer="yes", now=demo_day.starts_at + timedelta(minutes=1))


def test_a_yes_that_does_not_fit_waits_and_is_promoted_in_order(db):
    demo_day = factories.make_demo_day(capacity=4, plus_ones_max=3)
    first, _ = factories.make_guest(demo_day)
    guests.respond(first, answer="yes", plus_ones=2)  # 3 of 4
    big, _ = factories.make_guest(demo_day, name="Big party")
    small, _ = factories.make_guest(demo_day, name="Small party")
    after, _ = factories.make_guest(demo_day, name="After")
    now = utcnow()
    guests.respond(big, answer="yes", plus_ones=2, now=now)  # needs 3: waits
    assert big.rsvp == Rsvp.WAITLISTED and big.waitlisted_at
    guests.respond(small, answer="yes", plus_ones=0, now=now + timedelta(seconds=1))
    assert small.rsvp == Rsvp.WAITLISTED  # a seat is free, but the queue is strict
    guests.respond(after, answer="yes", plus_ones=0, now=now + timedelta(seconds=2))
    assert _seats(demo_day) == 3
    # fewer plus-ones frees a seat: the head (3 seats) still does not fit, nobody jumps it
    guests.respond(first, answer="yes", plus_ones=1)
    assert big.rsvp == small.rsvp == Rsvp.WAITLISTED and _seats(demo_day) == 2
    outcome = guests.respond(first, answer="no")  # 4 free: the head (3), then the next (1)
    assert [g.id for g in outcome.promoted] == [big.id, small.id]
    assert big.rsvp == Rsvp.YES and big.seats == 3 and big.waitlisted_at is None
    assert after.rsvp == Rsvp.WAITLISTED and _seats(demo_day) == 4
    (mail,) = _mails(big.email)
    assert "seat" in mail.subject
    outcome = guests.respond(big, answer="maybe")
    assert [g.id for g in outcome.promoted] == [after.id]
    assert _seats(demo_day) == 2


def test_a_guest_coming_who_wants_more_seats_than_are_left_keeps_theirs(db):
    demo_day = factories.make_demo_day(capacity=3, plus_ones_max=3)
    guest, _ = factories.make_guest(demo_day)
    factories.make_guest(demo_day, rsvp=Rsvp.YES)  # 1 seat
    guests.respond(guest, answer="yes", plus_ones=1)  # 3 of 3
    with pytest.raises(Conflict) as refused:
        guests.respond(guest, answer="yes", plus_ones=2)
    assert refused.value.field == "plus_ones"


def test_removing_a_guest_frees_their_seats_for_the_waitlist(db, staff):
    demo_day = factories.make_demo_day(capacity=2)
    coming, _ = factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=1)
    waiting, _ = factories.make_guest(demo_day)
    guests.respond(waiting, answer="yes")
    assert waiting.rsvp == Rsvp.WAITLISTED
    promoted = guests.remove_guest(coming, actor=staff)
    assert [g.id for g in promoted] == [waiting.id] and _seats(demo_day) == 1


def test_the_database_refuses_more_seats_than_capacity(db):
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    demo_day = factories.make_demo_day(capacity=2)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(update(DemoDay).where(DemoDay.id == demo_day.id).values(seats_taken=3))


def test_counts(db):
    demo_day = factories.make_demo_day()
    factories.make_guest(demo_day, rsvp=Rsvp.NOT_INVITED)
    factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=1)
    factories.make_guest(demo_day, rsvp=Rsvp.NO)
    factories.make_guest(demo_day, rsvp=Rsvp.WAITLISTED)
    counts = guests.counts(demo_day.id)
    assert counts["total"] == 4 and counts["invitations"] == 3
    assert (counts["yes"], counts["no"], counts["maybe"], counts["waitlisted"]) == (1, 1, 0, 1)


def test_unsubscribe_keeps_the_answer(db):
    demo_day = factories.make_demo_day()
    guest, _ = factories.make_guest(demo_day, rsvp=Rsvp.YES)
    guests.unsubscribe(guest)
    first = guest.unsubscribed_at
    guests.unsubscribe(guest)
    assert guest.unsubscribed_at == first and guest.rsvp == Rsvp.YES


def test_no_invitation_once_the_event_has_started(db, staff):
    demo_day = factories.make_demo_day(
        starts_at=(utcnow() - timedelta(hours=1)).replace(microsecond=0)
    )
    factories.make_guest(demo_day, rsvp=Rsvp.NOT_INVITED)
    with pytest.raises(InvalidState):
        guests.invite(demo_day, actor=staff)


def test_the_history_reads_the_guests_acts(db, staff):
    from accelerator.demoday.history import SENTENCES

    demo_day = factories.make_demo_day()
    guest, _ = factories.make_guest(demo_day, name="Société Éclair")
    guests.respond(guest, answer="yes")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "guest.answered"))
    assert (
        SENTENCES.actions["guest.answered"]("Sam", event.data) == "Société Éclair answered: Coming."
    )
