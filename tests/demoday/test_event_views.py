"""The event's pages through HTTP: planning and editing (bad input 422 beside its field, what
was typed kept), the running order's buttons, materials (the pitch kept on a refused deck),
the deck download, publication and the public page, the cards on other pages, and the list's
fixed number of statements."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from accelerator.applications.models import StartupMember
from accelerator.demoday.models import DemoDay, Rsvp, Slot
from accelerator.extensions import db
from accelerator.pilots.models import PartnerProfile
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def event(db, founder):
    """A running cohort (Europe/Paris) with two startups, the founder's first, and its demo day
    on 4 March 2027 at 14:30 Paris time."""
    cohort = factories.make_cohort(phase="running")
    eclair = factories.make_startup(
        name="Société Éclair", founders=[founder], website="eclair.example.fr", sector="Telecom"
    )
    zebre = factories.make_startup(name="Zèbre Mobile")
    for startup in (eclair, zebre):
        factories.make_enrollment(cohort=cohort, startup=startup)
    db.session.add(PartnerProfile(startup_id=eclair.id, one_liner="Smarter networks for all"))
    demo_day = factories.make_demo_day(
        cohort, starts_at=datetime(2027, 3, 4, 13, 30, tzinfo=UTC), pitch_minutes=6
    )
    slots = list(
        db.session.scalars(
            select(Slot).where(Slot.demo_day_id == demo_day.id).order_by(Slot.position)
        )
    )
    return dict(cohort=cohort, demo_day=demo_day, slots=slots, eclair=eclair, zebre=zebre)


FIELDS = {
    "starts_at": "2027-03-04T14:30",
    "venue": "Orange Gardens, Châtillon",
    "online_url": "https://live.example.org/demo",
    "description": "Bienvenue à tous.",
    "pitch_minutes": "5",
    "changeover_minutes": "2",
    "capacity": "150",
    "plus_ones_max": "1",
}


def test_staff_plan_a_demo_day_from_the_cohort_page(login_as, staff):
    cohort = factories.make_cohort(phase="running")
    client = login_as(staff)
    page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert f"/demo-day/cohorts/{cohort.id}/new" in page
    form = client.get(f"/demo-day/cohorts/{cohort.id}/new").get_data(as_text=True)
    assert "Europe/Paris" in form
    response = client.post(f"/demo-day/cohorts/{cohort.id}/new", data=FIELDS)
    assert response.status_code == 302
    demo_day = db.session.scalar(select(DemoDay).where(DemoDay.cohort_id == cohort.id))
    assert demo_day.starts_at == datetime(2027, 3, 4, 13, 30, tzinfo=UTC)
    hub = client.get(response.location).get_data(as_text=True)
    assert "2027-03-04 14:30 CET" in hub and "Orange Gardens, Châtillon" in hub
    assert 'class="nav nav-tabs' in hub  # the hub's tabs other parts extend
    assert f"/demo-day/{demo_day.id}/manage" in client.get(f"/cohorts/{cohort.id}").get_data(
        as_text=True
    )
    listing = client.get("/demo-day/").get_data(as_text=True)
    assert cohort.name in listing and "0 / 150" in listing


def test_bad_input_comes_back_422_beside_its_field_with_what_was_typed(login_as, staff):
    cohort = factories.make_cohort(phase="running")
    client = login_as(staff)
    response = client.post(
        f"/demo-day/cohorts/{cohort.id}/new",
        data={**FIELDS, "online_url": "ftp://nope", "pitch_minutes": "0"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give a web address starting with https://." in page
    assert "Orange Gardens, Châtillon" in page and "ftp://nope" in page
    assert 'id="pitch_minutes"' in page and "invalid-feedback" in page


def test_the_capacity_floor_is_told_beside_the_field(event, login_as, staff):
    demo_day = event["demo_day"]
    factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=1)
    factories.make_guest(demo_day, rsvp=Rsvp.YES, plus_ones=1)
    client = login_as(staff)
    form = client.get(f"/demo-day/{demo_day.id}/edit").get_data(as_text=True)
    assert "2027-03-04T14:30" in form and "Guests already hold 4 seats." in form
    response = client.post(
        f"/demo-day/{demo_day.id}/edit", data={**FIELDS, "capacity": "3", "venue": "Station F"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Guests already hold 4 seats: the capacity cannot be lower." in page
    assert "Station F" in page
    assert db.session.get(DemoDay, demo_day.id).venue != "Station F"
    assert (
        client.post(f"/demo-day/{demo_day.id}/edit", data={**FIELDS, "capacity": "4"}).status_code
        == 302
    )


def test_the_running_order_moves_and_takes_breaks_with_times(event, login_as, staff):
    demo_day, (first, second) = event["demo_day"], event["slots"]
    client = login_as(staff)
    assert client.post(f"/demo-day/slots/{second.id}/up").status_code == 302
    order = [
        s.id
        for s in db.session.scalars(
            select(Slot).where(Slot.demo_day_id == demo_day.id).order_by(Slot.position)
        )
    ]
    assert order == [second.id, first.id]
    response = client.post(
        f"/demo-day/{demo_day.id}/breaks", data={"title": "Café", "minutes": "20", "position": "1"}
    )
    assert response.status_code == 302
    page = client.get(f"/demo-day/{demo_day.id}/manage").get_data(as_text=True)
    page = page[page.index('id="running-order"') :]
    # Zèbre 14:30-14:36, the break 14:36-14:56, Éclair 14:56-15:02 (no changeover by a break).
    assert page.index("Zèbre Mobile") < page.index("Café") < page.index("Société Éclair")
    assert "14:36 CET–14:56 CET" in page and "14:56 CET–15:02 CET" in page
    bad = client.post(
        f"/demo-day/{demo_day.id}/breaks", data={"title": "", "minutes": "500", "position": "1"}
    )
    assert bad.status_code == 422
    assert "Name the break" in bad.get_data(as_text=True)


def test_founders_give_their_materials_and_a_refused_deck_keeps_the_pitch(event, login_as, founder):
    slot = event["slots"][0]
    client = login_as(founder)
    page = client.get(f"/demo-day/slots/{slot.id}/materials").get_data(as_text=True)
    assert "Your slot: 2027-03-04 14:30 CET to 14:36 CET" in page
    pitch = "Société Éclair rend les réseaux plus intelligents."
    refused = client.post(
        f"/demo-day/slots/{slot.id}/materials",
        data={"pitch": pitch, "deck": (io.BytesIO(b"GIF89a"), "deck.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "This file is not a PDF" in text and pitch in text
    too_long = client.post(f"/demo-day/slots/{slot.id}/materials", data={"pitch": "é" * 1201})
    assert too_long.status_code == 422 and "é" * 1201 in too_long.get_data(as_text=True)
    saved = client.post(
        f"/demo-day/slots/{slot.id}/materials",
        data={"pitch": pitch, "deck": (io.BytesIO(PDF), "final.pdf")},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    deck = client.get(f"/demo-day/slots/{slot.id}/deck")
    assert deck.status_code == 200 and deck.data == PDF
    assert "attachment" in deck.headers["Content-Disposition"]
    # The other startup's slot is not theirs.
    assert client.get(f"/demo-day/slots/{event['slots'][1].id}/materials").status_code == 404


def test_the_founder_home_card_names_the_slot_and_what_is_missing(event, login_as, founder):
    demo_day = event["demo_day"]
    client = login_as(founder)
    page = client.get("/").get_data(as_text=True)
    assert "Your pitch: 2027-03-04 14:30 CET to 14:36 CET" in page
    assert "your final deck" in page and "your pitch paragraph" in page
    assert f"/demo-day/slots/{event['slots'][0].id}/materials" in page
    assert '/demo-day/"' not in page  # no staff link in the founder's navigation
    assert demo_day.id


def test_the_public_page_once_published(event, login_as, staff, client):
    demo_day, slot = event["demo_day"], event["slots"][0]
    slot.pitch = "Nous rendons les réseaux plus intelligents."
    db.session.flush()
    url = f"/demo-day/{demo_day.id}"
    assert client.get(url).status_code == 404
    staff_client = login_as(staff)
    preview = staff_client.get(url)
    assert preview.status_code == 200 and "Preview" in preview.get_data(as_text=True)
    assert staff_client.post(f"/demo-day/{demo_day.id}/publish").status_code == 302
    assert 'href="/demo-day/"' in staff_client.get("/").get_data(as_text=True)  # staff nav
    login_as(None)
    page = client.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for expected in (
        "2027-03-04 14:30 CET",
        "Orange Gardens, Châtillon",
        "Société Éclair",
        "Smarter networks for all",
        "Telecom",
        "https://eclair.example.fr",
        "Nous rendons les réseaux plus intelligents.",
        "Zèbre Mobile",
        "14:38 CET–14:44 CET",
    ):
        assert expected in text, expected
    login_as(staff)
    assert client.post(f"/demo-day/{demo_day.id}/unpublish").status_code == 302
    login_as(None)
    assert client.get(url).status_code == 404


def test_the_list_runs_a_fixed_number_of_statements(login_as, staff, count_queries):
    def grow(n):
        for _ in range(n):
            cohort = factories.make_cohort(phase="running")
            for _ in range(2):
                factories.make_enrollment(cohort=cohort)
            factories.make_demo_day(cohort)

    grow(2)
    client = login_as(staff)
    client.get("/demo-day/")
    with count_queries() as small:
        assert client.get("/demo-day/").status_code == 200
    grow(8)
    with count_queries() as large:
        page = client.get("/demo-day/")
    assert page.status_code == 200 and page.get_data(as_text=True).count("data-demo-day=") == 10
    assert large.count == small.count


def test_a_founder_of_another_startup_cannot_read_the_deck(event, login_as):
    slot = event["slots"][0]
    slot.deck_file_id = None
    other = factories.make_user(role="founder")
    db.session.add(StartupMember(startup_id=event["zebre"].id, user_id=other.id))
    db.session.flush()
    assert login_as(other).get(f"/demo-day/slots/{slot.id}/deck").status_code == 404
