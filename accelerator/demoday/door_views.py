"""The door of a demo day, for staff: the printable list of the guests coming, and the
check-in page used on a phone at the door (search, arrived, undo). Rules in `door`."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page
from accelerator.demoday import bp, door
from accelerator.demoday.models import DemoDay, Rsvp
from accelerator.extensions import db
from accelerator.programs.models import Cohort

#: The longest search text taken.
QUERY_MAX = 100


def _load(demo_day_id: int) -> tuple[DemoDay, Cohort]:
    demo_day = get_or_404(DemoDay, demo_day_id)
    return demo_day, db.session.get(Cohort, demo_day.cohort_id)


def _query() -> str:
    return (request.values.get("q") or "").strip()[:QUERY_MAX]


@bp.get("/<int:demo_day_id>/door")
@role_required(Role.STAFF)
def door_list(demo_day_id: int):
    """The door list to print: guests coming by name, firm, plus-ones, dietary, a check box."""
    demo_day, cohort = _load(demo_day_id)
    return render_template(
        "demoday/door/list.html", door=door.door_list(demo_day), cohort=cohort, rsvp=Rsvp
    )


@bp.get("/<int:demo_day_id>/door/check-in")
@role_required(Role.STAFF)
def door_check_in(demo_day_id: int):
    """The phone page at the door: search a guest, mark them arrived or undo (from the event's
    day; 409 on the door list before)."""
    demo_day, cohort = _load(demo_day_id)
    refusal_page(url_for("demoday.door_list", demo_day_id=demo_day.id))
    door.check_in_open(demo_day)
    query = _query()
    guests, matched = door.search(demo_day, query)
    return render_template(
        "demoday/door/check_in.html",
        demo_day=demo_day,
        cohort=cohort,
        query=query,
        guests=guests,
        matched=matched,
        counts=door.counts(demo_day),
        timezone=door.cohort_timezone(demo_day.cohort_id),
        form=ConfirmForm(),
        rsvp=Rsvp,
    )


def _back(demo_day: DemoDay):
    query = _query()
    return redirect(
        url_for("demoday.door_check_in", demo_day_id=demo_day.id, **({"q": query} if query else {}))
        + "#guests"
    )


@bp.post("/<int:demo_day_id>/door/guests/<int:guest_id>/arrived")
@role_required(Role.STAFF)
def guest_arrived(demo_day_id: int, guest_id: int):
    """Mark a guest arrived; a second tap says when they arrived."""
    demo_day, _cohort = _load(demo_day_id)
    refusal_page(url_for("demoday.door_list", demo_day_id=demo_day.id))
    guest, checked_in = door.check_in(demo_day, guest_id, actor=current_actor())
    db.session.commit()
    when = door.arrived_at_text(guest, demo_day)
    if checked_in:
        flash(_("%(name)s arrived (%(time)s).", name=guest.name, time=when), "success")
    else:
        flash(_("%(name)s already arrived at %(time)s.", name=guest.name, time=when), "info")
    return _back(demo_day)


@bp.post("/<int:demo_day_id>/door/guests/<int:guest_id>/undo")
@role_required(Role.STAFF)
def undo_arrival(demo_day_id: int, guest_id: int):
    """Undo a mistaken check-in."""
    demo_day, _cohort = _load(demo_day_id)
    refusal_page(url_for("demoday.door_check_in", demo_day_id=demo_day.id))
    guest = door.undo_check_in(demo_day, guest_id, actor=current_actor())
    db.session.commit()
    flash(_("Check-in of %(name)s undone.", name=guest.name), "success")
    return _back(demo_day)
