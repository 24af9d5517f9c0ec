"""The guest's page by link, through HTTP: the event with its zone, the answer, plus-ones over
the cap (422 beside the field, typed values kept), the waitlist told, the event started (409),
tampered (404), revoked or expired (409), the one-click unsubscribe; nothing of other guests."""

from __future__ import annotations

from datetime import timedelta

from accelerator.core.types import utcnow
from accelerator.demoday.models import Guest, Rsvp
from tests import factories


def _url(token: str, path: str = "") -> str:
    return f"/demo-day/rsvp/{token}{path}"


def test_the_page_shows_the_event_and_only_this_guest(client, db):
    demo_day = factories.make_demo_day(
        online_url="https://meet.example.org/x", venue="Orange Gardens"
    )
    guest, token = factories.make_guest(demo_day, name="Société Éclair Capital")
    other, _ = factories.make_guest(demo_day, name="Zoé Autre", email="zoe@other.example.org")
    page = client.get(_url(token))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Société Éclair Capital" in html and "Orange Gardens" in html
    assert "meet.example.org/x" in html
    assert "CET" in html or "CEST" in html  # the zone is named
    assert "Zoé Autre" not in html and "zoe@other" not in html
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "data-programme" not in html  # the running order is not public yet
    demo_day.published_at = demo_day.starts_at
    db.session.flush()
    html = client.get(_url(token)).get_data(as_text=True)
    assert f'href="/demo-day/{demo_day.id}" data-programme' in html


def test_answering_yes_then_no(client, db):
    demo_day = factories.make_demo_day(plus_ones_max=2)
    guest, token = factories.make_guest(demo_day)
    answer = client.post(_url(token), data={"answer": "yes", "plus_ones": "2", "dietary": "Halal"})
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"])
    assert 'data-answer="yes"' in page.get_data(as_text=True)
    db.session.expire_all()
    assert (guest.rsvp, guest.seats, guest.dietary) == (Rsvp.YES, 3, "Halal")
    assert demo_day.seats_taken == 3
    assert client.post(_url(token), data={"answer": "no"}).status_code == 302
    db.session.expire_all()
    assert guest.rsvp == Rsvp.NO and demo_day.seats_taken == 0


def test_plus_ones_over_the_cap_answer_422_beside_the_field_with_what_was_typed(client, db):
    demo_day = factories.make_demo_day(plus_ones_max=1)
    guest, token = factories.make_guest(demo_day)
    page = client.post(
        _url(token), data={"answer": "yes", "plus_ones": "4", "dietary": "Sans gluten"}
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "at most 1" in html and "Sans gluten" in html and 'value="4"' in html
    db.session.expire_all()
    assert guest.rsvp == Rsvp.INVITED and demo_day.seats_taken == 0


def test_a_full_room_puts_the_guest_on_the_waitlist_and_says_so(client, db):
    demo_day = factories.make_demo_day(capacity=1)
    factories.make_guest(demo_day, rsvp=Rsvp.YES)
    guest, token = factories.make_guest(demo_day)
    answer = client.post(_url(token), data={"answer": "yes", "plus_ones": "0"})
    page = client.get(answer.headers["Location"])
    assert "data-waitlisted" in page.get_data(as_text=True)
    db.session.expire_all()
    assert guest.rsvp == Rsvp.WAITLISTED


def test_an_answer_after_the_start_is_refused_with_409(client, db):
    demo_day = factories.make_demo_day(
        starts_at=(utcnow() - timedelta(hours=1)).replace(microsecond=0)
    )
    guest, token = factories.make_guest(demo_day)
    page = client.post(_url(token), data={"answer": "yes", "plus_ones": "0"})
    assert page.status_code == 409
    assert "data-started" in page.get_data(as_text=True)
    db.session.expire_all()
    assert guest.rsvp == Rsvp.INVITED
    # The same link now leads the guest to the startups, to ask for introductions.
    later = client.get(_url(token)).get_data(as_text=True)
    assert f'href="/demo-day/rsvp/{token}/interest"' in later


def test_tampered_revoked_and_expired_links(client, db):
    demo_day = factories.make_demo_day()
    guest, token = factories.make_guest(demo_day)
    tampered = client.get(_url(token[:-3] + "abc"))
    assert tampered.status_code == 404 and "data-message" in tampered.get_data(as_text=True)
    assert client.post(_url("x" * 43), data={"answer": "yes"}).status_code == 404
    guest.revoked_at = utcnow()
    db.session.flush()
    assert client.get(_url(token)).status_code == 409
    assert client.post(_url(token), data={"answer": "no"}).status_code == 409
    guest.revoked_at = None
    guest.expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    assert client.get(_url(token)).status_code == 409


def test_the_page_speaks_the_guests_language(client, db):
    demo_day = factories.make_demo_day()
    _guest, token = factories.make_guest(demo_day, locale="fr")
    html = client.get(_url(token)).get_data(as_text=True)
    assert 'lang="fr"' in html or "Français" in html
    assert client.get(_url(token) + "?lang=en").status_code == 200


def test_one_click_unsubscribe_without_csrf(app, client, db):
    demo_day = factories.make_demo_day()
    guest, token = factories.make_guest(demo_day, rsvp=Rsvp.YES)
    assert client.get(_url(token, "/unsubscribe")).status_code == 200
    db.session.expire_all()
    assert guest.unsubscribed_at is None  # a GET changes nothing
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        done = client.post(_url(token, "/unsubscribe"), data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert done.status_code == 200 and done.mimetype == "text/plain"
    db.session.expire_all()
    assert guest.unsubscribed_at is not None and guest.rsvp == Rsvp.YES
    assert client.post(_url(token, "/unsubscribe")).status_code == 200  # twice is harmless
    assert db.session.get(Guest, guest.id).rsvp == Rsvp.YES
