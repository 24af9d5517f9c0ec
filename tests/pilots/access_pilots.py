"""Access expectations for the pilot pages (pilot_views): scoping from an accepted
introduction, the pilot page, and each act on it.

Staff, admin and the unit's partner scope and move pilots; founders and matched mentors of the
startup read them; the founders alone share their figures; everyone else gets 404 for a pilot
they may not know (or 403 where their role never acts). The roles act in the order of ROLES
on one world: the first to move a pilot (staff) succeeds, and admin and the partner after it
meet a pilot that already moved (409, the pilot page with the message).
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.access import LOGIN, Case, expect

#: Who acts on pilots: staff, admin and the unit's partner; founders and mentors never (403),
#: the other unit's partner does not know the pilot (404).
EDITORS_ONLY = dict(
    anonymous=LOGIN,
    founder=403,
    other_founder=403,
    mentor=403,
    other_mentor=403,
    other_partner=404,
)


def editors(status: int, *, then: int | None = None) -> dict[str, int]:
    """Staff get `status`; admin and the partner after them `then` (the pilot moved)."""
    after = status if then is None else then
    return expect(after, staff=status, **EDITORS_ONLY)


def _pilot(status: str, path: str = ""):
    return lambda w: f"/pilots/{w.pilots[status].id}{path}"


def _new(w) -> str:
    return f"/pilots/introductions/{w.intro_accepted.id}/pilot/new"


def _fields(w) -> dict:
    today = date.today()
    data = {
        "title": "Matrix pilot",
        "budget": "25,000",
        "currency": "EUR",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=60)).isoformat(),
        "decision_on": (today + timedelta(days=75)).isoformat(),
        "owner": str(w.users["partner"].id),
    }
    for n in (1, 2, 3):
        data[f"measure_{n}"], data[f"target_{n}"] = f"Measure {n}", f"Target {n}"
    return data


#: Followers of the startup and the unit's partner read a pilot; nobody else knows it.
READERS = expect(404, anonymous=LOGIN, founder=200, mentor=200, staff=200, admin=200, partner=200)

CASES = {
    "pilots.pilot": [
        Case(_pilot("running"), READERS),
        Case(_pilot("closed"), READERS),
        Case("/pilots/999999", expect(404, anonymous=LOGIN)),
    ],
    "pilots.new_pilot": [
        Case(_new, editors(200)),
        # Staff scope it; for admin and the partner after them it has its pilot: they are led
        # to it.
        Case(_new, editors(302), method="POST", data=_fields),
        Case(
            _new,
            editors(422),
            method="POST",
            data={"title": "Matrix", "budget": "douze euros"},
            note="bad input comes back beside its field",
        ),
        Case(
            lambda w: f"/pilots/introductions/{w.intro_forwarded.id}/pilot/new",
            editors(409),
            note="only an accepted introduction becomes a pilot",
        ),
    ],
    "pilots.edit_pilot": [
        Case(_pilot("scoping", "/edit"), editors(200)),
        Case(_pilot("running", "/edit"), editors(302), method="POST", data=_fields),
        Case(_pilot("closed", "/edit"), editors(409), note="a closed pilot does not change"),
    ],
    "pilots.start_pilot": [
        Case(_pilot("scoping", "/start"), editors(302, then=409), method="POST", data={}),
    ],
    "pilots.decide_pilot": [
        Case(
            _pilot("running", "/decide"),
            editors(302, then=409),
            method="POST",
            data={"decide-decision": "go", "decide-contract_value": "120,000"},
        ),
    ],
    "pilots.close_pilot": [
        Case(
            _pilot("decided", "/close"),
            editors(302, then=409),
            method="POST",
            data={"close-lessons": "Start with one agency."},
        ),
    ],
    "pilots.stop_pilot": [
        Case(
            _pilot("running", "/stop"),
            editors(302, then=409),
            method="POST",
            data={"stop-reason": "The unit reorganised."},
        ),
    ],
    # The founders alone share their figures; staff and partners never do (403).
    "pilots.share_kpis": [
        Case(
            _pilot("running", "/share"),
            expect(403, anonymous=LOGIN, founder=302, other_founder=404),
            method="POST",
            data={"share-shared": "y"},
        ),
    ],
}
