"""A business-unit partner has no mentoring calendar: not even the address they made while a
mentor answers once an administrator made them a partner."""

from __future__ import annotations

from accelerator.auth import services as auth_services
from accelerator.core.permissions import Role
from accelerator.extensions import db
from accelerator.sessions import calendar
from tests.sessions.builders import make_session


def test_a_mentor_made_a_partner_loses_their_calendar_feed(client, admin, pair, pair_mentor):
    make_session(pair)
    token = calendar.issue_token(actor=pair_mentor)
    db.session.commit()
    assert client.get(f"/mentoring/calendar/{token}.ics").status_code == 200

    auth_services.change_role(pair_mentor, role=Role.PARTNER, actor=admin)
    db.session.commit()
    answer = client.get(f"/mentoring/calendar/{token}.ics")
    assert answer.status_code == 410
    assert b"BEGIN:VCALENDAR" not in answer.data
    assert calendar.user_for_token(token) == ("revoked", None)


def test_a_partner_is_refused_the_calendar_and_office_hours_pages(client, login_as, make):
    login_as(make.make_user(role="partner", name="Hélène Partenaire"))
    assert client.get("/mentoring/calendar").status_code == 403
    assert client.post("/mentoring/calendar/address").status_code == 403
    assert client.get("/mentoring/office-hours").status_code == 403
    assert client.get("/mentoring/sessions").status_code == 403
