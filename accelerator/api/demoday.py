"""/api/v1 demo days and their guests, for program staff (never a guest's personal link)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import select

from accelerator.api import paging
from accelerator.api.filters import Id, Moment, narrowed
from accelerator.api.queries import one
from accelerator.api.resources import resource_blueprint
from accelerator.core.errors import NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.demoday import policies
from accelerator.demoday.models import DemoDay, Guest, GuestKind, Rsvp
from accelerator.demoday.schemas import DemoDaySchema, GuestSchema

blp = resource_blueprint(
    "demoday",
    __name__,
    scope="demoday",
    label=_l("Demo days"),
    description="Demo days and their guest lists (program staff only).",
)


def _staff_only() -> None:
    """The pages' rule (demoday.policies.can_manage_guests): program staff."""
    if not policies.can_manage_guests(current_user, None):
        raise NotAllowed(_("Demo days and their guests are for program staff."))


class DemoDayArgs(paging.ListArgs):
    cohort_id = Id()
    starts_after = Moment(metadata={"description": "on or after (with offset)"})
    starts_before = Moment(metadata={"description": "before (with offset)"})


@blp.route("/demo-days")
@blp.arguments(DemoDayArgs, location="query")
@blp.response(200, paging.page_of(DemoDaySchema))
def list_demo_days(args):
    """Demo days: by cohort and start time."""
    _staff_only()
    statement = narrowed(
        select(DemoDay),
        args,
        equal={"cohort_id": DemoDay.cohort_id},
        since={"starts_after": DemoDay.starts_at},
        before={"starts_before": DemoDay.starts_at},
    )
    return paging.paginate(statement, DemoDay.id, args)


@blp.route("/demo-days/<int:demo_day_id>")
@blp.response(200, DemoDaySchema)
def get_demo_day(demo_day_id: int):
    """One demo day."""
    _staff_only()
    return one(select(DemoDay).where(DemoDay.id == demo_day_id))


class GuestArgs(paging.ListArgs):
    demo_day_id = Id()
    rsvp = fields.Enum(Rsvp, by_value=True, load_default=None)
    kind = fields.Enum(GuestKind, by_value=True, load_default=None)
    checked_in = fields.Boolean(load_default=None)


@blp.route("/guests")
@blp.arguments(GuestArgs, location="query")
@blp.response(200, paging.page_of(GuestSchema))
def list_guests(args):
    """Demo-day guests: by demo day, answer, kind and whether they came in."""
    _staff_only()
    statement = select(Guest)
    equal = {name: getattr(Guest, name) for name in ("demo_day_id", "rsvp", "kind")}
    statement = narrowed(statement, args, equal=equal)
    if args["checked_in"] is not None:
        came = Guest.checked_in_at.is_not(None)
        statement = statement.where(came if args["checked_in"] else ~came)
    return paging.paginate(statement, Guest.id, args)


@blp.route("/guests/<int:guest_id>")
@blp.response(200, GuestSchema)
def get_guest(guest_id: int):
    """One guest."""
    _staff_only()
    return one(select(Guest).where(Guest.id == guest_id))
