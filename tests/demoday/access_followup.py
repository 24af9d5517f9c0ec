"""Access expectations for the follow-up of demo day: the door list and check-in, the guest's
interest page (by link), the founders' page, the staff list of asks, the report.

build() makes world.demo_day on world.startup's cohort if no earlier part did; the follow-up
needs a demo day that has started (check-in from the event's day, interest from its start),
world.followup_day: world.demo_day when it has started, else one of its own on another cohort
with a slot for world.startup. On it: world.door_guest (coming), world.arrived_guest (checked
in), world.fan (a guest with a link, who asked for world.startup), world.fan_interest. A guest
of a demo day still to come, world.early_token, meets 409 on the interest page.

The roles act in the order of ROLES on one world: staff undo the check-in and record the
introduction first, admin after them meets an undone check-in and a recorded introduction (409).
"""

from __future__ import annotations

from datetime import timedelta

from tests.access import LOGIN, Case, expect, staff_only

#: Any visitor holding the link (no account needed).
LINK = expect(200)
#: Founders only, each seeing their own startup's.
FOUNDERS = expect(403, anonymous=LOGIN, founder=200, other_founder=200)


def build(world) -> None:
    from sqlalchemy import select

    from accelerator.core.types import utcnow
    from accelerator.demoday.models import DemoDay, Interest, Rsvp, Slot
    from accelerator.extensions import db
    from accelerator.programs.models import Cohort, Enrollment
    from tests import factories

    now = utcnow().replace(microsecond=0)
    try:
        startup = world.startup
    except AttributeError:
        startup = world.startup = factories.make_startup(founders=[world.users["founder"]])
    try:
        demo_day = world.demo_day
    except AttributeError:
        cohort_id = db.session.scalar(
            select(Enrollment.cohort_id).where(Enrollment.startup_id == startup.id).limit(1)
        )
        if cohort_id is None:
            cohort_id = factories.make_enrollment(startup=startup).cohort_id
        demo_day = db.session.scalar(select(DemoDay).where(DemoDay.cohort_id == cohort_id))
        if demo_day is None:
            demo_day = factories.make_demo_day(
                db.session.get(Cohort, cohort_id), starts_at=now - timedelta(hours=2)
            )
        world.demo_day = demo_day
    if demo_day.starts_at <= now:
        day = demo_day
    else:
        day = factories.make_demo_day(starts_at=now - timedelta(hours=2))
    if (
        db.session.scalar(
            select(Slot.id).where(Slot.demo_day_id == day.id, Slot.startup_id == startup.id)
        )
        is None
    ):
        db.session.add(Slot(demo_day_id=day.id, position=99, startup_id=startup.id))
        db.session.flush()
    world.followup_day = day
    world.door_guest, _token = factories.make_guest(day, rsvp=Rsvp.YES, name="Zoé Porte")
    world.arrived_guest, _token = factories.make_guest(day, rsvp=Rsvp.YES, name="Anaïs Arrivée")
    world.arrived_guest.checked_in_at = now
    world.fan, world.fan_token = factories.make_guest(day, rsvp=Rsvp.YES, name="Fanny Fan")
    world.fan_interest = Interest(guest_id=world.fan.id, startup_id=startup.id, note="Hello")
    db.session.add(world.fan_interest)
    early_day = factories.make_demo_day(starts_at=now + timedelta(days=5))
    _early, world.early_token = factories.make_guest(early_day, rsvp=Rsvp.YES)
    db.session.flush()


def _day(path: str = ""):
    return lambda w: f"/demo-day/{w.followup_day.id}{path}"


CASES = {
    "demoday.door_list": [
        Case(_day("/door"), staff_only()),
        Case("/demo-day/999999/door", staff_only(404)),
    ],
    "demoday.door_check_in": [
        Case(_day("/door/check-in?q=zoe"), staff_only()),
        Case("/demo-day/999999/door/check-in", staff_only(404)),
    ],
    "demoday.guest_arrived": [
        Case(
            lambda w: f"/demo-day/{w.followup_day.id}/door/guests/{w.door_guest.id}/arrived",
            staff_only(302),
            method="POST",
            note="idempotent: admin's second tap is told when the guest arrived",
        ),
    ],
    "demoday.undo_arrival": [
        Case(
            lambda w: f"/demo-day/{w.followup_day.id}/door/guests/{w.arrived_guest.id}/undo",
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
        ),
    ],
    "demoday.guest_interest": [
        Case(lambda w: f"/demo-day/rsvp/{w.fan_token}/interest", LINK),
        Case(lambda w: f"/demo-day/rsvp/{w.early_token}/interest", expect(409), note="too early"),
        Case("/demo-day/rsvp/not-a-real-token/interest", expect(404)),
        Case(
            lambda w: f"/demo-day/rsvp/{w.fan_token}/interest",
            expect(302),
            method="POST",
            data=lambda w: {f"want_{w.startup.id}": "1", f"note_{w.startup.id}": "Hello"},
        ),
    ],
    "demoday.founder_interest": [Case("/demo-day/interest", FOUNDERS)],
    "demoday.interest_list": [
        Case(_day("/interest"), staff_only()),
        Case("/demo-day/999999/interest", staff_only(404)),
    ],
    "demoday.record_introduction": [
        Case(
            lambda w: f"/demo-day/{w.followup_day.id}/interest/{w.fan_interest.id}/introduce",
            expect(403, anonymous=LOGIN, staff=302, admin=409),
            method="POST",
            data={"note": "Met over coffee"},
        ),
    ],
    "demoday.report_page": [
        Case(_day("/report"), staff_only()),
        Case("/demo-day/999999/report", staff_only(404)),
    ],
    "demoday.report_download": [
        Case(_day("/report/download?format=csv"), staff_only()),
        Case(_day("/report/download?format=xlsx"), staff_only()),
        Case(_day("/report/download?format=pdf"), staff_only(422)),
    ],
}
