"""Startup profiles and their founders: create, edit, invite co-founders, join."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accelerator.applications.fields import PROFILE_KEYS, REQUIRED_PROFILE_KEYS
from accelerator.applications.models import (
    Stage,
    Startup,
    StartupInvitation,
    StartupMember,
    startup_needs,
)
from accelerator.applications.queries import forget_membership, founder_startup_id
from accelerator.auth.models import Role, User
from accelerator.core import audit
from accelerator.core.errors import Conflict, NotAllowed, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.mail import queue_mail
from accelerator.core.types import utcnow
from accelerator.core.urls import external_url
from accelerator.extensions import db
from accelerator.programs.models import Enrollment, ExpertiseTag
from accelerator.programs.services import chosen_tags

#: The profile's columns (the needs are tags beside them), from the one declaration.
PROFILE_FIELDS = PROFILE_KEYS
#: What a profile must hold before its startup can submit an application.
REQUIRED_PROFILE_FIELDS = REQUIRED_PROFILE_KEYS


def startup_of(user) -> Startup | None:
    """The startup this founder belongs to, or None."""
    startup_id = founder_startup_id(user)
    return db.session.get(Startup, startup_id) if startup_id is not None else None


def load_startup(startup_id: int) -> Startup | None:
    """A startup with its needs and its founders (users) loaded."""
    return db.session.scalar(
        select(Startup)
        .where(Startup.id == startup_id)
        .options(
            selectinload(Startup.needs),
            selectinload(Startup.members).selectinload(StartupMember.user),
        )
        .execution_options(populate_existing=True)
    )


def needs_of(startup: Startup) -> list[str]:
    """The names of the expertise a startup needs (from its loaded needs, else one query)."""
    if "needs" in startup.__dict__:
        return [tag.name for tag in startup.needs]
    return list(
        db.session.scalars(
            select(ExpertiseTag.name)
            .join(startup_needs, startup_needs.c.tag_id == ExpertiseTag.id)
            .where(startup_needs.c.startup_id == startup.id)
            .order_by(ExpertiseTag.name)
        )
    )


def enrolled_cohort_ids(user) -> frozenset[int]:
    """The cohorts this founder's startup is enrolled in (none for anyone else)."""
    startup_id = founder_startup_id(user) if getattr(user, "is_authenticated", False) else None
    if startup_id is None:
        return frozenset()
    return frozenset(
        db.session.scalars(select(Enrollment.cohort_id).where(Enrollment.startup_id == startup_id))
    )


def _apply_profile(startup: Startup, values: dict) -> list[str]:
    if "name" in values:
        name = (values.get("name") or "").strip()
        if not name:
            raise ValidationFailed(_("Give your startup's name."), field="name")
        values = {**values, "name": name}
    if values.get("stage") is not None:
        values["stage"] = Stage(values["stage"])
    changed = []
    for key in PROFILE_FIELDS:
        if key in values and getattr(startup, key) != values[key]:
            setattr(startup, key, values[key])
            changed.append(key)
    if "needs" in values:
        tags = chosen_tags(values["needs"], field="needs", message=_("Choose needs from the list."))
        if {t.id for t in tags} != {t.id for t in startup.needs}:
            startup.needs = tags
            changed.append("needs")
    return changed


def create_startup(*, actor: User, **values) -> Startup:
    """A founder creates their startup's profile and becomes its first founder."""
    if actor.role != Role.FOUNDER:
        raise NotAllowed(_("Only founders create a startup profile."))
    if founder_startup_id(actor) is not None:
        raise Conflict(_("You already belong to a startup."))
    startup = Startup(name="", description="", source="web")
    values = {"name": "", **values}
    startup.needs = []
    _apply_profile(startup, values)
    db.session.add(startup)
    db.session.flush()
    db.session.add(StartupMember(startup_id=startup.id, user_id=actor.id))
    db.session.flush()
    forget_membership(actor)
    audit.record("startup.created", startup, actor=actor, data={"name": startup.name})
    db.session.flush()
    return startup


def update_startup(startup: Startup, *, actor: User, **values) -> list[str]:
    """A founder edits the profile (needs must be loaded); returns the changed fields."""
    if founder_startup_id(actor) != startup.id:
        raise NotAllowed(_("Only the startup's founders can edit its profile."))
    changed = _apply_profile(startup, values)
    if changed:
        audit.record("startup.updated", startup, actor=actor, data={"fields": changed})
        db.session.flush()
    return changed


def save_profile(startup: Startup | None, *, actor: User, **values) -> Startup:
    """The founder's profile form: create the startup's profile, or edit it."""
    if startup is None:
        return create_startup(actor=actor, **values)
    update_startup(startup, actor=actor, **values)
    return startup


def invite_cofounder(startup: Startup, *, email: str, actor: User) -> tuple[StartupInvitation, str]:
    """Mail a co-founder a single-use link to join the startup; returns it and the clear token."""
    if founder_startup_id(actor) != startup.id:
        raise NotAllowed(_("Only the startup's founders can invite co-founders."))
    email = email.strip().lower()
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None and founder_startup_id(existing) is not None:
        message = (
            _("%(email)s is already a founder of this startup.", email=email)
            if founder_startup_id(existing) == startup.id
            else _("%(email)s already belongs to another startup.", email=email)
        )
        raise Conflict(message, field="email")
    if existing is not None and existing.role != Role.FOUNDER:
        raise Conflict(_("%(email)s is not a founder account.", email=email), field="email")
    invitation, token = StartupInvitation.issue(
        startup_id=startup.id, email=email, invited_by=actor
    )
    db.session.flush()
    audit.record("startup.cofounder_invited", startup, actor=actor, data={"email": email})
    queue_mail(
        email,
        _l("%(name)s invites you to join %(startup)s", name=actor.name, startup=startup.name),
        "application_cofounder_invitation.txt",
        startup=startup,
        inviter=actor,
        link=external_url("applications.join_startup", token=token),
        days=current_app.config["INVITATION_DAYS"],
    )
    db.session.flush()
    return invitation, token


def invitation_for_token(token: str) -> StartupInvitation | None:
    """The pending invitation for this token (with its startup), or None."""
    return StartupInvitation.pending(token, selectinload(StartupInvitation.startup))


def join_startup(token: str, *, user: User) -> StartupMember:
    """A signed-in founder accepts an invitation and becomes a founder of that startup."""
    invitation = StartupInvitation.usable(token, selectinload(StartupInvitation.startup))
    if user.role != Role.FOUNDER:
        raise NotAllowed(_("Only founder accounts can join a startup."))
    current = founder_startup_id(user)
    if current == invitation.startup_id:
        raise Conflict(_("You are already a founder of this startup."))
    if current is not None:
        raise Conflict(_("You already belong to another startup; a founder joins only one."))
    member = StartupMember(startup_id=invitation.startup_id, user_id=user.id)
    db.session.add(member)
    invitation.accept(user)
    db.session.flush()
    forget_membership(user)
    audit.record(
        "startup.founder_joined",
        invitation.startup,
        actor=user,
        data={"email": user.email, "invitation_id": invitation.id},
    )
    db.session.flush()
    return member


def revoke_cofounder_invitation(invitation: StartupInvitation, *, actor: User) -> None:
    if founder_startup_id(actor) != invitation.startup_id:
        raise NotAllowed(_("Only the startup's founders can revoke its invitations."))
    invitation.revoke()
    audit.record(
        "startup.invitation_revoked", invitation, actor=actor, data={"email": invitation.email}
    )
    db.session.flush()


def pending_invitations(startup: Startup) -> list[StartupInvitation]:
    rows = db.session.scalars(
        select(StartupInvitation)
        .where(
            StartupInvitation.startup_id == startup.id,
            StartupInvitation.accepted_at.is_(None),
            StartupInvitation.revoked_at.is_(None),
            StartupInvitation.expires_at > utcnow(),
        )
        .order_by(StartupInvitation.created_at.desc())
    )
    return list(rows)


def missing_profile_fields(startup: Startup) -> list[str]:
    return [
        key
        for key in REQUIRED_PROFILE_FIELDS
        if getattr(startup, key) in (None, "")
        or (isinstance(getattr(startup, key), str) and not getattr(startup, key).strip())
    ]
