"""Introductions: who may ask that a startup and a business unit meet, who forwards and who
answers; one open request per startup and unit. Called through `services`."""

from __future__ import annotations

from accelerator.applications.models import Startup
from accelerator.applications.policies import is_founder_of
from accelerator.auth.models import Role, User
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock
from accelerator.core.permissions import require_staff
from accelerator.core.types import utcnow
from accelerator.core.unique import add_unique
from accelerator.extensions import db
from accelerator.mentoring.queries import mentored_startup_ids
from accelerator.pilots import notify, queries
from accelerator.pilots.fields import (
    typed_text,
)
from accelerator.pilots.models import (
    BusinessUnit,
    Introduction,
    IntroductionStatus,
    PilotStatus,
    Side,
)

IS = IntroductionStatus
PS = PilotStatus


# --- Introductions ---------------------------------------------------------------------------


def asking_side(actor: User, startup: Startup, unit: BusinessUnit) -> Side | None:
    """Which side `actor` asks for, or None when they may not ask this introduction."""
    if actor.is_staff or is_founder_of(actor, startup.id):
        return Side.STARTUP
    if actor.role == Role.MENTOR and startup.id in mentored_startup_ids(actor):
        return Side.STARTUP
    if actor.role == Role.PARTNER and queries.partner_unit_id(actor) == unit.id:
        return Side.PARTNER
    return None


def ask_introduction(
    *, startup: Startup, unit: BusinessUnit, reason: str, actor: User
) -> Introduction:
    """Ask that `startup` and `unit` meet, saying why. Staff's own request is forwarded at
    once; one open request per startup and unit."""
    side = asking_side(actor, startup, unit)
    if side is None:
        raise NotAllowed(_("You cannot ask for this introduction."))
    why = typed_text(reason, field="reason", required=_("Say why they should meet."))
    cohort_id = queries.introduction_cohort_id(startup.id, unit.program_id)
    if cohort_id is None:
        raise InvalidState(
            _("%(startup)s is not in a cohort of this program yet.", startup=startup.name),
            field="business_unit",
        )
    now = utcnow()
    staff_forwards = actor.is_staff
    introduction = Introduction(
        startup_id=startup.id,
        business_unit_id=unit.id,
        cohort_id=cohort_id,
        asked_by_side=side,
        asked_by_id=actor.id,
        reason=why,
        status=IS.FORWARDED if staff_forwards else IS.REQUESTED,
        forwarded_at=now if staff_forwards else None,
        created_at=now,
    )
    if not add_unique(introduction):
        raise Conflict(
            _(
                "%(startup)s and %(unit)s already have an open request; answer or withdraw it "
                "first.",
                startup=startup.name,
                unit=unit.name,
            ),
            field="business_unit",
        )
    audit.record(
        "introduction.requested",
        introduction,
        actor=actor,
        startup=startup.id,
        data={**_intro_data(introduction, startup, unit), "reason": why, "side": side.value},
    )
    notify.introduction(
        "forwarded" if staff_forwards else "requested", introduction, startup, unit, actor=actor
    )
    return introduction


def _intro_data(introduction: Introduction, startup: Startup, unit: BusinessUnit) -> dict:
    return {"startup": startup.name, "unit": unit.name, "unit_id": unit.id}


def _move(
    introduction: Introduction,
    target: IntroductionStatus,
    *,
    actor: User,
    answer_note: str | None = None,
    **data,
) -> None:
    """The one way an introduction moves: its row locked, the move checked on the status (409
    with the reason), the answer recorded, one audit event and the mail of the people told."""
    introduction = lock(Introduction, introduction.id)
    introduction.status.check_move(target)
    startup = db.session.get(Startup, introduction.startup_id)
    unit = db.session.get(BusinessUnit, introduction.business_unit_id)
    introduction.status = target
    if target == IS.FORWARDED:
        introduction.forwarded_at = utcnow()
    else:
        introduction.answered_at = utcnow()
        introduction.answered_by_id = actor.id
        introduction.answer_note = answer_note or None
    audit.record(
        f"introduction.{target.value}",
        introduction,
        actor=actor,
        startup=startup.id,
        data={**_intro_data(introduction, startup, unit), **data},
    )
    notify.introduction(target.value, introduction, startup, unit, actor=actor)


def forward_introduction(introduction: Introduction, *, actor: User) -> None:
    """Staff pass a request to the side that answers it."""
    require_staff(actor, _("Only program staff can forward an introduction."))
    _move(introduction, IS.FORWARDED, actor=actor)


def can_answer(actor: User, introduction: Introduction) -> bool:
    """Whether `actor` speaks for the side that accepts or declines (staff may record it)."""
    if actor.is_staff:
        return True
    if introduction.answering_side == Side.PARTNER:
        return (
            actor.role == Role.PARTNER
            and queries.partner_unit_id(actor) == introduction.business_unit_id
        )
    return is_founder_of(actor, introduction.startup_id)


def decline_introduction(introduction: Introduction, *, reason: str, actor: User) -> None:
    """Staff decline a request, or the answering side declines a forwarded one; with a reason."""
    why = typed_text(reason, field="reason", required=_("Say why it is declined."))
    if introduction.status == IS.REQUESTED:
        require_staff(actor, _("Program staff decide whether to forward this request first."))
    elif not can_answer(actor, introduction):
        raise NotAllowed(_("Only the side asked can decline this introduction."))
    _move(introduction, IS.DECLINED, actor=actor, answer_note=why, reason=why)


def accept_introduction(introduction: Introduction, *, note: str = "", actor: User) -> None:
    """The side asked accepts a forwarded introduction: they will meet."""
    if not can_answer(actor, introduction):
        raise NotAllowed(_("Only the side asked can accept this introduction."))
    text = typed_text(note, field="note")
    _move(introduction, IS.ACCEPTED, actor=actor, answer_note=text, note=text)


def withdraw_introduction(introduction: Introduction, *, reason: str, actor: User) -> None:
    """The asking side (or staff) withdraws an open request."""
    asking = asking_side_of(actor, introduction)
    if not (actor.is_staff or asking == introduction.asked_by_side):
        raise NotAllowed(_("Only the side that asked can withdraw this request."))
    why = typed_text(reason, field="reason")
    _move(introduction, IS.WITHDRAWN, actor=actor, answer_note=why, reason=why)


def asking_side_of(actor: User, introduction: Introduction) -> Side | None:
    """The side `actor` belongs to for this introduction's startup and unit, if any."""
    if is_founder_of(actor, introduction.startup_id):
        return Side.STARTUP
    if actor.role == Role.MENTOR and introduction.startup_id in mentored_startup_ids(actor):
        return Side.STARTUP
    if (
        actor.role == Role.PARTNER
        and queries.partner_unit_id(actor) == introduction.business_unit_id
    ):
        return Side.PARTNER
    return None
