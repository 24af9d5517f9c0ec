"""Access expectations for the staff pages of pilots (staff_views, exports): business units and
their partners, the board, the list of introductions and the exports.

Staff and admin manage units; a unit's page is also its own partner's (read-only); the other
unit's partner does not know it (404); founders and mentors never come here (403). The roles
act in the order of ROLES on one world: where staff's act changes it (a partner removed),
admin after them meets the change (409, the unit page with the message).
"""

from __future__ import annotations

import itertools

from tests.access import LOGIN, Case, expect, staff_only

_numbers = itertools.count(1)

#: A unit's page: staff, admin and the unit's partner; the other partner does not know it.
UNIT_READERS = expect(403, anonymous=LOGIN, staff=200, admin=200, partner=200, other_partner=404)


def _unit(path: str = ""):
    return lambda w: f"/pilots/units/{w.unit.id}{path}"


def _new_unit(w) -> str:
    return f"/pilots/units/new?program={w.pilot_cohort.program_id}"


def _unit_fields(w) -> dict:
    """A new unit's fields, another name each time (staff, then admin, each add one)."""
    return {
        "name": f"Matrix Orange Unit {next(_numbers)}",
        "country": "FR",
        "sponsor_name": "Claire Sponsor",
        "staff_lead": "",
    }


def _edit_fields(w) -> dict:
    return {
        "name": w.unit.name,
        "country": "FR",
        "sponsor_name": f"Sponsor {next(_numbers)}",
        "staff_lead": "",
    }


def _invite(w) -> dict:
    return {"email": f"matrix-invite-{next(_numbers)}@orange.example", "name": "Ines Invite"}


CASES = {
    "pilots.units": [Case("/pilots/units", staff_only(200))],
    "pilots.new_unit": [
        Case(_new_unit, staff_only(200)),
        Case("/pilots/units/new?program=999999", staff_only(404)),
        Case("/pilots/units/new?program=junk", staff_only(200), note="the program choice"),
        Case(_new_unit, staff_only(302), method="POST", data=_unit_fields),
        Case(
            _new_unit,
            staff_only(422),
            method="POST",
            data={},
            note="an empty form comes back with its errors",
        ),
    ],
    "pilots.unit": [
        Case(_unit(), UNIT_READERS),
        Case(
            "/pilots/units/999999",
            expect(403, anonymous=LOGIN, staff=404, admin=404, partner=404, other_partner=404),
        ),
    ],
    "pilots.edit_unit": [
        Case(_unit("/edit"), staff_only(200)),
        Case(_unit("/edit"), staff_only(302), method="POST", data=_edit_fields),
        Case(_unit("/edit"), staff_only(422), method="POST", data={"name": ""}),
    ],
    "pilots.invite_partner": [
        Case(_unit("/partners"), staff_only(302), method="POST", data=_invite),
        Case(_unit("/partners"), staff_only(422), method="POST", data={"email": "nope"}),
    ],
    # Staff take the partner out; for admin after them, they are no longer a partner (409).
    "pilots.remove_partner": [
        Case(
            lambda w: f"/pilots/units/{w.unit.id}/partners/{w.users['partner'].id}/remove",
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
        ),
        Case(
            lambda w: f"/pilots/units/{w.unit.id}/partners/999999/remove",
            staff_only(404),
            method="POST",
        ),
    ],
    "pilots.board": [
        Case("/pilots/board", staff_only(200)),
        Case(
            lambda w: f"/pilots/board?cohort={w.pilot_cohort.id}&unit={w.unit.id}&overdue=1",
            staff_only(200),
        ),
        Case("/pilots/board?status=running&owner=abc&page=-1", staff_only(200)),
    ],
    "pilots.introductions": [
        Case("/pilots/introductions", staff_only(200)),
        Case(
            lambda w: f"/pilots/introductions?status=requested&unit={w.unit.id}&page=99",
            staff_only(200),
        ),
    ],
    "pilots.export": [
        Case("/pilots/export?what=pilots&format=csv", staff_only(200)),
        Case(
            lambda w: f"/pilots/export?what=introductions&format=xlsx&cohort={w.pilot_cohort.id}",
            staff_only(200),
        ),
        Case("/pilots/export?what=grants&format=csv", staff_only(422)),
    ],
}
