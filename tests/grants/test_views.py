"""The grant pages over HTTP: staff actions, bad input, founders' view and who sees what."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from accelerator.applications.models import Startup
from accelerator.extensions import db
from accelerator.grants.models import Disbursement, DisbursementStatus, Grant
from accelerator.programs.models import Enrollment
from tests import factories
from tests.grants.helpers import new_key, snapshot
from tests.pages import unsigned

S = DisbursementStatus


def _key(html: str, prefix: str = "") -> str:
    name = f"{prefix}idempotency_key"
    match = re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]+)"', html)
    assert match, f"no {name} in the page"
    return match.group(1)


def refused(response, status: int = 409):
    """A refused action answers with its status and the grant page with the message."""
    assert response.status_code == status, response.status_code
    return response


def follow(client, response):
    """Follow a redirect by hand (the isolated test client runs each request on its own)."""
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"])


def _rows(grant_id: int) -> list[Disbursement]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Disbursement).where(Disbursement.grant_id == grant_id).order_by(Disbursement.id)
        )
    )


def test_staff_request_approve_pay_through_the_pages(db, login_as, grant, requester, approver):
    client = login_as(requester)
    page = client.get(f"/grants/{grant.id}")
    assert page.status_code == 200
    html = page.text
    assert 'value="10,000"' in html  # the kickoff share is proposed
    response = client.post(
        f"/grants/{grant.id}/disbursements",
        data={
            "tranche": "kickoff",
            "amount": "10,000",
            "note": "Kickoff",
            "idempotency_key": _key(html),
        },
    )
    assert response.status_code == 302
    (row,) = _rows(grant.id)
    assert row.amount_cents == 1_000_000 and row.status == S.REQUESTED

    page = client.get(f"/grants/{grant.id}").text
    assert "another staff member approves" in page
    assert f"/grants/disbursements/{row.id}/approve" not in page  # no approve button for me

    client = login_as(approver, second_factor=True)
    assert f"/grants/disbursements/{row.id}/approve" in client.get(f"/grants/{grant.id}").text
    response = client.post(
        f"/grants/disbursements/{row.id}/approve", data={"seen_amount_cents": "1000000"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/grants/disbursements/{row.id}/pay",
        data={
            f"pay-{row.id}-paid_on": date.today().isoformat(),
            f"pay-{row.id}-reference": "SEPA-42",
        },
    )
    assert response.status_code == 302
    (row,) = _rows(grant.id)
    assert row.status == S.PAID and row.payment_reference == "SEPA-42"


def test_a_double_submitted_request_creates_one_row(db, login_as, grant, requester):
    client = login_as(requester)
    key = _key(client.get(f"/grants/{grant.id}").text)
    data = {"tranche": "kickoff", "amount": "1000", "idempotency_key": key}
    first = client.post(f"/grants/{grant.id}/disbursements", data=data)
    second = follow(client, client.post(f"/grants/{grant.id}/disbursements", data=data))
    assert first.status_code == 302 and second.status_code == 200
    assert "already recorded" in second.text
    assert len(_rows(grant.id)) == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"amount": "0"}, "greater than zero"),
        ({"amount": "-100"}, "greater than zero"),
        ({"amount": "lots"}, "Enter an amount like"),
        ({"amount": "10.001"}, "Enter an amount like"),
        ({"amount": "1e400"}, "Enter an amount like"),
        ({"amount": "20000.01"}, "more than what remains"),
        ({"amount": ""}, "Enter an amount."),
        ({"tranche": "bonus"}, "Not a valid choice"),
        ({"idempotency_key": ""}, "This form had expired"),
        ({"idempotency_key": "x" * 65}, "This form had expired"),
    ],
)
def test_bad_request_input_is_shown_beside_the_form(db, login_as, grant, requester, data, message):
    client = login_as(requester)
    body = {"tranche": "kickoff", "amount": "1000", "idempotency_key": new_key()} | data
    before = snapshot(grant.id)
    response = client.post(f"/grants/{grant.id}/disbursements", data=body)
    # Over what remains is a refusal on the grant's state; the rest is bad input.
    assert response.status_code == (409 if "remains" in message else 422)
    assert message in response.text
    assert snapshot(grant.id) == before


def test_a_tampered_approval_amount_is_refused(db, login_as, grant, requester, approver):
    row = factories.make_disbursement(grant, amount_cents=100_000, requester=requester)
    before = snapshot(grant.id)
    client = login_as(approver, second_factor=True)
    response = refused(
        client.post(
            f"/grants/disbursements/{row.id}/approve",
            data={"seen_amount_cents": "2000000", "amount": "20000"},
        ),
        422,
    )
    assert "not the amount requested" in response.text
    assert snapshot(grant.id) == before


def test_self_approval_over_http_is_refused(db, login_as, grant, requester):
    row = factories.make_disbursement(grant, requester=requester)
    before = snapshot(grant.id)
    client = login_as(requester, second_factor=True)
    response = refused(
        client.post(
            f"/grants/disbursements/{row.id}/approve",
            data={"seen_amount_cents": str(row.amount_cents)},
        ),
        403,
    )
    assert "another staff member must approve" in response.text
    assert snapshot(grant.id) == before


def test_paying_an_unapproved_request_says_why(db, login_as, grant, requester, approver):
    row = factories.make_disbursement(grant, requester=requester)
    client = login_as(approver, second_factor=True)
    response = refused(
        client.post(
            f"/grants/disbursements/{row.id}/pay",
            data={
                f"pay-{row.id}-paid_on": date.today().isoformat(),
                f"pay-{row.id}-reference": "T-1",
            },
        )
    )
    assert "must be approved before it is paid" in response.text
    assert _rows(grant.id)[0].status == S.REQUESTED


@pytest.mark.parametrize(
    "paid_on, reference, message",
    [
        ("", "T-1", "Enter the payment date"),
        ("not-a-date", "T-1", "Not a valid date"),
        ((date.today() + timedelta(days=5)).isoformat(), "T-1", "cannot be in the future"),
        (date.today().isoformat(), "", "payment reference"),
    ],
)
def test_bad_payment_input_reopens_the_pay_form(
    db, login_as, grant, requester, approver, paid_on, reference, message
):
    row = factories.make_disbursement(
        grant, requester=requester, approver=approver, status="approved"
    )
    response = login_as(approver, second_factor=True).post(
        f"/grants/disbursements/{row.id}/pay",
        data={f"pay-{row.id}-paid_on": paid_on, f"pay-{row.id}-reference": reference},
    )
    assert response.status_code == 422 and message in response.text
    assert re.search(r'<details class="grant-action" open>', response.text)
    assert _rows(grant.id)[0].status == S.APPROVED


def test_cancel_and_correct_over_http(db, login_as, grant, requester, approver):
    pending = factories.make_disbursement(grant, requester=requester)
    paid = factories.make_disbursement(
        grant, amount_cents=500_000, requester=requester, approver=approver, status="paid"
    )
    client = login_as(approver, second_factor=True)
    response = client.post(
        f"/grants/disbursements/{pending.id}/cancel", data={f"cancel-{pending.id}-reason": ""}
    )
    assert response.status_code == 422 and "Say why" in response.text
    response = client.post(
        f"/grants/disbursements/{pending.id}/cancel",
        data={f"cancel-{pending.id}-reason": "Duplicate"},
    )
    assert response.status_code == 302
    response = refused(
        client.post(
            f"/grants/disbursements/{paid.id}/cancel", data={f"cancel-{paid.id}-reason": "Oops"}
        )
    )
    assert "record a correction" in response.text.lower()

    prefix = f"correct-{paid.id}-"
    response = client.post(
        f"/grants/disbursements/{paid.id}/correct",
        data={
            prefix + "amount": "6000",
            prefix + "reason": "Too much",
            prefix + "idempotency_key": new_key(),
        },
    )
    assert response.status_code == 422 and "cannot reverse more" in response.text
    key = new_key()
    for _ in range(2):
        response = client.post(
            f"/grants/disbursements/{paid.id}/correct",
            data={
                prefix + "amount": "1000",
                prefix + "reason": "Bank fee refunded",
                prefix + "idempotency_key": key,
            },
        )
        assert response.status_code == 302
    rows = _rows(grant.id)
    assert [r.status for r in rows] == [S.CANCELLED, S.PAID, S.PAID]
    assert rows[2].amount_cents == -100_000 and rows[1].amount_cents == 500_000
    assert db.session.get(Grant, grant.id).committed_cents == 400_000


def test_changing_the_grant_amount_over_http(db, login_as, grant, requester):
    factories.make_disbursement(grant, amount_cents=1_500_000, requester=requester)
    client = login_as(requester)
    response = client.post(
        f"/grants/{grant.id}/amount", data={"grant-amount": "14000", "grant-reason": "Cut"}
    )
    assert response.status_code == 409 and "cannot be less than" in response.text
    response = client.post(
        f"/grants/{grant.id}/amount", data={"grant-amount": "25000", "grant-reason": ""}
    )
    assert response.status_code == 422 and "Say why" in response.text
    response = client.post(
        f"/grants/{grant.id}/amount", data={"grant-amount": "25,000", "grant-reason": "Top-up"}
    )
    assert response.status_code == 302
    assert db.session.get(Grant, grant.id).amount_cents == 2_500_000


def test_page_totals_match_the_ledger(db, login_as, grant, requester, approver):
    factories.make_disbursement(
        grant, amount_cents=1_000_000, requester=requester, approver=approver, status="paid"
    )
    factories.make_disbursement(
        grant,
        amount_cents=200_000,
        requester=requester,
        approver=approver,
        status="approved",
        tranche="midpoint",
    )
    factories.make_disbursement(grant, amount_cents=50_000, requester=requester, tranche="midpoint")
    factories.make_disbursement(grant, amount_cents=70_000, requester=requester, status="cancelled")
    html = login_as(approver, second_factor=True).get(f"/grants/{grant.id}").text
    totals = re.findall(r'data-total="(\d)">([^<]+)<', html)
    assert [value for _, value in totals] == [
        "$20,000.00",
        "$500.00",
        "$2,000.00",
        "$10,000.00",
        "$700.00",
        "$7,500.00",
    ]


# --- founders ---------------------------------------------------------------------------------


def test_the_founder_sees_their_grant_paid_and_what_is_next(
    db, login_as, grant, requester, approver, grant_founder
):
    factories.make_disbursement(
        grant,
        amount_cents=1_000_000,
        requester=requester,
        approver=approver,
        status="paid",
        reference="SEPA-77",
    )
    client = login_as(grant_founder)
    assert client.get("/grants/mine").headers["Location"].endswith(f"/grants/{grant.id}")
    html = client.get(f"/grants/{grant.id}").text
    assert "Your grant" in html and "SEPA-77" in html and "$10,000.00" in html
    assert "Mid-program milestone" in html and "What is next" in html
    assert "/approve" not in html and "Request a disbursement" not in html
    assert "Your grant" in client.get("/").text  # home panel


def test_a_founders_grants_are_read_newest_first_in_one_statement(
    app, db, grant, grant_founder, count_queries
):
    from accelerator.applications.queries import founder_startup_id
    from accelerator.grants import queries

    older = factories.make_cohort(phase="completed")
    startup_id = founder_startup_id(grant_founder)
    startup = db.session.get(Startup, startup_id)
    enrollment = factories.make_enrollment(cohort=older, startup=startup)
    db.session.add(Grant(enrollment_id=enrollment.id, amount_cents=100, currency="EUR"))
    db.session.flush()
    with app.test_request_context():
        founder_startup_id(grant_founder)
        with count_queries() as counter:
            contexts = queries.founder_grants(grant_founder)
    assert counter.count == 1
    assert [c.grant.id for c in contexts] == [
        c.grant.id for c in queries.startup_grants(startup_id)
    ]
    assert contexts[0].grant.id == grant.id and contexts[1].cohort.id == older.id


def test_founders_never_see_another_startups_grant(db, login_as, grant):
    stranger = factories.make_user(role="founder")
    factories.make_startup(founders=[stranger])
    client = login_as(stranger)
    assert client.get(f"/grants/{grant.id}").status_code == 404
    assert client.get("/grants/mine").status_code == 200  # an empty state, not an error
    assert client.get(f"/grants/{grant.id + 999}").status_code == 404


def test_founders_and_mentors_reach_no_action(
    db, login_as, grant, requester, grant_founder, mentor
):
    row = factories.make_disbursement(grant, requester=requester)
    before = snapshot(grant.id)
    for user in (grant_founder, mentor):
        client = login_as(user)
        for url, data in [
            (
                f"/grants/{grant.id}/disbursements",
                {"tranche": "kickoff", "amount": "1", "idempotency_key": new_key()},
            ),
            (f"/grants/disbursements/{row.id}/approve", {"seen_amount_cents": "100000"}),
            (f"/grants/disbursements/{row.id}/cancel", {f"cancel-{row.id}-reason": "x"}),
            (f"/grants/{grant.id}/amount", {"grant-amount": "1", "grant-reason": "x"}),
        ]:
            assert client.post(url, data=data).status_code == 403
    assert snapshot(grant.id) == before


def test_staff_list_filters_by_cohort(db, login_as, grant, staff):
    other = factories.make_grant()
    client = login_as(staff)
    html = client.get("/grants/").text
    assert db.session.scalar(select(func.count(Grant.id))) == 2
    assert f'/grants/{grant.id}"' in html and f'/grants/{other.id}"' in html
    cohort_id = db.session.get(Enrollment, other.enrollment_id).cohort_id
    html = client.get(f"/grants/?cohort={cohort_id}").text
    assert f'/grants/{other.id}"' in html and f'/grants/{grant.id}"' not in html
    assert client.get("/grants/?cohort=abc&program=-1&page=999").status_code == 200


def test_the_list_is_kept_until_a_grant_or_its_ledger_changes(
    db, login_as, grant, requester, staff, admin, count_queries
):
    """Kept as rendered for every staff member asking the same (core.cache.kept_body): a second
    view reads nothing but its user, and a change committed in between shows on the next."""
    db.session.commit()
    client = login_as(staff)
    first = client.get("/grants/").text
    with count_queries() as counter:
        again = client.get("/grants/").text
    assert unsigned(again) == unsigned(first)
    assert counter.count <= 2  # the session's user, nothing of the list
    assert "to approve" not in first
    # A new grant (a new startup), a request on the ledger, a renamed startup: each shows.
    other = factories.make_grant(startup=factories.make_startup(name="Société Éclair"))
    db.session.commit()
    assert f'/grants/{other.id}">Société Éclair</a>' in client.get("/grants/").text
    factories.make_disbursement(grant, amount_cents=123_400, requester=requester)
    db.session.commit()
    assert "to approve" in client.get("/grants/").text
    db.session.get(
        Startup, db.session.get(Enrollment, grant.enrollment_id).startup_id
    ).name = "Ondine Océan"
    db.session.commit()
    assert "Ondine Océan</a>" in client.get("/grants/").text
    # A cohort's page is its own, and an admin sees the same rows.
    cohort_id = db.session.get(Enrollment, other.enrollment_id).cohort_id
    html = client.get(f"/grants/?cohort={cohort_id}").text
    assert "Société Éclair" in html and "Ondine Océan" not in html
    assert "Ondine Océan</a>" in login_as(admin).get("/grants/").text


def test_the_grant_page_is_kept_with_each_viewers_approve_button_and_keys(
    db, login_as, grant, requester, approver, count_queries
):
    """Kept as rendered for staff (core.cache.kept_body with forms): a second view reads no
    ledger, yet the four-eyes rule still holds per viewer, every view carries one-time form keys
    of its own (a kept key shared by two people would make the second request a "double-click"),
    and a change committed in between shows on the next view."""
    row = factories.make_disbursement(grant, amount_cents=123_400, requester=requester)
    db.session.commit()
    url, approve = f"/grants/{grant.id}", f"/grants/disbursements/{row.id}/approve"
    client = login_as(approver, second_factor=True)
    db.session.commit()  # the approver's second factor, enrolled for the test
    first = client.get(url).text
    with count_queries() as counter:
        again = client.get(url).text
    assert approve in first and approve in again
    assert not any("disbursements.kind" in s for s in counter.statements)  # no ledger read
    assert counter.count <= 5
    assert "fresh-hole" not in first + again and "csrf-hole" not in first + again
    assert _key(first) != _key(again)  # each view its own key
    # The one who requested it sees no Approve button, from the same kept page.
    mine = login_as(requester).get(url).text
    assert approve not in mine and "another staff member approves" in mine
    assert approve in login_as(approver, second_factor=True).get(url).text
    # Two requests from two views of the kept page are two rows, not one "double-click".
    keys = [_key(login_as(requester).get(url).text) for _ in range(2)]
    for key in keys:
        data = {"tranche": "kickoff", "amount": "100", "idempotency_key": key}
        assert login_as(requester).post(f"{url}/disbursements", data=data).status_code == 302
    assert len(_rows(grant.id)) == 3
    # A renamed startup, a new row: each shows on the next view.
    db.session.get(
        Startup, db.session.get(Enrollment, grant.enrollment_id).startup_id
    ).name = "Société Éclair"
    db.session.commit()
    page = login_as(approver, second_factor=True).get(url).text
    assert "Grant of Société Éclair" in page
    assert all(f'id="d{r.id}"' in page for r in _rows(grant.id))


def test_staff_home_lists_what_i_can_approve(db, login_as, grant, requester, approver):
    row = factories.make_disbursement(grant, amount_cents=123_400, requester=requester)
    assert f"/grants/{grant.id}#d{row.id}" in login_as(approver, second_factor=True).get("/").text
    mine = login_as(requester).get("/").text
    assert f"#d{row.id}" not in mine  # nothing for me to approve: no panel


def test_cohort_page_panel_sums_the_cohort(db, login_as, grant, requester, approver, staff):
    factories.make_disbursement(
        grant, amount_cents=1_000_000, status="paid", requester=requester, approver=approver
    )
    cohort_id = db.session.get(Enrollment, grant.enrollment_id).cohort_id
    html = login_as(staff).get(f"/cohorts/{cohort_id}").text
    assert "1 grant, $20,000.00 in all: $10,000.00 paid" in html
    assert f"/grants/?cohort={cohort_id}" in html


def test_a_french_page_prefills_french_amounts_that_post_back_exactly(
    db, login_as, grant, requester
):
    client = login_as(requester)
    french = {"Accept-Language": "fr-FR,fr;q=0.9"}
    html = client.get(f"/grants/{grant.id}", headers=french).text
    assert 'value="10 000"' in html and 'value="10,000"' not in html
    data = {"tranche": "kickoff", "amount": "10 000", "idempotency_key": _key(html)}
    response = client.post(f"/grants/{grant.id}/disbursements", data=data, headers=french)
    assert response.status_code == 302
    assert [row.amount_cents for row in _rows(grant.id)] == [1_000_000]
