"""The door: the printable list of guests coming, and check-in at the door on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from accelerator.core.errors import InvalidState
from accelerator.core.models import AuditEvent
from accelerator.demoday import door
from accelerator.demoday.models import Rsvp
from accelerator.extensions import db
from tests import factories
from tests.demoday.followup_builders import event

ROOT = Path(__file__).resolve().parents[2]


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_door_list_is_the_guests_coming_by_name_with_counts(db, client, login_as):
    world = event()
    day = world.demo_day
    factories.make_guest(day, rsvp=Rsvp.YES, name="Zoé Zola", firm="Société Générale")
    factories.make_guest(
        day,
        rsvp=Rsvp.YES,
        name="émile Durand",
        firm="Éclair Capital",
        plus_ones=2,
        dietary="Végétarien",
    )
    factories.make_guest(day, rsvp=Rsvp.YES, name="Adam Smith", firm="Partech")
    factories.make_guest(day, rsvp=Rsvp.MAYBE, name="Maybe Person")
    factories.make_guest(day, rsvp=Rsvp.NO, name="Nobody Coming")
    factories.make_guest(day, rsvp=Rsvp.WAITLISTED, name="Waiting Person")
    login_as(world.staff)
    page = client.get(f"/demo-day/{day.id}/door").get_data(as_text=True)
    names = re.findall(r'data-guest="\d+"[^>]*>\s*<td>.*?</td>\s*<td>([^<]+)</td>', page, re.S)
    assert names == ["Adam Smith", "émile Durand", "Zoé Zola"]
    assert "Maybe Person" not in page and "Waiting Person" not in page
    assert "Éclair Capital" in page and "Végétarien" in page
    assert 'data-figure="coming">3<' in page
    assert 'data-figure="plus-ones">2<' in page
    assert 'data-figure="people">5<' in page
    assert 'data-figure="dietary">1<' in page
    assert "css/demoday-door.css" in page and "door-box" in page
    css = (ROOT / "accelerator/static/css/demoday-door.css").read_text()
    assert "@media print" in css
    with client.get("/static/css/demoday-door.css") as served:
        assert served.status_code == 200


def test_check_in_opens_on_the_event_day_in_the_program_zone(db, client, login_as):
    world = event(started=False)
    guest, _token = factories.make_guest(world.demo_day, rsvp=Rsvp.YES, name="Anaïs Début")
    login_as(world.staff)
    page = client.get(f"/demo-day/{world.demo_day.id}/door/check-in")
    assert page.status_code == 409
    assert "Check-in opens on the day of the event" in page.get_data(as_text=True)
    posted = client.post(f"/demo-day/{world.demo_day.id}/door/guests/{guest.id}/arrived")
    assert posted.status_code == 409
    db.session.refresh(guest)
    assert guest.checked_in_at is None
    with pytest.raises(InvalidState):
        door.check_in(world.demo_day, guest.id, actor=world.staff)


def test_search_ignores_case_and_accents_and_a_second_tap_says_when(db, client, login_as):
    world = event()
    day = world.demo_day
    eclair, _t = factories.make_guest(
        day, rsvp=Rsvp.YES, name="Hélène Roux", firm="Société Éclair Capital"
    )
    other, _t = factories.make_guest(day, rsvp=Rsvp.YES, name="Bob Martin", firm="Partech")
    login_as(world.staff)
    for query in ("societe", "ECLAIR", "hélène", "HELENE roux"):
        page = client.get(f"/demo-day/{day.id}/door/check-in?q={query}").get_data(as_text=True)
        assert f'data-guest="{eclair.id}"' in page, query
        assert f'data-guest="{other.id}"' not in page, query
    page = client.get(f"/demo-day/{day.id}/door/check-in").get_data(as_text=True)
    assert 'data-arrived="0" data-expected="2"' in page

    first = client.post(f"/demo-day/{day.id}/door/guests/{eclair.id}/arrived?q=eclair")
    assert first.status_code == 302 and "q=eclair" in first.headers["Location"]
    db.session.refresh(eclair)
    arrived_at = eclair.checked_in_at
    assert arrived_at is not None and eclair.checked_in_by_id == world.staff.id
    second = client.post(
        f"/demo-day/{day.id}/door/guests/{eclair.id}/arrived", follow_redirects=True
    )
    text = second.get_data(as_text=True)
    assert "Hélène Roux already arrived at" in text
    assert door.arrived_at_text(eclair, day)[:5] in text
    db.session.refresh(eclair)
    assert eclair.checked_in_at == arrived_at
    assert len(_events("demoday.guest_arrived")) == 1
    assert 'data-arrived="1" data-expected="2"' in text


def test_a_walk_in_is_let_in_and_a_mistake_undone(db, client, login_as):
    world = event()
    day = world.demo_day
    maybe, _t = factories.make_guest(day, rsvp=Rsvp.MAYBE, name="Marc Peut-être")
    login_as(world.staff)
    page = client.get(f"/demo-day/{day.id}/door/check-in?q=marc").get_data(as_text=True)
    assert "Let in (walk-in)" in page
    assert client.post(f"/demo-day/{day.id}/door/guests/{maybe.id}/arrived").status_code == 302
    (arrived,) = _events("demoday.guest_arrived")
    assert arrived.data["walk_in"] is True and arrived.actor_id == world.staff.id
    assert door.counts(day).walk_ins == 1 and door.counts(day).arrived == 0
    db.session.refresh(maybe)
    assert maybe.rsvp == Rsvp.MAYBE and maybe.seats == 0

    undone = client.post(f"/demo-day/{day.id}/door/guests/{maybe.id}/undo")
    assert undone.status_code == 302
    db.session.refresh(maybe)
    assert maybe.checked_in_at is None and maybe.checked_in_by_id is None
    assert len(_events("demoday.guest_arrival_undone")) == 1
    again = client.post(f"/demo-day/{day.id}/door/guests/{maybe.id}/undo")
    assert again.status_code == 409
    assert "is not checked in" in again.get_data(as_text=True)


def test_a_guest_of_another_demo_day_is_not_found_here(db, client, login_as):
    world = event()
    elsewhere, _t = factories.make_guest(factories.make_demo_day(), rsvp=Rsvp.YES)
    login_as(world.staff)
    response = client.post(f"/demo-day/{world.demo_day.id}/door/guests/{elsewhere.id}/arrived")
    assert response.status_code == 404


def test_the_door_pages_have_no_inline_style():
    for path in (ROOT / "templates/demoday/door").glob("*.html"):
        assert "style=" not in path.read_text(), path


def test_a_long_list_shows_the_first_guests_and_says_so(db, client, login_as):
    world = event()
    for n in range(door.SEARCH_LIMIT + 2):
        factories.make_guest(world.demo_day, rsvp=Rsvp.YES, name=f"Guest {n:02d}")
    login_as(world.staff)
    page = client.get(f"/demo-day/{world.demo_day.id}/door/check-in").get_data(as_text=True)
    assert page.count("data-guest=") == door.SEARCH_LIMIT
    assert f"{door.SEARCH_LIMIT} of {door.SEARCH_LIMIT + 2} shown" in page
