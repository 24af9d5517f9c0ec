"""Mentors and staff join by invitation: hashed single-use tokens that expire or get revoked."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accelerator.auth import services
from accelerator.auth.models import Invitation, Role, User
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.types import utcnow
from tests.auth.helpers import (
    audit_events,
    field_errors,
    flashes,
    last_mail,
    link_in,
    outbox_count,
    sign_in,
    text,
)

REFUSED = "This invitation has expired, was revoked or was already used."
SECRET = "mentoring is fun"


def _invite(client, email="mina@example.com", role="mentor", name="Mina Mentor"):
    return client.post("/invitations", data={"email": email, "role": role, "name": name})


def _accept(client, link, name="Mina Mentor", password=SECRET, confirm=None):
    return client.post(
        link, data={"name": name, "password": password, "confirm": confirm or password}
    )


def _invitations(db) -> list[Invitation]:
    return list(db.session.scalars(select(Invitation).order_by(Invitation.id)))


@pytest.mark.parametrize("role", ["mentor", "staff"])
def test_staff_invite_mentors_and_staff_by_mail(login_as, db, staff, role):
    client = login_as(staff)
    response = _invite(client, email="New.Person@Example.com", role=role)
    assert response.headers["Location"] == "/invitations"

    (invitation,) = _invitations(db)
    assert invitation.email == "new.person@example.com"
    assert invitation.role == Role(role)
    assert invitation.invited_by_id == staff.id
    assert invitation.status == "pending"
    message = last_mail("new.person@example.com")
    assert message.subject == "You are invited to join Accelerator"
    assert f"{staff.name} invites you to join Accelerator as {role}." in message.body
    token = link_in(message).rsplit("/", 1)[1]
    # Only the hash is stored: the database never holds a usable token.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    (event,) = audit_events("invitation.sent")
    assert event.actor_id == staff.id and event.data == {
        "email": "new.person@example.com",
        "role": role,
    }
    page = text(client.get("/invitations"))
    assert "Invitation sent to new.person@example.com." in flashes(page)
    assert "new.person@example.com" in page


def test_admins_can_invite_too(login_as, db, admin):
    assert _invite(login_as(admin)).status_code == 302
    assert len(_invitations(db)) == 1


#: A partner is invited from their business unit's page (so that they join it), never here.
@pytest.mark.parametrize("role", ["founder", "admin", "partner", "wizard"])
def test_other_roles_cannot_be_invited_through_the_form(login_as, db, staff, role):
    page = text(_invite(login_as(staff), role=role))
    assert field_errors(page, "role") == ["Not a valid choice."]
    assert _invitations(db) == []


def test_founders_and_mentors_cannot_invite(login_as, db, founder, mentor):
    for user in (founder, mentor):
        assert login_as(user).get("/invitations").status_code == 403
        assert _invite(login_as(user)).status_code == 403
    assert _invitations(db) == []
    assert outbox_count() == 0
    with pytest.raises(NotAllowed):
        services.invite(email="x@example.com", role=Role.MENTOR, actor=founder)


def test_invitation_service_rules(db, staff, admin, founder):
    with pytest.raises(ValidationFailed):
        services.invite(email="x@example.com", role=Role.FOUNDER, actor=staff)
    with pytest.raises(ValidationFailed):
        services.invite(email="x@example.com", role=Role.ADMIN, actor=staff)
    invitation, _token = services.invite(email="x@example.com", role=Role.ADMIN, actor=admin)
    assert invitation.role == Role.ADMIN
    with pytest.raises(Conflict):
        services.invite(email=founder.email.upper(), role=Role.MENTOR, actor=staff)


def test_inviting_someone_who_has_an_account_is_refused_beside_the_email(login_as, staff, founder):
    page = text(_invite(login_as(staff), email=founder.email))
    assert field_errors(page, "email") == ["Someone already has an account with this email."]


def test_accepting_creates_the_user_with_the_invited_role_and_signs_in(client, login_as, db, staff):
    _invite(login_as(staff), role="mentor")
    link = link_in(last_mail("mina@example.com"))
    login_as(None)

    page = text(client.get(link))
    assert "You are invited as mentor with the address mina@example.com." in page
    assert 'value="Mina Mentor"' in page  # the name given by staff is filled in

    response = _accept(client, link, name="Mina M.")
    assert response.headers["Location"] == "/"
    user = db.session.scalar(select(User).where(User.email == "mina@example.com"))
    assert user.role == Role.MENTOR and user.name == "Mina M." and user.check_password(SECRET)
    home = text(client.get("/"))
    assert "Welcome to Accelerator, Mina M.." in flashes(home)
    assert "Hello, Mina M." in home

    (invitation,) = _invitations(db)
    assert invitation.status == "accepted"
    assert invitation.accepted_user_id == user.id
    assert [event.actor_id for event in audit_events("invitation.accepted")] == [user.id]


def test_an_invitation_link_works_once(client, login_as, db, staff):
    _invite(login_as(staff))
    link = link_in(last_mail("mina@example.com"))
    login_as(None)
    _accept(client, link)
    client.post("/logout")

    for response in (client.get(link), _accept(client, link, name="Someone else")):
        assert response.headers["Location"] == "/login"
    assert REFUSED in flashes(text(client.get("/login")))
    assert (
        db.session.scalar(select(func.count()).select_from(User).where(User.role == "mentor")) == 1
    )


def test_an_expired_invitation_is_refused(client, db, staff):
    invitation, token = services.invite(email="late@example.com", role=Role.MENTOR, actor=staff)
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    assert invitation.status == "expired"
    response = client.get(f"/invitations/accept/{token}")
    assert response.headers["Location"] == "/login"
    assert REFUSED in flashes(text(client.get("/login")))
    with pytest.raises(InvalidState):
        services.accept_invitation(token, name="Late", password=SECRET)


def test_a_revoked_invitation_is_refused(client, login_as, db, staff):
    invitation, token = services.invite(email="gone@example.com", role=Role.STAFF, actor=staff)
    response = login_as(staff).post(f"/invitations/{invitation.id}/revoke")
    assert response.headers["Location"] == "/invitations"
    db.session.refresh(invitation)
    assert invitation.status == "revoked"
    assert [event.object_id for event in audit_events("invitation.revoked")] == [invitation.id]

    response = client.post(f"/invitations/{invitation.id}/revoke")
    assert response.status_code == 409
    assert "Only a pending invitation can be revoked." in flashes(text(response))
    login_as(None)
    assert client.get(f"/invitations/accept/{token}").headers["Location"] == "/login"
    assert _accept(client, f"/invitations/accept/{token}").headers["Location"] == "/login"
    assert db.session.scalar(select(User).where(User.email == "gone@example.com")) is None


def test_an_unknown_token_is_refused(client):
    assert client.get("/invitations/accept/made-up").headers["Location"] == "/login"


def test_accepting_refuses_a_weak_password_beside_the_field(client, db, staff):
    _invitation, token = services.invite(email="w@example.com", role=Role.MENTOR, actor=staff)
    page = text(_accept(client, f"/invitations/accept/{token}", password="12345678"))
    assert field_errors(page, "password") == ["This password is too common; choose another."]
    assert db.session.scalar(select(User).where(User.email == "w@example.com")) is None


def test_accepting_when_the_email_got_an_account_meanwhile(client, db, make, staff):
    _invitation, token = services.invite(email="race@example.com", role=Role.MENTOR, actor=staff)
    make.make_user(email="race@example.com", role="founder")
    page = text(_accept(client, f"/invitations/accept/{token}"))
    assert "An account with this email already exists." in flashes(page)
    assert db.session.scalar(select(User.role).where(User.email == "race@example.com")) == (
        Role.FOUNDER
    )


def test_a_signed_in_user_opening_an_invitation_is_signed_out_first(login_as, client, db, staff):
    _invitation, token = services.invite(email="new@example.com", role=Role.MENTOR, actor=staff)
    login_as(staff).get(f"/invitations/accept/{token}")
    assert client.get("/account").status_code == 302


def test_invitations_page_lists_with_empty_state(login_as, staff):
    page = text(login_as(staff).get("/invitations"))
    assert "No invitations yet." in page
    assert "Invite a mentor or staff member" in page


def test_sign_in_after_accepting(client, db, staff):
    _invitation, token = services.invite(email="back@example.com", role=Role.STAFF, actor=staff)
    _accept(client, f"/invitations/accept/{token}", name="Back Again")
    client.post("/logout")
    assert sign_in(client, "back@example.com", SECRET).headers["Location"] == "/"
    assert "People" in text(client.get("/"))  # staff home
