"""Business units, their partners, and what a startup shows them (profile and deck): their
rules, called through `services`."""

from __future__ import annotations

from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.applications.policies import is_founder_of
from accelerator.auth import services as auth_services
from accelerator.auth.models import Invitation, Role, User
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock
from accelerator.core.permissions import require_staff
from accelerator.core.text import name_key
from accelerator.core.unique import add_unique
from accelerator.extensions import db
from accelerator.pilots.fields import (
    UnitFields,
    typed_text,
)
from accelerator.pilots.models import (
    BusinessUnit,
    BusinessUnitPartner,
    IntroductionStatus,
    PartnerInvitation,
    PartnerProfile,
    PilotStatus,
)
from accelerator.programs.models import Program

IS = IntroductionStatus
PS = PilotStatus


# --- Business units and partners -----------------------------------------------------------


def _checked_unit(program_id: int, fields: UnitFields, *, unit_id: int | None = None) -> dict:
    name = typed_text(fields.name, field="name", limit=120, required=_("Give the unit a name."))
    country = (fields.country or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise ValidationFailed(_("Choose the unit's country."), field="country")
    sponsor = typed_text(
        fields.sponsor_name,
        field="sponsor_name",
        limit=120,
        required=_("Name the unit's sponsor executive."),
    )
    lead_id = fields.staff_lead_id or None
    if lead_id is not None:
        lead = db.session.get(User, lead_id)
        if lead is None or not lead.is_staff or not lead.active:
            raise ValidationFailed(_("The staff lead must be program staff."), field="staff_lead")
    twin = db.session.scalar(
        select(BusinessUnit.id).where(
            BusinessUnit.program_id == program_id,
            BusinessUnit.name_key == name_key(name),
            BusinessUnit.id != (unit_id or 0),
        )
    )
    if twin is not None:
        raise Conflict(_("This program already has a unit of that name."), field="name")
    return {
        "name": name,
        "name_key": name_key(name),
        "country": country,
        "sponsor_name": sponsor,
        "sponsor_title": typed_text(fields.sponsor_title, field="sponsor_title", limit=120),
        "description": typed_text(fields.description, field="description"),
        "staff_lead_id": lead_id,
    }


def create_unit(*, program: Program, fields: UnitFields, actor: User) -> BusinessUnit:
    """Add a business unit to a program (staff)."""
    require_staff(actor)
    unit = BusinessUnit(program_id=program.id, **_checked_unit(program.id, fields))
    if not add_unique(unit):
        raise Conflict(_("This program already has a unit of that name."), field="name")
    audit.record("business_unit.created", unit, actor=actor, data={"name": unit.name})
    return unit


def update_unit(unit: BusinessUnit, *, fields: UnitFields, actor: User) -> list[str]:
    """Change a unit's details (staff); returns the names of the fields that changed."""
    require_staff(actor)
    unit = lock(BusinessUnit, unit.id)
    values = _checked_unit(unit.program_id, fields, unit_id=unit.id)
    changed = [k for k, v in values.items() if k != "name_key" and getattr(unit, k) != v]
    for key, value in values.items():
        setattr(unit, key, value)
    if changed:
        audit.record(
            "business_unit.updated",
            unit,
            actor=actor,
            data={"name": unit.name, "fields": changed},
        )
    return changed


def invite_partner(
    unit: BusinessUnit, *, email: str, name: str | None, actor: User
) -> tuple[Invitation, str]:
    """Invite a person of the unit as a partner; they join the unit when they accept."""
    require_staff(actor)
    invitation, token = auth_services.invite(email=email, role=Role.PARTNER, actor=actor, name=name)
    db.session.add(PartnerInvitation(invitation_id=invitation.id, business_unit_id=unit.id))
    audit.record(
        "business_unit.partner_invited",
        unit,
        actor=actor,
        data={"name": unit.name, "email": invitation.email},
    )
    return invitation, token


def add_partner(unit: BusinessUnit, user: User, *, actor: User | None) -> BusinessUnitPartner:
    """Make a partner user a member of `unit` (staff, or their accepted invitation)."""
    if actor is not None and actor.id != user.id:
        require_staff(actor)
    if user.role != Role.PARTNER:
        raise ValidationFailed(_("Only a partner can belong to a business unit."), field="email")
    membership = BusinessUnitPartner(user_id=user.id, business_unit_id=unit.id)
    if not add_unique(membership):
        raise Conflict(_("%(name)s already belongs to a business unit.", name=user.name))
    audit.record(
        "business_unit.partner_added",
        unit,
        actor=actor,
        data={"name": unit.name, "partner": user.name, "partner_id": user.id},
    )
    return membership


def remove_partner(unit: BusinessUnit, user: User, *, actor: User) -> None:
    """Take a partner out of their unit (staff); pilots they own keep their owner's name."""
    require_staff(actor)
    membership = db.session.get(BusinessUnitPartner, user.id)
    if membership is None or membership.business_unit_id != unit.id:
        raise InvalidState(_("%(name)s is not a partner of this unit.", name=user.name))
    audit.record_removal(
        "business_unit.partner_removed",
        membership,
        actor=actor,
        data={"name": unit.name, "partner": user.name, "partner_id": user.id},
    )


def join_invited_unit(invitation: Invitation, user: User) -> None:
    """An invited partner accepted: they join the unit staff invited them to."""
    link = db.session.get(PartnerInvitation, invitation.id)
    if link is None or user.role != Role.PARTNER:
        return
    unit = db.session.get(BusinessUnit, link.business_unit_id)
    if unit is not None:
        add_partner(unit, user, actor=None)


# --- What a startup shows business units -----------------------------------------------------


def update_profile(startup: Startup, *, one_liner: str, share_deck: bool, actor: User) -> None:
    """The founders (or staff) set the one-liner partners read and whether they see the deck."""
    if not (actor.is_staff or is_founder_of(actor, startup.id)):
        raise NotAllowed(_("Only the startup's founders can change what partners see."))
    line = typed_text(one_liner, field="one_liner", limit=160)
    profile = db.session.get(PartnerProfile, startup.id)
    if profile is None:
        profile = PartnerProfile(startup_id=startup.id)
        db.session.add(profile)
    profile.one_liner, profile.share_deck = line, bool(share_deck)
    audit.record(
        "startup.partner_profile_changed",
        startup,
        actor=actor,
        data={"one_liner": line, "share_deck": bool(share_deck)},
    )
