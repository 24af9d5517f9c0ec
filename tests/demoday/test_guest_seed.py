"""The demo guests: Season 11 (past) all answered, Season 12 (planned) partly; seats held
match the answers; running the seed twice changes nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from accelerator.core.models import OutboxEmail
from accelerator.core.types import utcnow
from accelerator.demoday.guest_seed import guest_specs, seed_guests
from accelerator.demoday.models import Guest, Rsvp
from tests import factories

SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data"


def test_seed_guests_of_a_past_and_a_planned_demo_day(db):
    factories.make_user(role="staff")
    factories.make_user(role="staff")
    specs = guest_specs(SEED_DIR)
    past = factories.make_demo_day(
        starts_at=(utcnow() - timedelta(days=240)).replace(microsecond=0)
    )
    planned = factories.make_demo_day()
    lines: list[str] = []
    assert seed_guests(past, specs["Season 11"], lines.append) == len(specs["Season 11"]["guests"])
    assert seed_guests(planned, specs["Season 12"], lines.append) == len(
        specs["Season 12"]["guests"]
    )
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0  # history is not news

    def answers(demo_day):
        return dict(
            db.session.execute(
                select(Guest.rsvp, func.count(Guest.id))
                .where(Guest.demo_day_id == demo_day.id)
                .group_by(Guest.rsvp)
            ).all()
        )

    old = answers(past)
    assert Rsvp.INVITED not in old and Rsvp.NOT_INVITED not in old
    assert old[Rsvp.YES] >= 10 and old[Rsvp.NO] and old[Rsvp.MAYBE]
    new = answers(planned)
    assert new[Rsvp.INVITED] >= 10 and new[Rsvp.YES]
    for demo_day in (past, planned):
        held = db.session.scalar(
            select(func.sum(Guest.seats)).where(Guest.demo_day_id == demo_day.id)
        )
        db.session.expire(demo_day)
        assert demo_day.seats_taken == held
    dietary = db.session.scalar(
        select(func.count(Guest.id)).where(Guest.demo_day_id == past.id, Guest.dietary != "")
    )
    assert dietary >= 2
    answered_at = db.session.scalar(
        select(func.max(Guest.responded_at)).where(Guest.demo_day_id == past.id)
    )
    assert answered_at < past.starts_at
    # twice changes nothing
    assert seed_guests(past, specs["Season 11"], lines.append) == 0
    assert answers(past) == old
