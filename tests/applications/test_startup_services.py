"""Service rules of startup profiles, co-founder invitations and the policies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accelerator.applications import startups
from accelerator.applications.models import Stage, StartupMember
from accelerator.applications.policies import (
    can_edit_application,
    can_edit_startup,
    can_view_application,
    can_withdraw_application,
)
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.extensions import db
from tests import factories

PROFILE = {
    "name": "  Ondine Labs ",
    "website": "https://ondine.example.org",
    "country": "FR",
    "sector": "Telecom & networks",
    "stage": Stage.SEED,
    "founded_year": 2021,
    "team_size": 9,
    "description": "Predictive maintenance for fibre.",
}


def test_a_founder_creates_the_profile_and_becomes_its_founder(founder):
    tag = factories.make_tag("pricing")
    startup = startups.create_startup(actor=founder, needs=[tag.id], **PROFILE)
    assert startup.name == "Ondine Labs"
    assert startups.startup_of(founder).id == startup.id
    loaded = startups.load_startup(startup.id)
    assert [t.name for t in loaded.needs] == ["pricing"]
    assert [m.user_id for m in loaded.members] == [founder.id]
    assert (
        db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "startups"))
        == "startup.created"
    )


def test_a_founder_belongs_to_one_startup(founder):
    startups.create_startup(actor=founder, **PROFILE)
    with pytest.raises(Conflict):
        startups.create_startup(actor=founder, **{**PROFILE, "name": "Second"})


def test_the_database_keeps_a_founder_in_one_startup(founder):
    first = factories.make_startup(founders=[founder])
    second = factories.make_startup(founders=[])
    assert first.id != second.id
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(StartupMember(startup_id=second.id, user_id=founder.id))
        db.session.flush()


@pytest.mark.parametrize("role", ["mentor", "staff"])
def test_only_founders_create_a_startup(db, role):
    with pytest.raises(NotAllowed):
        startups.create_startup(actor=factories.make_user(role=role), **PROFILE)


def test_update_changes_fields_and_needs_and_audits(founder):
    startup = startups.create_startup(actor=founder, **PROFILE)
    tag = factories.make_tag()
    loaded = startups.load_startup(startup.id)
    changed = startups.update_startup(loaded, actor=founder, team_size=10, needs=[tag.id])
    assert changed == ["team_size", "needs"]
    assert startups.update_startup(loaded, actor=founder, team_size=10) == []


def test_unknown_needs_are_refused(founder):
    with pytest.raises(ValidationFailed) as error:
        startups.create_startup(actor=founder, needs=[999999], **PROFILE)
    assert error.value.field == "needs"


def test_a_blank_name_is_refused(founder):
    with pytest.raises(ValidationFailed):
        startups.create_startup(actor=founder, **{**PROFILE, "name": "   "})


def test_only_its_founders_edit_a_startup(founder):
    startup = startups.create_startup(actor=founder, **PROFILE)
    with pytest.raises(NotAllowed):
        startups.update_startup(
            startups.load_startup(startup.id),
            actor=factories.make_user(role="founder"),
            name="Mine",
        )


# Co-founders


def test_invite_mails_a_single_use_link_and_the_invitee_joins(founder):
    startup = startups.create_startup(actor=founder, **PROFILE)
    invitation, token = startups.invite_cofounder(startup, email=" Co@Example.com ", actor=founder)
    assert invitation.email == "co@example.com" and invitation.token_hash != token
    mail = db.session.scalar(select(OutboxEmail))
    assert mail.to == "co@example.com" and f"/startup/join/{token}" in mail.body
    cofounder = factories.make_user(role="founder", email="co@example.com")
    startups.join_startup(token, user=cofounder)
    assert startups.startup_of(cofounder).id == startup.id
    assert invitation.status == "accepted"
    with pytest.raises(InvalidState):
        startups.join_startup(token, user=factories.make_user(role="founder"))


def test_the_link_works_for_whoever_holds_it_but_only_for_founders(founder):
    startup = startups.create_startup(actor=founder, **PROFILE)
    _invitation, token = startups.invite_cofounder(startup, email="a@example.com", actor=founder)
    with pytest.raises(NotAllowed):
        startups.join_startup(token, user=factories.make_user(role="mentor"))


def test_a_founder_of_another_startup_cannot_join(founder):
    startup = startups.create_startup(actor=founder, **PROFILE)
    _invitation, token = startups.invite_cofounder(startup, email="a@example.com", actor=founder)
    other = factories.make_user(role="founder")
    factories.make_startup(founders=[other])
    with pytest.raises(Conflict):
        startups.join_startup(token, user=other)
    with pytest.raises(Conflict):
        startups.join_startup(token, user=founder)


def test_an_expired_or_revoked_invitation_does_not_work(founder):
    startup = startups.create_startup(actor=founder, **PROFILE)
    expired, token1 = startups.invite_cofounder(startup, email="a@example.com", actor=founder)
    expired.expires_at = expired.created_at - timedelta(seconds=1)
    revoked, token2 = startups.invite_cofounder(startup, email="b@example.com", actor=founder)
    startups.revoke_cofounder_invitation(revoked, actor=founder)
    for token in (token1, token2, "not-a-token"):
        assert startups.invitation_for_token(token) is None
    with pytest.raises(InvalidState):
        startups.revoke_cofounder_invitation(revoked, actor=founder)
    assert startups.pending_invitations(startup) == []


def test_inviting_someone_already_in_a_startup_is_refused(founder):
    startup = startups.create_startup(actor=founder, **PROFILE)
    other = factories.make_user(role="founder", email="taken@example.com")
    factories.make_startup(founders=[other])
    with pytest.raises(Conflict) as error:
        startups.invite_cofounder(startup, email="taken@example.com", actor=founder)
    assert error.value.field == "email"
    with pytest.raises(Conflict):
        startups.invite_cofounder(startup, email=founder.email, actor=founder)
    factories.make_user(role="staff", email="staffer@example.com")
    with pytest.raises(Conflict):
        startups.invite_cofounder(startup, email="staffer@example.com", actor=founder)


def test_only_its_founders_invite_or_revoke(founder):
    startup = startups.create_startup(actor=founder, **PROFILE)
    stranger = factories.make_user(role="founder")
    with pytest.raises(NotAllowed):
        startups.invite_cofounder(startup, email="x@example.com", actor=stranger)
    invitation, _token = startups.invite_cofounder(startup, email="x@example.com", actor=founder)
    with pytest.raises(NotAllowed):
        startups.revoke_cofounder_invitation(invitation, actor=stranger)


# Policies


def test_policies(founder, staff, admin, mentor):
    startup = factories.make_startup(founders=[founder])
    other = factories.make_user(role="founder")
    factories.make_startup(founders=[other])
    draft = factories.make_application(startup=startup, status="draft", complete=False)
    accepted = factories.make_application(startup=startup, status="accepted")
    assert can_view_application(founder, draft) and can_view_application(staff, draft)
    assert can_view_application(admin, accepted)
    assert not can_view_application(other, draft) and not can_view_application(mentor, draft)
    assert not can_view_application(None, draft)
    assert can_edit_application(founder, draft) and not can_edit_application(founder, accepted)
    assert not can_edit_application(staff, draft)
    assert can_withdraw_application(founder, draft)
    assert not can_withdraw_application(founder, accepted)
    assert not can_withdraw_application(other, draft)
    assert can_edit_startup(founder, startup) and not can_edit_startup(other, startup)
    assert not can_edit_startup(staff, startup)
