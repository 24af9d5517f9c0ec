"""/api/v1 mentor matches and sessions: the pair's mentor, the startup's founders and staff
read them; the shared summary travels, the private notes never do."""

from __future__ import annotations

from accelerator.mentoring.models import MatchStatus
from tests.sessions.builders import make_pair, make_session

PRIVATE = "Fondateurs épuisés, runway fragile"


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def _world(make, mentor):
    startup = make.make_startup(name="Société Éclair")
    founder = make.founder_of(startup)
    pair = make_pair(mentor=mentor, startup=startup)
    session = make_session(pair, summary="Plan de pilote revu", private_notes=PRIVATE)
    other_pair = make_pair()
    other = make_session(other_pair, private_notes=PRIVATE)
    return founder, pair, session, other_pair, other


def test_no_private_note_in_any_session_response(api, make, staff, mentor):
    founder, _pair, session, _other_pair, _other = _world(make, mentor)
    for user in (founder, mentor, staff):
        for url in ("/api/v1/sessions?limit=200", f"/api/v1/sessions/{session.id}"):
            response = api.get(url, as_=user)
            assert response.status_code == 200
            assert PRIVATE not in response.get_data(as_text=True)
            assert b"private" not in response.data and b"red_flag" not in response.data
    body = api.get(f"/api/v1/sessions/{session.id}", as_=founder).get_json()
    assert body["summary"] == "Plan de pilote revu" and body["starts_at"].endswith("+00:00")


def test_sessions_are_the_pairs_and_staffs(api, make, staff, mentor):
    founder, _pair, session, other_pair, other = _world(make, mentor)
    assert _ids(api.get("/api/v1/sessions", as_=founder)) == {session.id}
    assert _ids(api.get("/api/v1/sessions", as_=mentor)) == {session.id}
    assert api.get(f"/api/v1/sessions/{other.id}", as_=founder).status_code == 404
    assert api.get(f"/api/v1/sessions/{other.id}", as_=mentor).status_code == 404
    outsider = make.make_user(role="mentor")
    assert _ids(api.get("/api/v1/sessions", as_=outsider)) == set()
    assert {session.id, other.id} <= _ids(api.get("/api/v1/sessions?limit=200", as_=staff))
    by_startup = api.get(f"/api/v1/sessions?startup_id={other_pair.startup_id}", as_=staff)
    assert _ids(by_startup) == {other.id}


def test_session_time_filters_take_offsets(api, make, staff, mentor):
    _founder, pair, session, _other_pair, _other = _world(make, mentor)
    older = make_session(pair, days_ago=30)
    url = f"/api/v1/sessions?mentor_id={mentor.id}"
    cut = (session.starts_at.replace(microsecond=0)).isoformat()
    since = api.get(url + "&starts_after=" + cut.replace("+00:00", "%2B00:00"), as_=staff)
    assert _ids(since) == {session.id}
    before = api.get(url + "&starts_before=" + cut.replace("+00:00", "%2B00:00"), as_=staff)
    assert _ids(before) == {older.id}
    naive = api.get(url + "&starts_after=2026-01-01T00:00:00", as_=staff)
    assert naive.status_code == 422 and "starts_after" in naive.get_json()["errors"]


def test_matches_are_the_mentors_and_confirmed_ones_the_founders(api, make, staff, mentor):
    founder, pair, _session, other_pair, _other = _world(make, mentor)
    proposed = make_pair(
        mentor=make.make_user(role="mentor"),
        startup=make.make_startup(),
        status=MatchStatus.PROPOSED,
    )
    assert _ids(api.get("/api/v1/matches", as_=founder)) == {pair.id}
    assert _ids(api.get("/api/v1/matches", as_=mentor)) == {pair.id}
    assert api.get(f"/api/v1/matches/{other_pair.id}", as_=founder).status_code == 404
    assert api.get(f"/api/v1/matches/{other_pair.id}", as_=mentor).status_code == 404
    proposed_founder = make.founder_of(proposed)
    assert _ids(api.get("/api/v1/matches", as_=proposed_founder)) == set()
    staff_view = api.get("/api/v1/matches?status=proposed&limit=200", as_=staff)
    assert proposed.id in _ids(staff_view) and pair.id not in _ids(staff_view)
    assert b"explanation" not in api.get(f"/api/v1/matches/{pair.id}", as_=staff).data


def test_sessions_carry_an_etag_and_a_group_scope(api, make, mentor):
    founder, _pair, session, _other_pair, _other = _world(make, mentor)
    first = api.get(f"/api/v1/sessions/{session.id}", as_=founder)
    again = api.get(
        f"/api/v1/sessions/{session.id}",
        as_=founder,
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304 and again.data == b""
    _token, clear = make.make_token(founder, scopes=["mentoring:read"])
    headers = {"Authorization": f"Bearer {clear}"}
    assert api.get("/api/v1/sessions", headers=headers).status_code == 200
    other_group = api.get("/api/v1/pilots", headers=headers)
    assert other_group.status_code == 403 and "pilots:read" in other_group.get_json()["detail"]
