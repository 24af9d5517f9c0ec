"""Custom error pages (with a request id for 500s), permission helpers and /healthz."""

from __future__ import annotations

import logging

import pytest
from flask import Blueprint, abort, jsonify
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from accelerator.auth.models import Role, User
from accelerator.core.permissions import get_or_404, has_role, role_required
from accelerator.extensions import db
from tests.auth.helpers import audit_events, text


def _probe_blueprint() -> Blueprint:
    """Routes that exist only in these tests, on an app of their own."""
    probe = Blueprint("probe", __name__, url_prefix="/probe")

    @probe.route("/boom")
    def boom():
        raise RuntimeError("kaboom in a view")

    @probe.route("/abort/<int:status>")
    def aborts(status: int):
        abort(status)

    @probe.route("/staff")
    @role_required(Role.STAFF)
    def staff_only():
        return jsonify(ok=True)

    def is_self(user, other) -> bool:
        return user.is_authenticated and user.id == other.id

    @probe.route("/users/<int:user_id>")
    def own_user(user_id: int):
        return jsonify(email=get_or_404(User, user_id, policy=is_self).email)

    @probe.route("/half-done/<int:user_id>", methods=["POST"])
    def half_done(user_id: int):
        current_user.name = "Changed before the check"  # a view that wrote, then was refused
        return jsonify(email=get_or_404(User, user_id, policy=is_self).email)

    @probe.route("/whoami")
    def whoami():
        return jsonify(id=current_user.get_id())

    return probe


@pytest.fixture
def probe(build_app):
    return build_app(blueprint=_probe_blueprint())


def _sign_in(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    return client


# Error pages -------------------------------------------------------------------------------


def test_a_crash_shows_the_500_page_with_the_request_id_that_is_logged(probe, caplog):
    with caplog.at_level(logging.ERROR, logger=probe.logger.name):
        response = probe.test_client().get("/probe/boom")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    page = text(response)
    assert "Something went wrong" in page
    assert f"<code>{request_id}</code>" in page
    assert "kaboom" not in page  # no internals for the user
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert request_id in record.getMessage() and "/probe/boom" in record.getMessage()
    assert record.exc_info and record.exc_info[0] is RuntimeError


def test_a_proxy_request_id_is_kept(probe):
    response = probe.test_client().get("/probe/boom", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    assert "abc-123" in text(response)


def test_a_crash_answers_json_to_json_clients(probe):
    response = probe.test_client().get("/probe/boom", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"  # RFC 9457, as every refusal
    assert response.json == {
        "type": "about:blank",
        "title": "Something went wrong",
        "status": 500,
        "instance": "/probe/boom",
        "request_id": response.headers["X-Request-ID"],
    }


@pytest.mark.parametrize(
    "status,title,message",
    [
        (400, "Bad request", "The request could not be understood."),
        (403, "Not allowed", "Your account is not allowed to do this."),
        (404, "Not found", "There is nothing here, or it is not yours to see."),
        (405, "Method not allowed", "This page does not accept that kind of request."),
        (413, "Request too large", "The upload is larger than 25 MB."),
        (429, "Too many requests", "Too many attempts. Wait a minute and try again."),
        (500, "Something went wrong", "We have been told and will look into it."),
    ],
)
def test_custom_error_pages(probe, status, title, message):
    response = probe.test_client().get(f"/probe/abort/{status}")
    assert response.status_code == status
    page = text(response)
    assert f'<h1 class="h3">{title}</h1>' in page
    assert message in page
    assert "Go to the home page" in page
    assert ("Quote this reference" in page) is (status == 500)


def test_real_404_405_and_403_pages(client, login_as, founder):
    assert "Not found" in text(client.get("/no/such/page"))
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/logout").status_code == 405
    response = login_as(founder).get("/audit")
    assert response.status_code == 403 and "Not allowed" in text(response)


# Permission helpers ------------------------------------------------------------------------


def test_role_required_sends_pages_to_login_and_answers_401_to_json(probe):
    client = probe.test_client()
    assert client.get("/probe/staff").headers["Location"] == "/login?next=%2Fprobe%2Fstaff"
    response = client.get("/probe/staff", headers={"Accept": "application/json"})
    assert response.status_code == 401 and response.json["title"] == "Please sign in"


def test_role_required_lets_admins_through_where_staff_may_go(probe, staff, admin, mentor):
    assert _sign_in(probe, staff).get("/probe/staff").json == {"ok": True}
    assert _sign_in(probe, admin).get("/probe/staff").json == {"ok": True}
    assert _sign_in(probe, mentor).get("/probe/staff").status_code == 403
    (denied,) = audit_events("access.denied")
    assert denied.actor_id == mentor.id and denied.data == {
        "path": "/probe/staff",
        "reason": "role",
    }


def test_get_or_404_hides_what_the_policy_refuses_and_audits_it(probe, founder, mentor):
    client = _sign_in(probe, founder)
    assert client.get(f"/probe/users/{founder.id}").json == {"email": founder.email}
    assert client.get(f"/probe/users/{mentor.id}").status_code == 404
    assert client.get("/probe/users/987654").status_code == 404
    (denied,) = audit_events("access.denied")
    assert denied.data["reason"] == "policy is_self"


def test_has_role_is_the_role_check_of_templates_and_role_required(app, staff, admin, mentor):
    assert has_role(staff, Role.STAFF) and has_role(admin, Role.STAFF)  # admin where staff may
    assert not has_role(mentor, Role.STAFF) and has_role(mentor, Role.MENTOR, Role.STAFF)
    assert not has_role(staff, Role.ADMIN) and not has_role(None, Role.STAFF)
    with app.test_request_context():
        assert not has_role(current_user, Role.FOUNDER)  # anonymous
    mentor.active = False
    assert not has_role(mentor, Role.MENTOR)


def test_a_refusal_records_the_denial_but_never_commits_the_callers_changes(probe, founder, mentor):
    response = _sign_in(probe, founder).post(f"/probe/half-done/{mentor.id}")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(User, founder.id).name == "Fay Founder"
    (denied,) = audit_events("access.denied")
    assert denied.actor_id == founder.id and denied.data["reason"] == "policy is_self"


def test_a_deactivated_users_cookie_is_anonymous(probe, db, founder):
    client = _sign_in(probe, founder)
    assert client.get("/probe/whoami").json == {"id": founder.get_id()}
    founder.active = False
    db.session.commit()
    assert client.get("/probe/whoami").json == {"id": None}


# Health ------------------------------------------------------------------------------------


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    def unreachable(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("database is down"))

    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unreachable"}
