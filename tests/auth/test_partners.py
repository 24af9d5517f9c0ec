"""Business-unit partners on the staff's people pages: the role filter and labels, the
invitations list; the generic invitation form never invites one (a unit's page does)."""

from __future__ import annotations

import re

from accelerator import cli  # noqa: F401  (the flask users commands)
from accelerator.auth import services
from accelerator.auth.models import Role
from tests.auth.helpers import text


def _options(page: str, select_id: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*id="{re.escape(select_id)}".*?</select>', page, re.S)
    assert select is not None, select_id
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))


def test_the_people_list_filters_partners_and_labels_them(login_as, make, staff):
    make.make_user(email="helene@orange.example", name="Hélène Partenaire", role="partner")
    make.make_user(email="bo@example.com", name="Bo Berg", role="founder")
    client = login_as(staff)

    page = client.get("/users").get_data(as_text=True)
    assert ("partner", "partner") in _options(page, "role")
    listed = text(client.get("/users?role=partner"))
    assert "Hélène Partenaire" in listed and "Bo Berg" not in listed
    row = re.search(r"<tr>(?:(?!</tr>).)*Hélène Partenaire.*?</tr>", listed, re.S)
    assert row is not None and ">partner<" in row.group(0)


def test_an_admin_may_make_someone_a_partner_from_the_list(login_as, db, make, admin):
    mentor = make.make_user(name="Marc Mentor", role="mentor")
    client = login_as(admin, second_factor=True)
    page = client.get("/users").get_data(as_text=True)
    assert ("partner", "partner") in _options(page, f"role-{mentor.id}")
    response = client.post(f"/users/{mentor.id}/role", data={"role": "partner"})
    assert response.status_code == 302
    db.session.refresh(mentor)
    assert mentor.role == Role.PARTNER


def test_the_invitation_form_offers_mentor_and_staff_only(login_as, staff):
    page = text(login_as(staff).get("/invitations"))
    assert [value for value, _label in _options(page, "role")] == ["mentor", "staff"]
    assert "Business-unit partners are invited from their unit's page" in page
    assert 'href="/pilots/units"' in page


def test_the_invitations_list_shows_a_units_partner_invitation(login_as, db, staff):
    # The pilots domain invites partners through the auth service (and links the unit).
    invitation, _token = services.invite(
        email="helene@orange.example", name="Hélène Partenaire", role=Role.PARTNER, actor=staff
    )
    db.session.commit()
    page = text(login_as(staff).get("/invitations"))
    row = re.search(r"<tr>(?:(?!</tr>).)*helene@orange\.example.*?</tr>", page, re.S)
    assert row is not None
    assert ">partner<" in row.group(0) and "Hélène Partenaire" in row.group(0)
    assert f"/invitations/{invitation.id}/revoke" in row.group(0)


def test_flask_users_lists_partners_and_creates_none(app, make):
    make.make_user(email="helene@orange.example", name="Hélène Partenaire", role="partner")
    runner = app.test_cli_runner()
    output = runner.invoke(args=["users", "list"]).output
    line = next(line for line in output.splitlines() if "helene@orange.example" in line)
    assert "partner" in line and "active" in line and "Hélène Partenaire" in line

    result = runner.invoke(
        args=["users", "create", "--email", "p@example.com", "--name", "P", "--role", "partner",
              "--password", "a strong secret"]
    )  # fmt: skip
    assert result.exit_code == 2
    assert "'partner' is not one of" in result.output
