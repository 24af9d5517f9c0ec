"""Admins deactivate, reactivate and change roles (not their own, never the last admin)."""

from __future__ import annotations

import pytest

from accelerator.auth import services
from accelerator.auth.models import Role
from accelerator.core.errors import InvalidState, NotAllowed
from tests.auth.helpers import audit_events, flashes, sign_in, text


def test_deactivation_ends_the_users_sessions_and_is_audited(
    login_as, other_client, db, admin, founder
):
    sign_in(other_client, founder.email, remember=True)
    assert other_client.get("/account").status_code == 200

    client = login_as(admin)
    response = client.post(f"/users/{founder.id}/active?active=0")
    assert response.headers["Location"] == "/users"
    assert f"{founder.name} is deactivated and signed out everywhere." in flashes(
        text(client.get("/users"))
    )
    db.session.refresh(founder)
    assert founder.active is False
    (event,) = audit_events("user.deactivated")
    assert event.actor_id == admin.id and event.object_id == founder.id

    # The old session cookie now belongs to an anonymous visitor, sent to the login page.
    response = other_client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert sign_in(other_client, founder.email).status_code == 422  # cannot sign in again


def test_reactivation_lets_the_user_sign_in_again(login_as, client, db, admin, make):
    user = make.make_user(active=False)
    login_as(admin).post(f"/users/{user.id}/active?active=1")
    db.session.refresh(user)
    assert user.active is True
    assert [event.object_id for event in audit_events("user.activated")] == [user.id]
    login_as(None)
    assert sign_in(client, user.email).headers["Location"] == "/"


def test_admins_cannot_deactivate_themselves(login_as, db, admin):
    client = login_as(admin)
    response = client.post(f"/users/{admin.id}/active?active=0")
    assert response.status_code == 409
    assert "You cannot deactivate your own account." in flashes(text(response))
    db.session.refresh(admin)
    assert admin.active is True
    assert audit_events("user.deactivated") == []


def test_staff_cannot_deactivate_or_change_roles(login_as, db, staff, founder):
    client = login_as(staff)
    assert client.post(f"/users/{founder.id}/active?active=0").status_code == 403
    assert client.post(f"/users/{founder.id}/role", data={"role": "admin"}).status_code == 403
    db.session.refresh(founder)
    assert founder.active and founder.role == Role.FOUNDER
    assert [event.data["reason"] for event in audit_events("access.denied")] == ["role", "role"]
    with pytest.raises(NotAllowed):
        services.set_active(founder, active=False, actor=staff)
    with pytest.raises(NotAllowed):
        services.change_role(founder, role=Role.ADMIN, actor=staff)


def test_staff_see_the_people_list_without_admin_buttons(login_as, staff, founder):
    page = text(login_as(staff).get("/users"))
    assert founder.email in page
    assert "Deactivate" not in page and "/role" not in page


def test_admin_changes_a_role_which_ends_the_users_sessions(login_as, other_client, db, admin):
    user = services.sign_up_founder(email="m@example.com", name="Mo", password="long enough")
    sign_in(other_client, user.email, "long enough")
    client = login_as(admin, second_factor=True)
    client.post(f"/users/{user.id}/role", data={"role": "mentor"})
    assert "Mo is now mentor." in flashes(text(client.get("/users")))
    db.session.refresh(user)
    assert user.role == Role.MENTOR
    (event,) = audit_events("user.role_changed")
    assert event.data == {"from": "founder", "to": "mentor"} and event.actor_id == admin.id
    assert other_client.get("/account").status_code == 302


def test_admins_cannot_change_their_own_role(login_as, db, admin, make):
    make.make_user(role="admin")  # another admin exists: only the self rule applies
    client = login_as(admin, second_factor=True)
    response = client.post(f"/users/{admin.id}/role", data={"role": "founder"})
    assert response.status_code == 409
    assert "You cannot change your own role." in flashes(text(response))
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN


def test_an_unknown_role_is_refused(login_as, db, admin, founder):
    client = login_as(admin, second_factor=True)
    response = client.post(f"/users/{founder.id}/role", data={"role": "emperor"})
    assert response.status_code == 422
    assert "Choose a valid role." in flashes(text(response))
    db.session.refresh(founder)
    assert founder.role == Role.FOUNDER


def test_admin_actions_on_a_missing_user_answer_404(login_as, admin):
    client = login_as(admin, second_factor=True)
    assert client.post("/users/999999/active?active=0").status_code == 404
    assert client.post("/users/999999/role", data={"role": "mentor"}).status_code == 404


def test_the_last_active_admin_cannot_be_removed(db, make):
    # An admin acting from a session that was deactivated meanwhile leaves one active admin.
    last, former = make.make_user(role="admin"), make.make_user(role="admin", active=False)
    with pytest.raises(InvalidState, match="last active administrator"):
        services.set_active(last, active=False, actor=former)
    with pytest.raises(InvalidState, match="last active administrator"):
        services.change_role(last, role=Role.STAFF, actor=former)
    assert last.active and last.role == Role.ADMIN


def test_another_admin_can_be_removed_while_one_remains(db, make):
    first, second = make.make_user(role="admin"), make.make_user(role="admin")
    services.change_role(second, role=Role.STAFF, actor=first)
    assert second.role == Role.STAFF
    third = make.make_user(role="admin")
    services.set_active(third, active=False, actor=first)
    assert third.active is False
    # An inactive admin is no loss: demoting it is fine even though `first` is the last one.
    services.change_role(third, role=Role.MENTOR, actor=first)
    assert third.role == Role.MENTOR


def test_people_search_and_role_filter(login_as, make, staff):
    make.make_user(email="ana.lopez@example.com", name="Ana Lopez", role="mentor")
    make.make_user(email="bo@example.com", name="Bo Berg", role="founder")
    client = login_as(staff)
    page = text(client.get("/users?q=LOPEZ"))
    assert "Ana Lopez" in page and "Bo Berg" not in page
    page = text(client.get("/users?q=bo@"))
    assert "Bo Berg" in page and "Ana Lopez" not in page
    page = text(client.get("/users?role=mentor"))
    assert "Ana Lopez" in page and "Bo Berg" not in page
    # LIKE wildcards typed by the user match literally.
    assert "Nobody matches this search." in text(client.get("/users?q=%25"))
    assert "Bo Berg" in text(client.get("/users?role=nonsense"))
