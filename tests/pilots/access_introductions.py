"""Access expectations for the introduction pages and acts (views), the founders' "what business
units see" (founder_views) and the partners' directory, public profile and deck (partner_views).

world.startup is the founder's, followed by the mentor, in a running cohort; world.unit is the
partner's, world.other_unit the other partner's. world.intro_requested is on a unit of its own,
world.intro_forwarded (asked by the startup: the unit answers) on world.unit.

The roles act in the order of ROLES on one world, so an act that moves an introduction changes
it for the roles after: staff forward, decline or accept first, then admin and the partner meet
the moved introduction (409, the page with the message). The founder withdraws first; the
mentor and staff after them meet a withdrawn request (409).
"""

from __future__ import annotations

from tests.access import LOGIN, Case, expect

#: An introduction of world.startup on world.unit: who follows the startup, and the unit's partner.
FOLLOWERS_AND_UNIT = expect(
    404, anonymous=LOGIN, founder=200, mentor=200, staff=200, admin=200, partner=200
)
#: Who may ask that world.startup meet a unit: its founder and mentor, staff, any partner
#: with a unit (the startup is in a running cohort).
ASKERS = expect(200, anonymous=LOGIN, other_founder=404, other_mentor=404)
#: A startup's public profile: its founder, staff, partners; mentors never come here.
PROFILE_READERS = expect(200, anonymous=LOGIN, other_founder=404, mentor=403, other_mentor=403)
#: What business units see: the startup's founder and staff.
PROFILE_EDITORS = expect(403, anonymous=LOGIN, founder=200, other_founder=404, staff=200, admin=200)


def _intro(attr: str, action: str = ""):
    return lambda w: (
        f"/pilots/introductions/{getattr(w, attr).id}" + (f"/{action}" if action else "")
    )


def _startup(path: str = ""):
    return lambda w: f"/pilots/startups/{w.startup.id}{path}"


def _shared_deck(w) -> str:
    """world.startup's deck, on its enrolled application and shared with partners (made once,
    on the first role's request)."""
    if not w.__dict__.get("deck_shared"):
        from sqlalchemy import select

        from accelerator.applications.models import Application
        from accelerator.extensions import db
        from accelerator.pilots.models import PartnerProfile
        from accelerator.programs.models import Enrollment
        from tests import factories

        for application_id in db.session.scalars(
            select(Enrollment.application_id).where(Enrollment.startup_id == w.startup.id)
        ):
            db.session.get(Application, application_id).pitch_deck_id = factories.make_deck().id
        db.session.add(PartnerProfile(startup_id=w.startup.id, share_deck=True))
        db.session.flush()
        w.deck_shared = True
    return f"/pilots/startups/{w.startup.id}/deck"


CASES = {
    "pilots.introduction": [
        Case(_intro("intro_forwarded"), FOLLOWERS_AND_UNIT),
        Case(
            _intro("intro_requested"),
            expect(404, anonymous=LOGIN, founder=200, mentor=200, staff=200, admin=200),
            note="on a unit of its own: neither partner's",
        ),
        Case("/pilots/introductions/999999", expect(404, anonymous=LOGIN)),
    ],
    # Staff forward it; admin after them meets a forwarded request (409).
    "pilots.forward_introduction": [
        Case(
            _intro("intro_requested", "forward"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
        ),
    ],
    # The unit answers (the startup asked): the founder and mentor may not (403); staff decline
    # it, then admin and the partner meet a declined introduction (409).
    "pilots.decline_introduction": [
        Case(
            _intro("intro_forwarded", "decline"),
            expect(
                404,
                anonymous=LOGIN,
                founder=403,
                mentor=403,
                staff=302,
                admin=409,
                partner=409,
            ),
            method="POST",
            data={"decline-reason": "Matrix: not this quarter"},
        ),
        Case(
            _intro("intro_forwarded", "decline"),
            expect(
                404,
                anonymous=LOGIN,
                founder=403,
                mentor=403,
                staff=422,
                admin=422,
                partner=422,
            ),
            method="POST",
            data={},
            note="no reason: the page again, the message beside the field",
        ),
    ],
    "pilots.accept_introduction": [
        Case(
            _intro("intro_forwarded", "accept"),
            expect(
                404,
                anonymous=LOGIN,
                founder=403,
                mentor=403,
                staff=302,
                admin=409,
                partner=409,
            ),
            method="POST",
            data={"accept-note": "Matrix"},
        ),
    ],
    # The startup asked: its founder withdraws it, the mentor and staff then meet it withdrawn.
    "pilots.withdraw_introduction": [
        Case(
            _intro("intro_requested", "withdraw"),
            expect(404, anonymous=LOGIN, founder=302, mentor=409, staff=409, admin=409),
            method="POST",
            data={"withdraw-reason": ""},
        ),
    ],
    # world.other_unit has no request with the startup: the founder's is made, then every
    # other asker meets it open (409, beside the unit); the partner asks for world.unit, which
    # has world.intro_forwarded open (409).
    "pilots.ask_introduction": [
        Case(_startup("/introductions/new"), ASKERS),
        Case(
            _startup("/introductions/new"),
            expect(409, anonymous=LOGIN, founder=302, other_founder=404, other_mentor=404),
            method="POST",
            data=lambda w: {"business_unit": w.other_unit.id, "reason": "Matrix: fraud"},
        ),
        Case(
            _startup("/introductions/new"),
            expect(422, anonymous=LOGIN, other_founder=404, other_mentor=404),
            method="POST",
            data={},
            note="no unit, no reason: the form again",
        ),
        Case("/pilots/startups/999999/introductions/new", expect(404, anonymous=LOGIN)),
    ],
    "pilots.edit_profile": [
        Case(_startup("/profile"), PROFILE_EDITORS),
        Case(
            _startup("/profile"),
            PROFILE_EDITORS | {k: 302 for k in ("founder", "staff", "admin")},
            method="POST",
            data={"one_liner": "Matrix: fraud, seen early", "share_deck": "y"},
        ),
        Case(
            _startup("/profile"),
            PROFILE_EDITORS | {k: 422 for k in ("founder", "staff", "admin")},
            method="POST",
            data={"one_liner": "x" * 161},
            note="a one-liner too long",
        ),
    ],
    "pilots.startups": [
        Case(
            "/pilots/startups",
            expect(403, anonymous=LOGIN, staff=200, admin=200, partner=200, other_partner=200),
        ),
        Case(
            "/pilots/startups?q=%25&sector=<b>&stage=mega&page=-2",
            expect(403, anonymous=LOGIN, staff=200, admin=200, partner=200, other_partner=200),
            note="junk filters are ignored",
        ),
    ],
    "pilots.startup_profile": [
        Case(_startup(), PROFILE_READERS),
        Case("/pilots/startups/999999", expect(404, anonymous=LOGIN, mentor=403, other_mentor=403)),
    ],
    "pilots.startup_deck": [
        Case(_shared_deck, PROFILE_READERS),
        Case(
            _startup("/deck"),
            expect(404, anonymous=LOGIN, mentor=403, other_mentor=403),
            note="not shared: no deck for anyone",
        ),
    ],
}
