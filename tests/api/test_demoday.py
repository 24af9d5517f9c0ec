"""/api/v1 demo days and guests: program staff only; a guest's personal link never leaves."""

from __future__ import annotations

from accelerator.demoday.models import Guest
from accelerator.extensions import db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def test_staff_read_demo_days_and_guests_without_their_links(api, make, staff):
    day = make.make_demo_day(published=True)
    guest, token = make.make_guest(day, rsvp="yes", name="Hélène Caractère", plus_ones=1)
    waiting, _token = make.make_guest(day, rsvp="waitlisted")
    assert day.id in _ids(api.get("/api/v1/demo-days?limit=200", as_=staff))
    body = api.get(f"/api/v1/demo-days/{day.id}", as_=staff).get_json()
    assert body["starts_at"].endswith("+00:00") and body["seats_taken"] == day.seats_taken
    listed = api.get(f"/api/v1/guests?demo_day_id={day.id}", as_=staff)
    assert _ids(listed) == {guest.id, waiting.id}
    raw = listed.get_data(as_text=True)
    stored = db.session.get(Guest, guest.id)
    assert token and token not in raw and stored.token_hash not in raw and "token" not in raw
    one = api.get(f"/api/v1/guests/{guest.id}", as_=staff).get_json()
    assert one["name"] == "Hélène Caractère" and one["seats"] == 2 and one["rsvp"] == "yes"


def test_guest_filters(api, make, staff):
    day = make.make_demo_day()
    coming, _t = make.make_guest(day, rsvp="yes")
    invited, _t = make.make_guest(day, rsvp="invited", kind="press")
    url = f"/api/v1/guests?demo_day_id={day.id}"
    assert _ids(api.get(url + "&rsvp=yes", as_=staff)) == {coming.id}
    assert _ids(api.get(url + "&kind=press", as_=staff)) == {invited.id}
    assert _ids(api.get(url + "&checked_in=true", as_=staff)) == set()
    assert _ids(api.get(url + "&checked_in=false", as_=staff)) == {coming.id, invited.id}
    when = day.starts_at.isoformat().replace("+00:00", "%2B00:00")
    assert day.id in _ids(api.get(f"/api/v1/demo-days?starts_after={when}", as_=staff))
    assert day.id not in _ids(api.get(f"/api/v1/demo-days?starts_before={when}", as_=staff))


def test_no_one_but_staff(api, make, founder, mentor):
    day = make.make_demo_day(published=True)
    guest, _token = make.make_guest(day)
    partner = make.make_user(role="partner")
    for user in (founder, mentor, partner):
        for url in (
            "/api/v1/demo-days",
            f"/api/v1/demo-days/{day.id}",
            "/api/v1/guests",
            f"/api/v1/guests/{guest.id}",
        ):
            response = api.get(url, as_=user)
            assert response.status_code == 403, (url, user.role)
            assert (
                response.get_json()["detail"] == "Demo days and their guests are for program staff."
            )
