"""HTTP tests of the founders' pages: profile, co-founders, apply, drafts, deck, submit, status."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import select

from accelerator.applications.models import Application, ApplicationStatus, Startup
from accelerator.core.models import OutboxEmail
from accelerator.extensions import db
from tests import factories
from tests.factories import COMPLETE_ANSWERS, PDF_BYTES

S = ApplicationStatus
PROFILE_FORM = {
    "name": "Ondine Labs",
    "website": "ondine.example.org",
    "country": "FR",
    "sector": "Telecom & networks",
    "stage": "seed",
    "founded_year": "2021",
    "team_size": "9",
    "description": "Predictive maintenance for fibre networks.",
}
ANSWERS_FORM = {
    "one_liner": COMPLETE_ANSWERS["one_liner"],
    "problem": "P",
    "solution": "S",
    "traction": "T",
    "monthly_revenue_cents": "12,500.50",
    "active_users": "1,800",
    "team": "Two",
    "funding_raised_cents": "500000",
    "currency": "EUR",
    "program_goals": "G",
    "business_unit_asks": "A",
}


def _deck(data: bytes = PDF_BYTES, name: str = "deck.pdf"):
    return (io.BytesIO(data), name)


# Startup profile


def test_a_new_founder_creates_the_profile_and_returns_to_the_call(login_as, founder, cohort):
    client = login_as(founder)
    tag = factories.make_tag("fundraising")
    response = client.get(f"/calls/{cohort.id}/apply")
    assert response.status_code == 302 and "/startup?next=" in response.location
    response = client.post(response.location, data={**PROFILE_FORM, "needs": [str(tag.id)]})
    assert response.status_code == 302 and response.location == f"/calls/{cohort.id}/apply"
    startup = db.session.scalar(select(Startup))
    assert startup.website == "https://ondine.example.org" and startup.country == "FR"
    assert client.get(response.location).status_code == 200


def test_the_profile_form_shows_errors_beside_fields(login_as, founder):
    client = login_as(founder)
    response = client.post(
        "/startup",
        data={
            **PROFILE_FORM,
            "country": "XX",
            "website": "javascript:alert(1)",
            "founded_year": "1492",
            "needs": ["abc"],
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not a valid choice" in page and "Enter a web address" in page
    assert "Number must be between 1900" in page
    assert db.session.scalar(select(Startup)) is None


def test_next_goes_only_to_this_site(login_as, founder):
    response = login_as(founder).post("/startup?next=//evil.example.com/x", data=PROFILE_FORM)
    assert response.location == "/startup"


def test_editing_keeps_the_needs_checked(login_as, founder, startup):
    tag = factories.make_tag("pricing")
    client = login_as(founder)
    client.post("/startup", data={**PROFILE_FORM, "needs": [str(tag.id)]})
    page = client.get("/startup").get_data(as_text=True)
    assert re.search(rf'value="{tag.id}" id="need-{tag.id}" checked', page)


# Co-founders


def test_a_cofounder_is_invited_and_joins_through_the_link(client, login_as, founder, startup):
    login_as(founder).post("/startup/invitations", data={"email": "co@example.com"})
    mail = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == "co@example.com"))
    path = re.search(r"http://localhost(/startup/join/\S+)", mail.body).group(1)
    login_as(None)
    page = client.get(path).get_data(as_text=True)
    assert "Create a founder account" in page and startup.name in page
    cofounder = factories.make_user(role="founder", email="co@example.com")
    login_as(cofounder)
    assert client.post(path).location == "/startup"
    page = client.get("/startup").get_data(as_text=True)
    assert cofounder.email in page and founder.email in page
    assert client.get(path).status_code == 302  # used


def test_invite_errors_show_beside_the_field(login_as, founder, startup):
    response = login_as(founder).post("/startup/invitations", data={"email": "nope"})
    assert response.status_code == 422
    assert "Invalid email address" in response.get_data(as_text=True)


# Applying and drafts


def test_apply_shows_the_form_with_the_deadline_in_program_time(login_as, founder, startup, cohort):
    page = login_as(founder).get(f"/calls/{cohort.id}/apply").get_data(as_text=True)
    local = cohort.applications_close_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    assert f"Deadline: {local:%Y-%m-%d %H:%M} {local.tzname()}" in page
    assert db.session.scalar(select(Application)) is None  # nothing stored until saved


def test_save_draft_creates_the_application_and_comes_back_to_it(
    login_as, founder, startup, cohort
):
    client = login_as(founder)
    response = client.post(f"/calls/{cohort.id}/apply", data={"problem": "Slow", "save": "1"})
    application = db.session.scalar(select(Application))
    assert response.location == f"/applications/{application.id}/edit"
    assert application.problem == "Slow" and application.status == S.DRAFT
    assert client.get(f"/calls/{cohort.id}/apply").location == response.location
    assert "Slow" in client.get(response.location).get_data(as_text=True)


def test_a_bad_number_is_refused_beside_the_field_and_nothing_typed_is_lost(
    login_as, founder, draft
):
    client = login_as(founder)
    response = client.post(
        f"/applications/{draft.id}/edit",
        data={**ANSWERS_FORM, "monthly_revenue_cents": "twelve", "active_users": "-3", "save": "1"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter an amount such as" in page and "Enter a whole number" in page
    assert 'value="twelve"' in page and 'value="-3"' in page  # what was typed is shown again
    db.session.refresh(draft)
    assert draft.problem == "P" and draft.funding_raised_cents == 50_000_000
    assert draft.monthly_revenue_cents is None and draft.active_users is None


def test_money_and_counts_are_parsed(login_as, founder, draft):
    login_as(founder).post(f"/applications/{draft.id}/edit", data={**ANSWERS_FORM, "save": "1"})
    db.session.refresh(draft)
    assert draft.monthly_revenue_cents == 1_250_050 and draft.active_users == 1800
    assert draft.currency == "EUR"


def test_fields_not_posted_keep_their_saved_value(login_as, founder, draft):
    client = login_as(founder)
    client.post(f"/applications/{draft.id}/edit", data={**ANSWERS_FORM, "save": "1"})
    client.post(f"/applications/{draft.id}/edit", data={"problem": "Changed", "save": "1"})
    db.session.refresh(draft)
    assert draft.problem == "Changed" and draft.monthly_revenue_cents == 1_250_050


def test_submit_incomplete_keeps_the_draft_and_marks_what_is_missing(login_as, founder, draft):
    response = login_as(founder).post(
        f"/applications/{draft.id}/edit", data={"problem": "P", "submit": "1"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Needed to submit." in page and "Upload your pitch deck" in page
    db.session.refresh(draft)
    assert draft.status == S.DRAFT and draft.problem == "P"


def test_a_non_pdf_deck_is_refused_and_the_answers_are_still_saved(login_as, founder, draft):
    response = login_as(founder).post(
        f"/applications/{draft.id}/edit",
        data={**ANSWERS_FORM, "pitch_deck": _deck(b"MZ\x90 not a pdf", "deck.pdf"), "save": "1"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "This file is not a PDF" in response.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.problem == "P" and draft.pitch_deck_id is None


def test_a_too_big_deck_is_refused(app, login_as, founder, draft, monkeypatch):
    # (kept small: the test client leaks the temporary file of bodies over 500 KB)
    monkeypatch.setitem(app.config, "PITCH_DECK_MAX_BYTES", 10 * 1024)
    big = PDF_BYTES + b"0" * (10 * 1024)
    response = login_as(founder).post(
        f"/applications/{draft.id}/edit",
        data={"pitch_deck": _deck(big), "save": "1"},
        content_type="multipart/form-data",
    )
    assert "larger than 10 KB" in response.get_data(as_text=True)


def test_the_full_submission(app, login_as, founder, draft):
    client = login_as(founder)
    response = client.post(
        f"/applications/{draft.id}/edit",
        data={**ANSWERS_FORM, "pitch_deck": _deck(), "submit": "1"},
        content_type="multipart/form-data",
    )
    assert response.location == f"/applications/{draft.id}"
    db.session.refresh(draft)
    assert draft.status == S.SUBMITTED and draft.pitch_deck_id
    page = client.get(response.location).get_data(as_text=True)
    assert "Submitted" in page and "Withdraw the application" in page and "Slow" not in page
    assert "Your answers" in page and "€12,500.50" in page
    assert db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == founder.email))
    # The form is read-only now.
    assert client.get(f"/applications/{draft.id}/edit").location == f"/applications/{draft.id}"
    assert (
        client.post(f"/applications/{draft.id}/edit", data={"problem": "late change"}).status_code
        == 302
    )
    db.session.refresh(draft)
    assert draft.problem == "P"


def test_submit_after_the_deadline_is_refused_with_the_deadline(login_as, founder, draft, cohort):
    client = login_as(founder)
    client.post(
        f"/applications/{draft.id}/edit",
        data={**ANSWERS_FORM, "pitch_deck": _deck(), "save": "1"},
        content_type="multipart/form-data",
    )
    cohort.applications_close_at = factories.make_cohort.__globals__["utcnow"]() - timedelta(
        minutes=1
    )
    db.session.flush()
    response = client.post(f"/applications/{draft.id}/edit", data={"submit": "1"})
    page = response.get_data(as_text=True)
    assert "The deadline has passed" in page
    db.session.refresh(draft)
    assert draft.status == S.DRAFT and draft.problem == "P"


def test_withdraw(login_as, founder, startup, cohort):
    application = factories.make_application(cohort=cohort, startup=startup)
    client = login_as(founder)
    client.post(f"/applications/{application.id}/withdraw")
    db.session.refresh(application)
    assert application.status == S.WITHDRAWN
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "You withdrew this application." in page and "Withdraw the application" not in page
    client.post(f"/applications/{application.id}/withdraw")  # a second time: a message, no 500


def test_no_withdraw_button_after_a_decision(login_as, founder, startup, cohort):
    application = factories.make_application(cohort=cohort, startup=startup, status="rejected")
    page = login_as(founder).get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Withdraw the application" not in page and "not selected" in page


# The deck download


def test_the_deck_downloads_as_an_attachment_for_its_founders_and_staff(
    login_as, founder, startup, cohort, staff, mentor
):
    deck = factories.make_deck()
    application = factories.make_application(cohort=cohort, startup=startup, pitch_deck_id=deck.id)
    url = f"/applications/{application.id}/deck"
    for user in (founder, staff):
        response = login_as(user).get(url)
        assert response.status_code == 200 and response.data == PDF_BYTES
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        assert response.headers["Content-Disposition"].endswith('-pitch-deck.pdf"')
    other = factories.make_user(role="founder")
    factories.make_startup(founders=[other])
    assert login_as(other).get(url).status_code == 404
    assert login_as(mentor).get(url).status_code == 404


def test_no_deck_is_a_404(login_as, founder, draft):
    assert login_as(founder).get(f"/applications/{draft.id}/deck").status_code == 404


def test_a_founder_never_sees_another_startups_application(login_as, founder, startup, cohort):
    other = factories.make_user(role="founder")
    theirs = factories.make_application(
        cohort=cohort, startup=factories.make_startup(founders=[other])
    )
    client = login_as(founder)
    for url in (
        f"/applications/{theirs.id}",
        f"/applications/{theirs.id}/edit",
        f"/applications/{theirs.id}/deck",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/applications/{theirs.id}/withdraw").status_code == 404


def test_applying_to_a_closed_call_says_so(login_as, founder, startup):
    closed = factories.make_cohort(phase="reviewing")
    response = login_as(founder).get(f"/calls/{closed.id}/apply")
    assert response.status_code == 302
    draft_cohort = factories.make_cohort(phase="draft")
    assert login_as(founder).get(f"/calls/{draft_cohort.id}/apply").status_code == 404
    assert login_as(founder).get("/calls/999999/apply").status_code == 404


def test_home_shows_the_startup_and_its_applications(login_as, founder, draft):
    page = login_as(founder).get("/").get_data(as_text=True)
    assert "Continue your application" in page


def test_home_invites_a_new_founder_to_create_the_profile(login_as, founder):
    assert "Create your startup profile" in login_as(founder).get("/").get_data(as_text=True)
