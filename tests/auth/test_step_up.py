"""The pages of two-step verification and the step-up before money and roles: set it up from
the account page, the code asked before paying with what was typed kept, wrong codes beside
the field, the window of SECOND_FACTOR_FRESH_MINUTES, a lost phone reset by an administrator."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pyotp
import pytest
from flask_login import login_user

from accelerator.auth.step_up import SESSION_KEY, require_second_factor, second_factor_required
from accelerator.core.types import utcnow
from accelerator.grants.models import Disbursement, DisbursementStatus
from tests import factories
from tests.auth.helpers import audit_events, field_errors, flashes, text


@pytest.fixture
def team(db):
    requester = factories.make_user(role="staff", name="Rita Requester")
    approver = factories.make_user(role="staff", name="Éloïse Société Éclair")
    founder = factories.make_user(role="founder", name="Fiona Founder")
    grant = factories.make_grant(founders=[founder])
    return requester, approver, founder, grant


def _hidden(page: str) -> dict[str, str]:
    """The hidden fields of the code page's form (else of the whole fragment)."""
    form = re.search(r'id="step-up-form">(.*?)</form>', page, re.S)
    page = form.group(1) if form else page
    return {
        html.unescape(n): html.unescape(v)
        for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page)
    }


def _pay_data(row, reference="SEPA-Société-42") -> dict[str, str]:
    return {
        f"pay-{row.id}-paid_on": date.today().isoformat(),
        f"pay-{row.id}-reference": reference,
    }


def test_staff_set_it_up_from_the_account_page(db, login_as, team):
    _, approver, _, _ = team
    client = login_as(approver)
    assert "data-second-factor-notice" in client.get("/").text  # told on their home
    account = client.get("/account").text
    assert 'data-second-factor="off"' in account and "/account/two-step" in account
    page = client.get("/account/two-step").text
    assert "<svg" in page and "otpauth" not in page.split("<svg", 1)[0][-200:]
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    assert client.get("/account/two-step").text.count(secret[:4]) >= 1  # same key on reload

    wrong = client.post("/account/two-step/enable", data={"code": "000000"})
    assert wrong.status_code == 422
    assert field_errors(text(wrong), "code") == [
        "This code is not right. Check your app was set up with this key."
    ]
    done = client.post("/account/two-step/enable", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<li class=\"col\">([a-z2-9]{5}-[a-z2-9]{5})</li>", done.text)
    assert len(codes) == 10
    db.session.refresh(approver)
    assert approver.has_second_factor
    assert "data-second-factor-notice" not in client.get("/").text
    assert "Two-step verification is on." in flashes(text(done))


def test_paying_asks_the_code_and_keeps_the_reference_typed(db, login_as, team):
    requester, approver, _, grant = team
    row = factories.make_disbursement(
        grant, requester=requester, approver=factories.make_user(role="staff"), status="approved"
    )
    client = login_as(approver, second_factor="stale")
    url = f"/grants/disbursements/{row.id}/pay"
    asked = client.post(url, data=_pay_data(row), headers={"Referer": f"/grants/{grant.id}"})
    assert asked.status_code == 401
    page = text(asked)
    assert f'action="{url}"' in page and 'name="second_factor_code"' in page
    assert _hidden(page)[f"pay-{row.id}-reference"] == "SEPA-Société-42"
    assert db.session.get(Disbursement, row.id).status == DisbursementStatus.APPROVED

    kept = _hidden(page)
    wrong = client.post(url, data={**kept, "second_factor_code": "000000"})
    assert wrong.status_code == 422
    assert field_errors(text(wrong), "second_factor_code") == [
        "This code is not right. Type the 6 digits your app shows now."
    ]
    assert _hidden(text(wrong))[f"pay-{row.id}-reference"] == "SEPA-Société-42"
    assert len(audit_events("second_factor.failed")) == 1

    paid = client.post(url, data={**kept, "second_factor_code": factories.totp_code()})
    assert paid.status_code == 302
    paid_row = db.session.get(Disbursement, row.id)
    assert paid_row.status == DisbursementStatus.PAID
    assert paid_row.payment_reference == "SEPA-Société-42"


def test_a_verified_session_acts_without_asking_until_the_window_ends(db, login_as, team, app):
    requester, approver, _, grant = team
    first = factories.make_disbursement(grant, requester=requester)
    second = factories.make_disbursement(grant, requester=requester, amount_cents=50_000)
    client = login_as(approver, second_factor="stale")
    data = {"seen_amount_cents": str(first.amount_cents)}
    response = client.post(
        f"/grants/disbursements/{first.id}/approve",
        data={**data, "second_factor_code": factories.totp_code()},
    )
    assert response.status_code == 302
    assert db.session.get(Disbursement, first.id).status == DisbursementStatus.APPROVED

    minutes = app.config["SECOND_FACTOR_FRESH_MINUTES"]

    def verified_ago(delta: timedelta) -> None:
        with client.session_transaction() as session:
            session[SESSION_KEY] = {"user": approver.id, "at": (utcnow() - delta).timestamp()}

    url = f"/grants/disbursements/{second.id}/approve"
    verified_ago(timedelta(minutes=minutes, seconds=1))
    assert client.post(url, data={"seen_amount_cents": "50000"}).status_code == 401
    verified_ago(timedelta(minutes=minutes - 1))
    assert client.post(url, data={"seen_amount_cents": "50000"}).status_code == 302


def test_the_same_code_does_not_verify_twice(db, login_as, team):
    requester, approver, _, grant = team
    row = factories.make_disbursement(grant, requester=requester)
    code = factories.totp_code()
    client = login_as(approver, second_factor="stale")
    data = {"seen_amount_cents": str(row.amount_cents), "second_factor_code": code}
    assert client.post(f"/grants/disbursements/{row.id}/approve", data=data).status_code == 302
    client = login_as(approver, second_factor="stale")  # another browser, the code seen
    again = client.post(f"/grants/disbursements/{row.id}/approve", data=data)
    assert again.status_code == 422
    assert "This code was used already. Wait for the next one." in text(again)


def test_a_recovery_code_passes_the_step_up_once(db, login_as, team):
    from accelerator.auth import second_factor

    requester, approver, _, grant = team
    secret = second_factor.new_secret()
    codes = second_factor.enable(approver, secret=secret, code=pyotp.TOTP(secret).now())
    row = factories.make_disbursement(grant, requester=requester)
    data = {"seen_amount_cents": str(row.amount_cents), "second_factor_code": codes[0]}
    client = login_as(approver, second_factor="stale")
    assert client.post(f"/grants/disbursements/{row.id}/approve", data=data).status_code == 302
    assert len(audit_events("second_factor.recovery_code_used")) == 1
    client = login_as(approver, second_factor="stale")
    other = factories.make_disbursement(grant, requester=requester, amount_cents=50_000)
    data["seen_amount_cents"] = "50000"
    assert client.post(f"/grants/disbursements/{other.id}/approve", data=data).status_code == 422


def test_staff_without_a_second_factor_are_sent_to_set_it_up(db, login_as, team):
    requester, approver, _, grant = team
    row = factories.make_disbursement(grant, requester=requester)
    client = login_as(approver)
    refused = client.post(
        f"/grants/disbursements/{row.id}/approve",
        data={"seen_amount_cents": str(row.amount_cents)},
        headers={"Referer": f"http://localhost/grants/{grant.id}"},
    )
    assert refused.status_code == 409
    assert f'href="/account/two-step?next=/grants/{grant.id}"' in refused.text.replace("%2F", "/")
    assert db.session.get(Disbursement, row.id).status == DisbursementStatus.REQUESTED


def test_an_api_client_gets_a_problem_document(db, login_as, team):
    requester, approver, _, grant = team
    row = factories.make_disbursement(grant, requester=requester)
    client = login_as(approver, second_factor="stale")
    response = client.post(
        f"/grants/disbursements/{row.id}/approve",
        data={"seen_amount_cents": str(row.amount_cents)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["field"] == "second_factor_code"


def test_role_changes_ask_the_administrators_code(db, login_as, admin, founder):
    client = login_as(admin, second_factor="stale")
    asked = client.post(f"/users/{founder.id}/role", data={"role": "mentor"})
    assert asked.status_code == 401
    done = client.post(
        f"/users/{founder.id}/role",
        data={**_hidden(text(asked)), "second_factor_code": factories.totp_code()},
    )
    assert done.status_code == 302
    db.session.refresh(founder)
    assert founder.role.value == "mentor"


def test_an_administrator_resets_a_lost_second_factor_from_the_people_page(
    db, login_as, admin, staff
):
    factories.enrol_second_factor(staff)
    client = login_as(admin, second_factor=True)
    page = client.get("/users").text
    assert f"/users/{staff.id}/second-factor/reset" in page
    assert client.post(f"/users/{staff.id}/second-factor/reset").status_code == 302
    db.session.refresh(staff)
    assert not staff.has_second_factor
    assert [e.actor_id for e in audit_events("second_factor.reset")] == [admin.id]
    assert f"/users/{staff.id}/second-factor/reset" not in client.get("/users").text


def test_signing_out_forgets_the_verification(db, login_as, team):
    requester, approver, _, grant = team
    row = factories.make_disbursement(grant, requester=requester)
    client = login_as(approver, second_factor=True)
    client.post("/logout")
    from tests.auth.helpers import sign_in

    sign_in(client, approver.email)
    asked = client.post(
        f"/grants/disbursements/{row.id}/approve",
        data={"seen_amount_cents": str(row.amount_cents)},
    )
    assert asked.status_code == 401


def test_a_founder_turns_it_on_and_off(db, login_as, founder):
    client = login_as(founder)
    page = client.get("/account/two-step").text
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    enabled = client.post("/account/two-step/enable", data={"code": pyotp.TOTP(secret).now()})
    assert enabled.status_code == 200
    wrong = client.post("/account/two-step/disable", data={"off-code": "111111"})
    assert wrong.status_code == 422 and field_errors(text(wrong), "off-code")
    older = pyotp.TOTP(secret).at(utcnow().timestamp() - 30)  # before the code that enabled it
    assert client.post("/account/two-step/disable", data={"off-code": older}).status_code == 422
    off = client.post(
        "/account/two-step/disable",
        data={"off-code": pyotp.TOTP(secret).at(utcnow().timestamp() + 30)},
    )
    assert off.status_code == 302
    db.session.refresh(founder)
    assert not founder.has_second_factor


def _codes_left(page: str) -> int:
    return int(re.search(r"(\d+) of your recovery codes are unused", page).group(1))


def test_new_recovery_codes_from_the_page(db, login_as, staff):
    client = login_as(staff, second_factor="stale")
    page = client.get("/account/two-step").text
    assert _codes_left(page) == 0  # enrolled by the factory, without recovery codes
    assert "/account/two-step/disable" not in page  # staff keep it on
    made = client.post(
        "/account/two-step/recovery-codes", data={"codes-code": factories.totp_code()}
    )
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    assert len(re.findall(r'<li class="col">[a-z2-9]{5}-[a-z2-9]{5}</li>', made.text)) == 10
    assert _codes_left(client.get("/account/two-step").text) == 10
    refused = client.post(
        "/account/two-step/disable", data={"off-code": factories.totp_code(steps=1)}
    )
    assert refused.status_code == 403
    db.session.refresh(staff)
    assert staff.has_second_factor


def test_the_step_up_only_concerns_staff_and_may_depend_on_the_form(app, db, staff, founder):
    @second_factor_required(when=lambda: "write" in __import__("flask").request.form)
    def act():
        return "done"

    for user, data, asked in [
        (founder, {"write": "1"}, False),
        (staff, {"read": "1"}, False),
        (staff, {"write": "1"}, True),
    ]:
        with app.test_request_context("/act", method="POST", data=data):
            login_user(user)
            answer = act()
            assert (answer != "done") is asked, (user.role, data)
    with app.test_request_context("/act", method="GET"):
        login_user(staff)
        assert require_second_factor() is None  # reading a page is never stepped up


def test_the_code_page_sends_the_original_csrf_token_again(app, db, login_as, team):
    requester, approver, _, grant = team
    row = factories.make_disbursement(grant, requester=requester)
    client = login_as(approver, second_factor="stale")
    app.config["WTF_CSRF_ENABLED"] = True  # as in production (the test config turns it off)
    try:
        grant_page = client.get(f"/grants/{grant.id}").text
        form = re.search(
            rf'action="/grants/disbursements/{row.id}/approve">(.*?)</form>', grant_page, re.S
        )
        fields = _hidden(form.group(1))
        assert fields["csrf_token"]
        asked = client.post(f"/grants/disbursements/{row.id}/approve", data=fields)
        assert asked.status_code == 401
        kept = _hidden(text(asked))
        assert kept == fields
        done = client.post(
            f"/grants/disbursements/{row.id}/approve",
            data={**kept, "second_factor_code": factories.totp_code()},
        )
        assert done.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.get(Disbursement, row.id).status == DisbursementStatus.APPROVED


def test_wrong_codes_on_the_account_page_count_towards_the_limit(db, login_as, staff):
    client = login_as(staff, second_factor="stale")
    for _ in range(5):
        wrong = client.post("/account/two-step/recovery-codes", data={"codes-code": "000000"})
        assert wrong.status_code == 422
    assert len(audit_events("second_factor.failed")) == 5
    right = client.post(
        "/account/two-step/recovery-codes", data={"codes-code": factories.totp_code()}
    )
    assert right.status_code == 422
    assert field_errors(text(right), "codes-code") == [
        "Too many wrong codes. Wait 15 minutes, then try again."
    ]
