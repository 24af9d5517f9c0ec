"""Real concurrency, real commits: guests answering yes at once for the last seats never take
more than the capacity; those who do not fit are on the waitlist. On PostgreSQL the demo day's
row lock and the guarded UPDATE decide (the CHECK seats_within_capacity backs them); on SQLite
every transaction takes the write lock first. Run on PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

from sqlalchemy import func, select

from accelerator.demoday import guests
from accelerator.demoday.models import DemoDay, Guest, Rsvp
from accelerator.extensions import db
from tests import factories
from tests.concurrency import race

RACERS = 8
CAPACITY = 5


def _world(app):
    with app.app_context():
        demo_day = factories.make_demo_day(capacity=CAPACITY, plus_ones_max=2)
        factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=1)  # 2 of 5 taken
        racers = [factories.make_guest(demo_day, name=f"Invitée {n}")[0].id for n in range(RACERS)]
        demo_day_id = demo_day.id
        db.session.commit()
        db.session.remove()
    return demo_day_id, racers


def test_guests_answering_yes_at_once_never_exceed_capacity(committed):
    app = committed
    demo_day_id, racers = _world(app)

    def work(index: int):
        guests.respond(db.session.get(Guest, racers[index]), answer="yes", plus_ones=0)

    assert race(app, work, RACERS) == ["done"] * RACERS
    with app.app_context():
        demo_day = db.session.get(DemoDay, demo_day_id)
        assert demo_day.seats_taken == CAPACITY
        answers = dict(
            db.session.execute(
                select(Guest.rsvp, func.count(Guest.id))
                .where(Guest.id.in_(racers))
                .group_by(Guest.rsvp)
            ).all()
        )
        assert answers == {Rsvp.YES: 3, Rsvp.WAITLISTED: RACERS - 3}
        held = db.session.scalar(
            select(func.sum(Guest.seats)).where(Guest.demo_day_id == demo_day_id)
        )
        assert held == demo_day.seats_taken
        db.session.remove()


def test_seats_freed_at_once_promote_each_waiting_guest_once(committed):
    app = committed
    demo_day_id, racers = _world(app)
    with app.app_context():
        for guest_id in racers:
            guests.respond(db.session.get(Guest, guest_id), answer="yes", plus_ones=0)
        db.session.commit()
        coming = db.session.scalars(
            select(Guest.id).where(Guest.id.in_(racers), Guest.rsvp == Rsvp.YES.value)
        ).all()
        db.session.remove()

    def work(index: int):
        guests.respond(db.session.get(Guest, coming[index]), answer="no")

    assert race(app, work, len(coming)) == ["done"] * len(coming)
    with app.app_context():
        demo_day = db.session.get(DemoDay, demo_day_id)
        held = db.session.scalar(
            select(func.sum(Guest.seats)).where(Guest.demo_day_id == demo_day_id)
        )
        assert demo_day.seats_taken == held == CAPACITY
        db.session.remove()
