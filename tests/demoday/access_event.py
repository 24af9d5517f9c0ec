"""Access expectations for the event part of demo day: the staff list and hub, planning and
editing, the running order, publication, a startup's materials and deck, the public page.

build() gives world.startup's cohort a published demo day world.demo_day (its slots in
enrollment order, world.demo_day_slot the startup's, with a deck; a break world.demo_day_break),
an unpublished one world.draft_demo_day on another cohort, and a cohort with none
(world.cohort_without_demo_day). Staff and admin manage; the startup's founder edits its
materials; the other founder does not know that slot (404); mentors and partners never come
here (403). The public page opens to everyone once published, else 404 except for staff.
The roles act in the order of ROLES on one world: where staff's act changes it (published,
break removed), admin after them meets the change.
"""

from __future__ import annotations

from tests.access import LOGIN, Case, expect, public, staff_only

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

#: A startup's materials: staff, admin and the startup's founder.
MATERIALS = expect(403, anonymous=LOGIN, staff=200, admin=200, founder=200, other_founder=404)


def build(world) -> None:
    from sqlalchemy import select

    from accelerator.core.files import store_bytes
    from accelerator.demoday.models import Slot
    from accelerator.extensions import db
    from accelerator.programs.models import Cohort, Enrollment
    from tests import factories

    try:
        startup = world.startup
    except AttributeError:
        startup = factories.make_startup(founders=[world.users["founder"]])
        world.startup = startup
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.startup_id == startup.id))
    if enrollment is None:
        enrollment = factories.make_enrollment(startup=startup)
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    try:
        demo_day = world.demo_day
    except AttributeError:
        demo_day = factories.make_demo_day(cohort, published=True)
        world.demo_day = demo_day
    world.demo_day_slot = db.session.scalar(
        select(Slot).where(Slot.demo_day_id == demo_day.id, Slot.startup_id == startup.id)
    )
    deck = store_bytes(PDF, filename="deck.pdf", content_type="application/pdf")
    world.demo_day_slot.deck_file_id = deck.id
    world.demo_day_slot.pitch = "Société Éclair makes networks smarter."
    last = max(
        s.position for s in db.session.scalars(select(Slot).where(Slot.demo_day_id == demo_day.id))
    )
    world.demo_day_break = Slot(
        demo_day_id=demo_day.id, position=last + 1, break_minutes=15, break_title="Coffee"
    )
    db.session.add(world.demo_day_break)
    db.session.flush()
    world.demo_day_break_id = world.demo_day_break.id  # still known once staff removed it
    world.draft_demo_day = factories.make_demo_day(published=False)
    world.cohort_without_demo_day = factories.make_cohort(phase="running")
    db.session.flush()


def _dd(path: str = "", attr: str = "demo_day"):
    return lambda w: f"/demo-day/{getattr(w, attr).id}{path}"


def _fields(w) -> dict:
    return {
        "starts_at": "2027-03-04T14:30",
        "venue": "Orange Gardens, Châtillon",
        "online_url": "https://live.example.org/demo",
        "description": "Welcome.",
        "pitch_minutes": "5",
        "changeover_minutes": "2",
        "capacity": "150",
        "plus_ones_max": "1",
    }


CASES = {
    "demoday.index": [
        Case("/demo-day/", staff_only(200)),
        Case("/demo-day/?page=junk", staff_only(200)),
    ],
    "demoday.new": [
        Case(lambda w: f"/demo-day/cohorts/{w.cohort_without_demo_day.id}/new", staff_only(200)),
        Case(
            lambda w: f"/demo-day/cohorts/{w.demo_day.cohort_id}/new",
            staff_only(302),
            note="a cohort with a demo day goes to it",
        ),
        Case("/demo-day/cohorts/999999/new", staff_only(404)),
        # Staff plan it; for admin after them the cohort has its demo day (302 to it).
        Case(
            lambda w: f"/demo-day/cohorts/{w.cohort_without_demo_day.id}/new",
            staff_only(302),
            method="POST",
            data=_fields,
        ),
        Case(
            lambda w: f"/demo-day/cohorts/{w.cohort_without_demo_day.id}/new",
            staff_only(422),
            method="POST",
            data={"starts_at": "", "pitch_minutes": "0"},
        ),
    ],
    "demoday.edit": [
        Case(_dd("/edit"), staff_only(200)),
        Case("/demo-day/999999/edit", staff_only(404)),
        Case(_dd("/edit"), staff_only(302), method="POST", data=_fields),
        Case(
            _dd("/edit"),
            staff_only(422),
            method="POST",
            data=lambda w: {**_fields(w), "capacity": "0"},
        ),
    ],
    "demoday.manage": [
        Case(_dd("/manage"), staff_only(200)),
        Case(_dd("/manage", "draft_demo_day"), staff_only(200)),
        Case("/demo-day/999999/manage", staff_only(404)),
    ],
    "demoday.move_slot": [
        Case(lambda w: f"/demo-day/slots/{w.demo_day_break.id}/up", staff_only(302), method="POST"),
        Case(
            lambda w: f"/demo-day/slots/{w.demo_day_slot.id}/down", staff_only(302), method="POST"
        ),
        Case("/demo-day/slots/999999/up", staff_only(404), method="POST"),
    ],
    "demoday.add_break": [
        Case(
            _dd("/breaks"),
            staff_only(302),
            method="POST",
            data={"title": "Lunch", "minutes": "45", "position": "0"},
        ),
        Case(_dd("/breaks"), staff_only(422), method="POST", data={"title": "", "minutes": "0"}),
    ],
    # Staff remove the break; for admin after them it is gone (404).
    "demoday.remove_break": [
        Case(
            lambda w: f"/demo-day/breaks/{w.demo_day_break_id}/remove",
            expect(403, anonymous=LOGIN, staff=302, admin=404),
            method="POST",
        ),
        Case(
            lambda w: f"/demo-day/breaks/{w.demo_day_slot.id}/remove",
            staff_only(409),
            method="POST",
            note="a startup's slot is not a break",
        ),
    ],
    "demoday.materials": [
        Case(lambda w: f"/demo-day/slots/{w.demo_day_slot.id}/materials", MATERIALS),
        Case(
            lambda w: f"/demo-day/slots/{w.demo_day_break.id}/materials",
            expect(403, anonymous=LOGIN, staff=404, admin=404, founder=404, other_founder=404),
            note="a break has no materials",
        ),
        Case(
            lambda w: f"/demo-day/slots/{w.demo_day_slot.id}/materials",
            expect(403, anonymous=LOGIN, staff=302, admin=302, founder=302, other_founder=404),
            method="POST",
            data={"pitch": "We make networks smarter, and Éclair faster."},
        ),
        Case(
            lambda w: f"/demo-day/slots/{w.demo_day_slot.id}/materials",
            expect(403, anonymous=LOGIN, staff=422, admin=422, founder=422, other_founder=404),
            method="POST",
            data={"pitch": "x" * 1300},
        ),
    ],
    "demoday.deck": [
        Case(lambda w: f"/demo-day/slots/{w.demo_day_slot.id}/deck", MATERIALS),
        Case(
            "/demo-day/slots/999999/deck",
            expect(403, anonymous=LOGIN, staff=404, admin=404, founder=404, other_founder=404),
        ),
    ],
    "demoday.publish": [
        Case(
            _dd("/publish", "draft_demo_day"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
        ),
        Case("/demo-day/999999/publish", staff_only(404), method="POST"),
    ],
    "demoday.unpublish": [
        Case(
            _dd("/unpublish"),
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
        ),
    ],
    "demoday.public": [
        Case(_dd(), public(200)),
        Case(_dd("", "draft_demo_day"), expect(404, staff=200, admin=200)),
        Case("/demo-day/999999", public(404)),
    ],
}
