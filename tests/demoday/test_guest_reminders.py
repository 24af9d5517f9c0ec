"""Reminders to the guests: one to an invited guest without an answer in the week before, a
practical one to a guest coming the day before; each once however many runs, with the
one-click unsubscribe headers; an unsubscribed or revoked guest gets none, and the reminder's
link works (it replaces the earlier one)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from accelerator.core import hooks
from accelerator.core.models import OutboxEmail
from accelerator.core.types import utcnow
from accelerator.demoday import links
from accelerator.demoday.models import Rsvp
from accelerator.demoday.reminders import remind_guests
from accelerator.extensions import db
from tests import factories


def _mails(to: str) -> list[OutboxEmail]:
    return list(
        db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == to).order_by(OutboxEmail.id))
    )


def _token(mail: OutboxEmail) -> str:
    return mail.body.split("/demo-day/rsvp/")[1].split()[0]


def test_the_sender_is_connected():
    assert "demoday.guests.reminders" in dict(hooks.reminders.entries())


def test_a_guest_without_an_answer_is_reminded_once_a_week_before(db):
    now = utcnow()
    demo_day = factories.make_demo_day(starts_at=now + timedelta(days=6))
    invited_at = now - timedelta(days=10)
    silent, old_token = factories.make_guest(demo_day, locale="fr", name="Éloïse Muette")
    silent.invited_at = invited_at
    answered, _ = factories.make_guest(demo_day, rsvp=Rsvp.MAYBE, invited_at=invited_at)
    gone, _ = factories.make_guest(demo_day, invited_at=invited_at, unsubscribed_at=now)
    revoked, _ = factories.make_guest(demo_day, invited_at=invited_at)
    revoked.revoked_at = now
    fresh, _ = factories.make_guest(demo_day)  # invited just now: not yet
    far = factories.make_demo_day(starts_at=now + timedelta(days=20))
    later, _ = factories.make_guest(far, invited_at=invited_at)
    db.session.flush()
    assert remind_guests(now) == 1
    assert remind_guests(now) == 0
    assert remind_guests(now + timedelta(hours=1)) == 0
    (mail,) = _mails(silent.email)
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.headers["List-Unsubscribe"].startswith("<http")
    assert "/unsubscribe" in mail.headers["List-Unsubscribe"]
    assert links.guest_for(_token(mail)).id == silent.id
    assert links.find(old_token) is None
    for other in (answered, gone, revoked, fresh, later):
        assert _mails(other.email) == []


def test_a_guest_coming_gets_the_practical_reminder_the_day_before_once(db):
    now = utcnow()
    demo_day = factories.make_demo_day(
        starts_at=now + timedelta(hours=20), online_url="https://meet.example.org/live"
    )
    coming, _ = factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=1)
    coming.reminded_at = now - timedelta(days=6)  # the week-before reminder, answered since
    no, _ = factories.make_guest(demo_day, rsvp=Rsvp.NO)
    db.session.flush()
    assert remind_guests(now) == 1
    assert remind_guests(now + timedelta(hours=2)) == 0
    (mail,) = _mails(coming.email)
    assert mail.subject.startswith("Tomorrow")
    assert "Orange Gardens" in mail.body and "meet.example.org/live" in mail.body
    assert "List-Unsubscribe" in mail.headers
    assert _mails(no.email) == []


def test_one_click_unsubscribe_stops_reminders_and_keeps_the_answer(client, db):
    now = utcnow()
    demo_day = factories.make_demo_day(starts_at=now + timedelta(hours=20))
    coming, token = factories.make_guest(demo_day, rsvp=Rsvp.YES)
    done = client.post(
        f"/demo-day/rsvp/{token}/unsubscribe", data={"List-Unsubscribe": "One-Click"}
    )
    assert done.status_code == 200
    assert remind_guests(now) == 0
    db.session.expire_all()
    assert coming.rsvp == Rsvp.YES and coming.seats == 1


def test_the_reminders_run_sends_once_however_often(db):
    from accelerator.jobs.services import send_reminders

    now = utcnow()
    demo_day = factories.make_demo_day(starts_at=now + timedelta(days=3))
    factories.make_guest(demo_day, invited_at=now - timedelta(days=5))
    factories.make_guest(demo_day, invited_at=now - timedelta(days=5))
    assert ("demoday.guests.reminders", 2) in send_reminders(now)
    assert ("demoday.guests.reminders", 0) in send_reminders(now + timedelta(hours=1))
