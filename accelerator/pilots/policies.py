"""Who may see and act on business units, introductions and pilots.

Staff see everything. A founder sees their own startup's introductions and pilots; a matched
mentor sees their startup's. A partner sees their own unit's records and the public profiles of
the startups of running and completed cohorts, nothing else.
"""

from __future__ import annotations

from accelerator.applications.policies import is_founder_of
from accelerator.core.permissions import Role, policy
from accelerator.mentoring.queries import mentored_startup_ids
from accelerator.pilots import queries, services
from accelerator.pilots.models import BusinessUnit, Introduction, Pilot


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "active", False))


def is_partner_of(user, business_unit_id: int | None) -> bool:
    return (
        _signed_in(user)
        and user.role == Role.PARTNER
        and business_unit_id is not None
        and queries.partner_unit_id(user) == business_unit_id
    )


def _follows_startup(user, startup_id: int) -> bool:
    """Staff, the startup's founders and its matched mentors."""
    if not _signed_in(user):
        return False
    if user.is_staff or is_founder_of(user, startup_id):
        return True
    return user.role == Role.MENTOR and startup_id in mentored_startup_ids(user)


@policy
def can_view_business_unit(user, unit: BusinessUnit) -> bool:
    """Staff, and the unit's own partners."""
    return _signed_in(user) and (user.is_staff or is_partner_of(user, unit.id))


@policy
def can_view_introduction(user, introduction: Introduction) -> bool:
    return _follows_startup(user, introduction.startup_id) or is_partner_of(
        user, introduction.business_unit_id
    )


@policy
def can_view_pilot(user, pilot: Pilot) -> bool:
    return _follows_startup(user, pilot.startup_id) or is_partner_of(user, pilot.business_unit_id)


@policy
def can_edit_pilot(user, pilot: Pilot) -> bool:
    return _signed_in(user) and services.can_edit_pilot(user, pilot)


@policy
def can_scope_pilot(user, introduction: Introduction) -> bool:
    """Staff and the partners of the introduction's unit scope its pilot."""
    return _signed_in(user) and (
        user.is_staff or is_partner_of(user, introduction.business_unit_id)
    )


@policy
def can_answer_introduction(user, introduction: Introduction) -> bool:
    """Whether the page shows accept/decline: forwarded, and the user speaks for the side
    asked (staff may record the answer)."""
    return (
        _signed_in(user)
        and introduction.status == "forwarded"
        and services.can_answer(user, introduction)
    )


@policy
def can_forward_introduction(user, introduction: Introduction) -> bool:
    return _signed_in(user) and user.is_staff and introduction.status == "requested"


@policy
def can_withdraw_introduction(user, introduction: Introduction) -> bool:
    if not _signed_in(user) or not introduction.is_open:
        return False
    return user.is_staff or services.asking_side_of(user, introduction) == (
        introduction.asked_by_side
    )


@policy
def can_share_kpis(user, pilot: Pilot) -> bool:
    return _signed_in(user) and is_founder_of(user, pilot.startup_id)


@policy
def can_view_partner_profile(user, startup) -> bool:
    """Staff; a partner when the startup is in a running or completed cohort; its founders."""
    if not _signed_in(user):
        return False
    if user.is_staff or is_founder_of(user, startup.id):
        return True
    return (
        user.role == Role.PARTNER
        and queries.partner_unit_id(user) is not None
        and queries.startup_visible_to_partners(startup.id)
    )
