"""Access expectations for the guests' part of demo day: the staff pages (guest_views) and
the guest's pages by link (rsvp_views).

Staff (and admin) alone manage guests: anonymous users go to the sign-in page, every other
role is refused by role (403); a guest of another demo day, or a demo day that does not exist,
is not found (404). A personal link needs no account: every role, signed in or not, gets the
same answer. Acts that change what the next role meets use a fresh guest for each role.
"""

from __future__ import annotations

import itertools

from tests.access import LOGIN, Case, expect, public, staff_only

TAMPERED = "/demo-day/rsvp/not-a-real-token-00000000000000000000000000"
_emails = itertools.count()


def _not_found() -> dict[str, int]:
    return expect(403, anonymous=LOGIN, staff=404, admin=404)


def _guests(w, path: str = "") -> str:
    return f"/demo-day/{w.demo_day.id}/guests{path}"


def _guest(w, path: str = "") -> str:
    return _guests(w, f"/{w.guest.id}{path}")


def _fresh_guest(w, *, invited: bool):
    from accelerator.demoday.models import Rsvp
    from tests import factories

    guest, token = factories.make_guest(
        w.demo_day, rsvp=Rsvp.INVITED if invited else Rsvp.NOT_INVITED, name="Hélène Matrice"
    )
    return guest, token


def _fresh(path: str, *, invited: bool = True):
    def url(w) -> str:
        guest, _token = _fresh_guest(w, invited=invited)
        return _guests(w, f"/{guest.id}{path}")

    return url


def _link(w, path: str = "") -> str:
    return f"/demo-day/rsvp/{w.guest_token}{path}"


def _revoked_link(w, path: str = "") -> str:
    from accelerator.core.types import utcnow

    guest, token = _fresh_guest(w, invited=True)
    from accelerator.extensions import db

    guest.revoked_at = utcnow()
    db.session.flush()
    return f"/demo-day/rsvp/{token}{path}"


def _fields(_w=None) -> dict:
    return {
        "name": "Société Éclair Capital",
        "email": f"matrix{next(_emails)}@eclair.example.org",
        "firm": "Éclair",
        "kind": "investor",
        "locale": "fr",
    }


def _to_invite(w) -> dict:
    guest, _token = _fresh_guest(w, invited=False)
    return {"guest": [str(guest.id)]}


CASES = {
    "demoday.guests": [
        Case(_guests, staff_only(200)),
        Case(lambda w: _guests(w, "?answer=yes&kind=press&page=2"), staff_only(200)),
        Case("/demo-day/999999/guests", _not_found()),
    ],
    "demoday.guest_new": [
        Case(lambda w: _guests(w, "/new"), staff_only(200)),
        Case(lambda w: _guests(w, "/new"), staff_only(302), method="POST", data=_fields),
        Case(
            lambda w: _guests(w, "/new"),
            staff_only(422),
            method="POST",
            data={"name": "", "email": "nope"},
            note="errors beside the fields",
        ),
    ],
    "demoday.guest_edit": [
        Case(_guest, staff_only(200)),
        Case(lambda w: _guests(w, f"/{w.other_guest.id}"), _not_found(), note="another day's"),
        Case(_guest, staff_only(302), method="POST", data=_fields),
        Case(_guest, staff_only(422), method="POST", data={"name": "", "email": ""}),
    ],
    "demoday.guest_remove": [
        Case(_fresh("/remove"), staff_only(302), method="POST"),
        Case(lambda w: _guests(w, f"/{w.other_guest.id}/remove"), _not_found(), method="POST"),
    ],
    "demoday.guest_renew": [
        Case(lambda w: _guest(w, "/renew"), staff_only(302), method="POST"),
        Case(
            _fresh("/renew", invited=False),
            staff_only(409),
            method="POST",
            note="not invited yet",
        ),
    ],
    "demoday.guest_revoke": [
        Case(_fresh("/revoke"), staff_only(302), method="POST"),
        Case(
            lambda w: _guest(w, "/revoke"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
            note="the first revokes; the link is already revoked for admin",
        ),
    ],
    "demoday.guests_invite": [
        Case(lambda w: _guests(w, "/invite"), staff_only(302), method="POST", data=_to_invite),
    ],
    "demoday.guests_import": [
        Case(lambda w: _guests(w, "/import"), staff_only(200)),
        Case(lambda w: _guests(w, "/import"), staff_only(422), method="POST", data={}),
    ],
    "demoday.rsvp": [
        Case(_link, public(200)),
        Case(TAMPERED, public(404)),
        Case(_revoked_link, public(409)),
        Case(_link, public(302), method="POST", data={"answer": "maybe"}),
        Case(
            _link,
            public(422),
            method="POST",
            data={"answer": "yes", "plus_ones": "9"},
            note="over the cap: beside the field",
        ),
        Case(TAMPERED, public(404), method="POST", data={"answer": "yes"}),
        Case(_revoked_link, public(409), method="POST", data={"answer": "no"}),
    ],
    "demoday.rsvp_unsubscribe": [
        Case(lambda w: _link(w, "/unsubscribe"), public(200), note="a GET changes nothing"),
        Case(TAMPERED + "/unsubscribe", public(404)),
        Case(
            lambda w: _link(w, "/unsubscribe"),
            public(200),
            method="POST",
            data={"List-Unsubscribe": "One-Click"},
        ),
        Case(TAMPERED + "/unsubscribe", public(404), method="POST"),
    ],
}


def build(world) -> None:
    """world.demo_day (on the cohort of world.startup, unless an earlier part made it), a guest
    invited with a link (world.guest, world.guest_token) and a guest of another demo day."""
    from sqlalchemy import select

    from accelerator.demoday.models import DemoDay
    from accelerator.extensions import db
    from accelerator.programs.models import Cohort, Enrollment
    from tests import factories

    if getattr(world, "demo_day", None) is None:
        try:
            startup = world.startup
        except AttributeError:
            startup = factories.make_startup(founders=[world.users["founder"]])
            world.startup = startup
        enrollment = db.session.scalar(
            select(Enrollment).where(Enrollment.startup_id == startup.id)
        )
        if enrollment is None:
            enrollment = factories.make_enrollment(startup=startup)
        cohort = db.session.get(Cohort, enrollment.cohort_id)
        existing = db.session.scalar(select(DemoDay).where(DemoDay.cohort_id == cohort.id))
        world.demo_day = existing or factories.make_demo_day(cohort)
    world.guest, world.guest_token = factories.make_guest(
        world.demo_day, name="Société Éclair Capital"
    )
    world.other_guest, _token = factories.make_guest(factories.make_demo_day())
