"""After demo day: a guest asks for introductions by link, founders see who asked, staff record
the introductions made."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from accelerator.core.errors import InvalidState, NotFound
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.demoday import interest
from accelerator.demoday.models import Interest, Rsvp
from accelerator.extensions import db
from tests import factories
from tests.demoday.followup_builders import event


def _asks(guest) -> dict[int, Interest]:
    return {
        i.startup_id: i
        for i in db.session.scalars(select(Interest).where(Interest.guest_id == guest.id))
    }


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_before_the_event_the_link_does_not_open_the_interest_page(db, client):
    world = event(started=False)
    _guest, token = factories.make_guest(world.demo_day, rsvp=Rsvp.YES)
    response = client.get(f"/demo-day/rsvp/{token}/interest")
    assert response.status_code == 409
    assert "Asking for introductions opens when the demo day starts" in response.get_data(
        as_text=True
    )
    assert client.post(f"/demo-day/rsvp/{token}/interest", data={}).status_code == 409


def test_a_guest_ticks_startups_in_running_order_and_sees_no_other_guest(db, client):
    world = event()
    guest, token = factories.make_guest(world.demo_day, rsvp=Rsvp.YES, name="Inès Investisseuse")
    other, _t = factories.make_guest(
        world.demo_day, rsvp=Rsvp.YES, name="Other Guest", firm="Secret Fund"
    )
    db.session.add(Interest(guest_id=other.id, startup_id=world.eclair.id, note="Mine only"))
    db.session.flush()
    page = client.get(f"/demo-day/rsvp/{token}/interest")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert re.findall(r"<h2 class=\"h5 mb-1\">([^<]+)</h2>", text) == [
        "Société Éclair",
        "Zèbre Robotics",
    ]
    assert "Other Guest" not in text and "Secret Fund" not in text and "Mine only" not in text

    saved = client.post(
        f"/demo-day/rsvp/{token}/interest",
        data={f"want_{world.zebre.id}": "1", f"note_{world.zebre.id}": "  Série A en 2027  "},
    )
    assert saved.status_code == 302
    asks = _asks(guest)
    assert set(asks) == {world.zebre.id} and asks[world.zebre.id].note == "Série A en 2027"
    assert "demoday.interest_asked" in _actions()
    # A second save with the same tick changes nothing; a new note is kept.
    client.post(
        f"/demo-day/rsvp/{token}/interest",
        data={f"want_{world.zebre.id}": "1", f"note_{world.zebre.id}": "Autre note"},
    )
    assert _asks(guest)[world.zebre.id].note == "Autre note"
    assert _actions().count("demoday.interest_asked") == 1
    # Unticking withdraws.
    client.post(f"/demo-day/rsvp/{token}/interest", data={})
    assert _asks(guest) == {}
    assert "demoday.interest_withdrawn" in _actions()


def test_a_note_too_long_is_refused_beside_its_field_and_kept(db, client):
    world = event()
    guest, token = factories.make_guest(world.demo_day, rsvp=Rsvp.YES)
    long_note = "é" * (interest.NOTE_MAX_CHARS + 1)
    response = client.post(
        f"/demo-day/rsvp/{token}/interest",
        data={
            f"want_{world.eclair.id}": "1",
            f"note_{world.eclair.id}": long_note,
            f"want_{world.zebre.id}": "1",
        },
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f'id="note-{world.eclair.id}-error"' in text and long_note in text
    assert _asks(guest) == {}


def test_after_the_introduction_the_guest_can_no_longer_withdraw(db, client):
    world = event()
    guest, token = factories.make_guest(world.demo_day, rsvp=Rsvp.YES)
    client.post(f"/demo-day/rsvp/{token}/interest", data={f"want_{world.eclair.id}": "1"})
    ask = _asks(guest)[world.eclair.id]
    interest.record_introduction(ask, actor=world.staff, note="Coffee on Monday")
    client.post(f"/demo-day/rsvp/{token}/interest", data={})  # the untick is ignored
    assert world.eclair.id in _asks(guest)
    with pytest.raises(InvalidState):
        interest.withdraw(guest, world.demo_day, world.eclair.id, name="Société Éclair")
    text = client.get(f"/demo-day/rsvp/{token}/interest").get_data(as_text=True)
    assert "The program team has introduced you." in text


def test_only_startups_of_the_running_order_can_be_asked(db):
    world = event()
    guest, _token = factories.make_guest(world.demo_day, rsvp=Rsvp.YES)
    stranger = factories.make_startup(name="Pas Sur Scène")
    with pytest.raises(NotFound):
        interest.save_choices(guest, world.demo_day, {stranger.id: (True, "")})


def test_staff_record_an_introduction_once_and_the_founders_are_mailed(db, client, login_as):
    world = event()
    guest, token = factories.make_guest(
        world.demo_day,
        rsvp=Rsvp.YES,
        name="Inès Investisseuse",
        firm="Éclair Ventures",
        email="ines.investisseuse@eclair-ventures.example",
    )
    client.post(
        f"/demo-day/rsvp/{token}/interest",
        data={f"want_{world.eclair.id}": "1", f"note_{world.eclair.id}": "B2B"},
    )
    ask = _asks(guest)[world.eclair.id]
    login_as(world.staff)
    page = client.get(f"/demo-day/{world.demo_day.id}/interest").get_data(as_text=True)
    assert "ines.investisseuse@eclair-ventures.example" in page and "B2B" in page
    assert "Record the introduction" in page

    too_long = client.post(
        f"/demo-day/{world.demo_day.id}/interest/{ask.id}/introduce",
        data={"note": "x" * (interest.INTRODUCTION_NOTE_MAX_CHARS + 1)},
    )
    assert too_long.status_code == 422
    done = client.post(
        f"/demo-day/{world.demo_day.id}/interest/{ask.id}/introduce", data={"note": "Café lundi"}
    )
    assert done.status_code == 302
    db.session.refresh(ask)
    assert ask.introduced_at is not None and ask.introduced_by_id == world.staff.id
    assert ask.introduction_note == "Café lundi"
    mails = list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == world.fay.email)))
    assert len(mails) == 1 and "Inès Investisseuse" in mails[0].subject
    assert "Café lundi" in mails[0].body and "ines.investisseuse" not in mails[0].body
    assert not list(
        db.session.scalars(select(OutboxEmail).where(OutboxEmail.to == world.zack.email))
    )
    event_row = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "demoday.introduction_recorded")
    )
    assert event_row.actor_id == world.staff.id and event_row.startup_id == world.eclair.id
    again = client.post(f"/demo-day/{world.demo_day.id}/interest/{ask.id}/introduce", data={})
    assert again.status_code == 409
    assert "already recorded" in again.get_data(as_text=True)


def test_founders_see_who_asked_by_name_and_firm_only(db, client, login_as):
    world = event()
    guest, token = factories.make_guest(
        world.demo_day,
        rsvp=Rsvp.YES,
        name="Inès Investisseuse",
        firm="Éclair Ventures",
        email="ines@eclair-ventures.example",
    )
    client.post(
        f"/demo-day/rsvp/{token}/interest",
        data={f"want_{world.eclair.id}": "1", f"note_{world.eclair.id}": "private note"},
    )
    login_as(world.fay)
    page = client.get("/demo-day/interest").get_data(as_text=True)
    assert "Inès Investisseuse" in page and "Éclair Ventures" in page and "Not yet" in page
    assert "ines@eclair-ventures.example" not in page and "private note" not in page
    home = client.get("/").get_data(as_text=True)
    assert "founder-demoday-interest" in home and "Inès Investisseuse" in home
    assert "ines@eclair-ventures.example" not in home

    login_as(world.zack)
    page = client.get("/demo-day/interest").get_data(as_text=True)
    assert "Inès Investisseuse" not in page and "No guest has asked" in page
    assert "founder-demoday-interest" not in client.get("/").get_data(as_text=True)

    interest.record_introduction(_asks(guest)[world.eclair.id], actor=world.staff, note="")
    login_as(world.fay)
    assert "Introduced" in client.get("/demo-day/interest").get_data(as_text=True)


def test_history_sentences_read(db):
    from accelerator.core.history import entries

    world = event()
    guest, _t = factories.make_guest(world.demo_day, rsvp=Rsvp.MAYBE, name="Walk Inn")
    from accelerator.demoday import door

    door.check_in(world.demo_day, guest.id, actor=world.staff)
    door.undo_check_in(world.demo_day, guest.id, actor=world.staff)
    interest.save_choices(guest, world.demo_day, {world.eclair.id: (True, "")})
    interest.record_introduction(_asks(guest)[world.eclair.id], actor=world.staff, note="")
    from sqlalchemy.orm import selectinload

    events = list(
        db.session.scalars(
            select(AuditEvent).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id)
        )
    )
    sentences = [entry.sentence for entry in entries(events, folding=False)]
    assert "Sam Staff checked in Walk Inn, who had not said yes (walk-in)." in sentences
    assert "Sam Staff undid the check-in of Walk Inn." in sentences
    assert "Walk Inn asked for an introduction to Société Éclair." in sentences
    assert "Sam Staff introduced Walk Inn to Société Éclair." in sentences


def test_the_guest_and_founder_pages_run_a_fixed_number_of_statements(
    db, client, login_as, count_queries
):
    counts = []
    for size in (1, 5):
        world = event()
        guest, token = factories.make_guest(world.demo_day, rsvp=Rsvp.YES)
        for n in range(size):
            other, _t = factories.make_guest(world.demo_day, rsvp=Rsvp.YES)
            for startup in (world.eclair, world.zebre):
                db.session.add(Interest(guest_id=other.id, startup_id=startup.id, note=f"n{n}"))
            db.session.add(factories.make_startup(name=f"Extra {n}"))
        db.session.flush()
        client.post(f"/demo-day/rsvp/{token}/interest", data={f"want_{world.zebre.id}": "1"})
        login_as(None)
        with count_queries() as guest_page:
            assert client.get(f"/demo-day/rsvp/{token}/interest").status_code == 200
        login_as(world.fay)
        client.get("/demo-day/interest")
        with count_queries() as founder_page:
            assert client.get("/demo-day/interest").status_code == 200
        counts.append((guest_page.count, founder_page.count))
    assert counts[0] == counts[1], counts
