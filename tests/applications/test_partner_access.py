"""A business-unit partner sees no application, deck or founder page, even one who was a founder
of the startup before an administrator made them a partner."""

from __future__ import annotations

import pytest

from accelerator.applications.policies import is_founder_of
from accelerator.auth import services as auth_services
from accelerator.core.permissions import Role
from accelerator.extensions import db
from tests import factories


@pytest.fixture
def application(db, founder):
    startup = factories.make_startup(name="Société Éclair", founders=[founder])
    return factories.make_application(
        cohort=factories.make_cohort(phase="open"),
        startup=startup,
        pitch_deck_id=factories.make_deck().id,
    )


def test_a_partner_is_refused_the_founder_pages_and_never_finds_an_application(
    client, login_as, application
):
    login_as(factories.make_user(role="partner", name="Hélène Partenaire"))
    assert client.get("/startup").status_code == 403
    assert client.get(f"/calls/{application.cohort_id}/apply").status_code == 403
    assert client.get(f"/applications/{application.id}").status_code == 404
    assert client.get(f"/applications/{application.id}/deck").status_code == 404


def test_a_founder_made_a_partner_no_longer_sees_their_startups_application(
    client, login_as, admin, founder, application
):
    login_as(founder)
    assert client.get(f"/applications/{application.id}").status_code == 200
    auth_services.change_role(founder, role=Role.PARTNER, actor=admin)
    db.session.commit()

    login_as(founder)
    assert client.get(f"/applications/{application.id}").status_code == 404
    assert client.get(f"/applications/{application.id}/deck").status_code == 404
    # The one founder-of rule says no: the membership row stays, the role decides.
    assert not is_founder_of(founder, application.startup_id)


def test_a_partner_holding_a_cofounder_link_is_told_only_founders_join(
    client, login_as, founder, application
):
    from accelerator.applications import startups
    from accelerator.applications.models import Startup

    startup = db.session.get(Startup, application.startup_id)
    _invitation, token = startups.invite_cofounder(
        startup, email="helene@example.org", actor=founder
    )
    db.session.commit()
    login_as(factories.make_user(role="partner", email="helene@example.org"))
    page = client.get(f"/startup/join/{token}")
    assert page.status_code == 200
    assert "Only founder accounts can join a startup." in page.get_data(as_text=True)
    assert client.post(f"/startup/join/{token}").status_code == 403
