"""Access expectations for the campaign pages (views.py): asking for a test, the campaign page,
the staff list, and each act on a campaign.

The startup's founders and staff (admin too) read and ask; staff alone approve, decline and
send waves; founders edit while the test awaits approval, staff until it runs; both close.
Mentors and partners never come here (403); another startup's founder does not know the
campaign (404). The roles act in the order of ROLES on one world: the first to move a
campaign succeeds, and those after it meet a campaign that already moved (409).
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.access import LOGIN, Case, expect

#: Founders of the startup and staff read; the other founder does not know it; mentors and
#: partners are refused by role.
OUTSIDERS = dict(
    anonymous=LOGIN,
    other_founder=404,
    mentor=403,
    other_mentor=403,
    partner=403,
    other_partner=403,
)
#: Acts of staff alone: founders are refused by role.
STAFF_ACT = dict(OUTSIDERS, founder=403, other_founder=403)


def readers(founder: int, staff: int | None = None, admin: int | None = None) -> dict[str, int]:
    """The founder gets `founder`, staff `staff` and admin after them `admin`."""
    staff = founder if staff is None else staff
    return expect(
        403, **OUTSIDERS, founder=founder, staff=staff, admin=staff if admin is None else admin
    )


def staff_act(staff: int, admin: int | None = None) -> dict[str, int]:
    return expect(403, **STAFF_ACT, staff=staff, admin=staff if admin is None else admin)


def _campaign(status: str, path: str = ""):
    return lambda w: f"/testers/campaigns/{w.campaigns[status].id}{path}"


def _new(w) -> str:
    return f"/testers/startups/{w.startup.id}/campaigns/new"


def _fields(_w=None) -> dict:
    today = date.today()
    return {
        "title": "Matrix test",
        "test_url": "https://example.org/beta",
        "responses_wanted": "10",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=10)).isoformat(),
        "criteria_os": ["ios"],
        "quota_attribute_1": "os",
        "quota_value_1": "ios",
        "quota_1": "2",
    }


def _bad(_w=None) -> dict:
    return {**_fields(), "quota_value_1": "android"}  # the target excludes android


CASES = {
    "testers.new_campaign": [
        Case(_new, readers(200)),
        Case(_new, readers(302), method="POST", data=_fields),
        Case(_new, readers(422), method="POST", data=_bad, note="beside the quota"),
    ],
    "testers.campaign": [
        *(Case(_campaign(status), readers(200)) for status in ("requested", "running", "closed")),
        Case(_campaign("declined"), readers(200)),
        Case("/testers/campaigns/999999", readers(404)),
    ],
    "testers.campaigns": [
        Case("/testers/campaigns", staff_act(200)),
        Case("/testers/campaigns?status=requested&cohort=1&page=2", staff_act(200)),
    ],
    "testers.edit_campaign": [
        Case(_campaign("requested", "/edit"), readers(200)),
        # Once approved only staff edit; once running nobody.
        Case(_campaign("approved", "/edit"), readers(409, 200)),
        Case(_campaign("running", "/edit"), readers(409)),
        Case(_campaign("requested", "/edit"), readers(302), method="POST", data=_fields),
        Case(_campaign("requested", "/edit"), readers(422), method="POST", data=_bad),
        Case(_campaign("closed", "/edit"), readers(409), method="POST", data=_fields),
    ],
    "testers.approve_campaign": [
        # Staff approve; admin after them meets an approved campaign.
        Case(_campaign("requested", "/approve"), staff_act(302, 409), method="POST"),
        Case(_campaign("declined", "/approve"), staff_act(409), method="POST"),
    ],
    "testers.decline_campaign": [
        Case(
            _campaign("requested", "/decline"),
            staff_act(302, 409),
            method="POST",
            data={"reason": "Not for the panel"},
        ),
        Case(
            _campaign("requested", "/decline"),
            staff_act(422),
            method="POST",
            data={"reason": ""},
            note="a decline needs its reason",
        ),
        Case(
            _campaign("approved", "/decline"),
            staff_act(409),
            method="POST",
            data={"reason": "Too late"},
        ),
    ],
    "testers.send_wave": [
        # The one tester left free is invited by staff; admin after them finds none.
        Case(_campaign("approved", "/wave"), staff_act(302, 409), method="POST"),
        Case(_campaign("requested", "/wave"), staff_act(409), method="POST"),
    ],
    "testers.close_campaign": [
        # The founder closes first; staff and admin after them meet a closed campaign.
        Case(_campaign("running", "/close"), readers(302, 409), method="POST"),
        Case(_campaign("approved", "/close"), readers(302, 409), method="POST"),
        Case(_campaign("requested", "/close"), readers(409), method="POST"),
    ],
}
