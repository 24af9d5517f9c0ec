"""The partner's side over HTTP: their home (their unit, introductions awaiting them, open
requests, pilots and decisions due), the startups directory (running and completed cohorts,
search that folds case, filters, pages), a startup's public profile with "ask to meet" and the
deck only when shared; and that a partner reaches nothing else of a startup."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accelerator.applications.models import Application, Stage, startup_needs
from accelerator.extensions import db
from accelerator.pilots import directory
from accelerator.pilots.models import PartnerProfile
from accelerator.programs.models import Enrollment
from tests import factories
from tests.pages import visible_text


def enrolled(pair, name: str, **fields):
    """A startup of the pair's (running) cohort."""
    startup = factories.make_startup(name=name, **fields)
    factories.make_enrollment(cohort=pair.cohort, startup=startup)
    return startup


def share(startup, *, one_liner: str = "", deck: bool = True) -> None:
    db.session.add(PartnerProfile(startup_id=startup.id, one_liner=one_liner, share_deck=deck))
    db.session.flush()


def with_deck(startup) -> None:
    application_id = db.session.scalar(
        select(Enrollment.application_id).where(Enrollment.startup_id == startup.id)
    )
    db.session.get(Application, application_id).pitch_deck_id = factories.make_deck().id
    db.session.flush()


def overdue_pilot(pair, unit_name: str = "unit"):
    return factories.make_pilot(
        status="running",
        introduction=factories.make_introduction(
            unit=pair.unit,
            startup=enrolled(pair, f"Overdue {unit_name}"),
            cohort=pair.cohort,
            status="accepted",
        ),
        actor=pair.staff,
        owner=pair.partner,
        starts_on=date.today() - timedelta(days=60),
        ends_on=date.today() - timedelta(days=20),
        decision_on=date.today() - timedelta(days=10),
    )


# --- The partner's home ----------------------------------------------------------------------


def test_the_partners_home_shows_their_unit_its_introductions_and_pilots(db, pair, login_as):
    awaiting = factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="forwarded"
    )
    waiting_staff = factories.make_introduction(
        unit=pair.unit, startup=enrolled(pair, "Zèbre Énergie"), cohort=pair.cohort
    )
    late = overdue_pilot(pair)
    on_time = factories.make_pilot(
        status="running",
        introduction=factories.make_introduction(
            unit=pair.unit, startup=enrolled(pair, "Onde"), cohort=pair.cohort, status="accepted"
        ),
        actor=pair.staff,
        owner=pair.partner,
    )
    elsewhere = factories.make_introduction(  # another unit's: never on this home
        unit=factories.make_unit(cohort=pair.cohort, name="Orange Wholesale"),
        startup=pair.startup,
        cohort=pair.cohort,
        status="forwarded",
    )
    home = login_as(pair.partner).get("/")
    assert home.status_code == 200
    html = home.text
    assert "Hello, Paula Partner" in html
    assert f'href="/pilots/units/{pair.unit.id}"' in html and "Orange Bank" in html
    assert 'href="/pilots/startups"' in html
    awaiting_card = html[html.index("partner-awaiting") : html.index("partner-open")]
    assert f'data-introduction="{awaiting.id}"' in awaiting_card
    assert "Société Éclair" in awaiting_card
    open_card = html[html.index("partner-open") : html.index("partner-decisions-due")]
    assert f'data-introduction="{waiting_staff.id}"' in open_card
    assert f'data-introduction="{elsewhere.id}"' not in html
    due = html[html.index("partner-decisions-due") : html.index("partner-pilots")]
    assert due.index(f'data-pilot="{late.id}"') < due.index(f'data-pilot="{on_time.id}"')
    assert re.search(rf'data-pilot="{late.id}"[^>]*data-overdue', due)
    assert not re.search(rf'data-pilot="{on_time.id}"[^>]*data-overdue', due)
    pilots = html[html.index("partner-pilots") :]
    assert 'data-status="running"' in pilots and "Running: 2" in visible_text(pilots)


def test_an_accepted_introduction_without_a_pilot_waits_on_the_partners_home(db, pair, login_as):
    ready = factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="accepted"
    )
    html = login_as(pair.partner).get("/").text
    card = html[html.index("partner-scope") : html.index("partner-decisions-due")]
    assert f'data-introduction="{ready.id}"' in card
    assert f'href="/pilots/introductions/{ready.id}/pilot/new"' in card
    factories.make_pilot(introduction=ready, actor=pair.staff, owner=pair.partner)
    assert "partner-scope" not in login_as(pair.partner).get("/").text


def test_a_partner_without_a_unit_is_told_to_ask_staff(db, login_as):
    home = login_as(factories.make_user(role="partner", name="Nina Nouvelle")).get("/")
    assert home.status_code == 200
    assert "Ask program staff to add you to your business unit" in home.text
    assert 'href="/pilots/startups"' not in home.text


def test_the_partners_home_stays_flat_in_statements(db, pair, login_as, count_queries):
    client = login_as(pair.partner)
    client.get("/")

    def counted() -> int:
        with count_queries() as counter:
            assert client.get("/").status_code == 200
        return counter.count

    before = counted()
    for n in range(6):
        startup = enrolled(pair, f"Flat {n}")
        factories.make_introduction(
            unit=pair.unit, startup=startup, cohort=pair.cohort, status="forwarded"
        )
        factories.make_pilot(
            status="running",
            introduction=factories.make_introduction(
                unit=factories.make_unit(cohort=pair.cohort) if n % 2 else pair.unit,
                startup=startup,
                cohort=pair.cohort,
                status="accepted",
            ),
            actor=pair.staff,
            owner=pair.partner if n % 2 == 0 else None,
        )
    assert counted() == before


def test_the_unit_card_is_kept_for_every_partner_of_the_unit(db, pair, login_as, count_queries):
    """The card of the unit is the same for its partners (pilots.panels.partner_home): kept as
    rendered, a second partner's view reads no introduction or pilot; the greeting stays
    theirs; another unit's partner never gets it; a committed change shows on the next view."""
    awaiting = factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="forwarded"
    )
    db.session.commit()
    first = login_as(pair.partner).get("/").text
    with count_queries() as counter:
        second = login_as(pair.other_partner).get("/").text
    assert not any("FROM introductions" in s or "FROM pilots" in s for s in counter.statements)
    assert counter.count <= 3, counter.statements
    assert "Hello, Paula Partner" in first and "Hello, Pierre Partner" in second
    assert (
        f'data-introduction="{awaiting.id}"' in first
        and f'data-introduction="{awaiting.id}"' in second
    )
    stranger = factories.make_partner(
        factories.make_unit(cohort=pair.cohort, name="Orange Wholesale"), name="Olga Autre"
    )
    db.session.commit()
    theirs = login_as(stranger).get("/").text
    assert "Orange Wholesale" in theirs and f'data-introduction="{awaiting.id}"' not in theirs
    newcomer = factories.make_introduction(
        unit=pair.unit, startup=enrolled(pair, "Zèbre Énergie"), cohort=pair.cohort
    )
    db.session.commit()
    page = login_as(pair.other_partner).get("/").text
    assert f'data-introduction="{newcomer.id}"' in page and "Zèbre Énergie" in page


# --- The startups directory ------------------------------------------------------------------


def test_the_directory_lists_started_cohorts_only(db, pair, login_as):
    upcoming = factories.make_startup(name="Pas Encore")
    factories.make_enrollment(cohort=factories.make_cohort(phase="reviewing"), startup=upcoming)
    done = factories.make_startup(name="Déjà Finie")
    factories.make_enrollment(cohort=factories.make_cohort(phase="completed"), startup=done)
    applicant = factories.make_startup(name="Candidate Only")
    factories.make_application(startup=applicant)
    page = login_as(pair.partner).get("/pilots/startups")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Société Éclair" in text and "Déjà Finie" in text
    assert "Pas Encore" not in text and "Candidate Only" not in text
    assert f'href="/pilots/startups/{pair.startup.id}"' in page.text


@pytest.mark.parametrize("typed", ["SOCIÉTÉ", "éclair", "société éclair", "  Société  "])
def test_search_by_name_folds_case_and_keeps_accents(db, pair, login_as, typed):
    enrolled(pair, "Orange Juice Labs")
    page = login_as(pair.partner).get("/pilots/startups", query_string={"q": typed})
    text = visible_text(page.text)
    assert "Société Éclair" in text and "Orange Juice Labs" not in text


def test_search_with_like_wildcards_finds_only_what_is_typed(db, pair, login_as):
    enrolled(pair, "100% Data")
    page = login_as(pair.partner).get("/pilots/startups", query_string={"q": "%"})
    text = visible_text(page.text)
    assert "100% Data" in text and "Société Éclair" not in text


def test_filters_by_sector_and_stage_and_junk_is_ignored(db, pair, login_as):
    enrolled(pair, "Agri Bot", sector="Agritech", stage=Stage.SERIES_A)
    client = login_as(pair.partner)
    page = client.get("/pilots/startups", query_string={"sector": "Agritech"})
    assert "Agri Bot" in page.text and "Société Éclair" not in page.text
    page = client.get("/pilots/startups", query_string={"stage": "series_a"})
    assert "Agri Bot" in page.text and "Société Éclair" not in page.text
    page = client.get("/pilots/startups", query_string={"stage": "mega", "sector": "<b>x</b>"})
    assert page.status_code == 200
    assert "Agri Bot" in page.text and "Société Éclair" in page.text
    empty = client.get("/pilots/startups", query_string={"q": "zzz"})
    assert "No startup matches these filters." in empty.text


def test_the_directory_is_paginated(db, pair, login_as, monkeypatch):
    monkeypatch.setattr(directory, "DIRECTORY_PAGE", 2)
    for name in ("Alpha", "Bêta", "Gamma"):
        enrolled(pair, name)
    client = login_as(pair.partner)
    first = visible_text(client.get("/pilots/startups").text)
    assert "Alpha" in first and "Bêta" in first and "Gamma" not in first
    assert "Page 1 of 2" in first
    second = visible_text(client.get("/pilots/startups?page=2").text)
    assert "Gamma" in second and "Société Éclair" in second and "Alpha" not in second


def test_who_may_open_the_directory(db, pair, login_as):
    assert login_as(pair.staff).get("/pilots/startups").status_code == 200
    assert login_as(pair.founder).get("/pilots/startups").status_code == 403
    assert login_as(pair.mentor).get("/pilots/startups").status_code == 403
    assert login_as(factories.make_user(role="partner")).get("/pilots/startups").status_code == 403
    assert login_as(None).get("/pilots/startups").status_code == 302


# --- The public profile and the deck ---------------------------------------------------------


def test_the_public_profile_shows_what_partners_may_see(db, pair, login_as):
    tag = factories.make_tag("Cybersécurité")
    db.session.execute(startup_needs.insert().values(startup_id=pair.startup.id, tag_id=tag.id))
    pair.startup.website = "https://eclair.example"
    share(pair.startup, one_liner="La fraude, vue tôt.", deck=False)
    with_deck(pair.startup)
    page = login_as(pair.partner).get(f"/pilots/startups/{pair.startup.id}")
    assert page.status_code == 200
    text = visible_text(page.text)
    for shown in (
        "Société Éclair",
        "La fraude, vue tôt.",
        "We make networks smarter.",
        "Telecom",
        "Seed",
        "Cybersécurité",
        "https://eclair.example",
        pair.cohort.name,
    ):
        assert shown in text, shown
    assert "Not shared" in text and "/deck" not in page.text
    founder_email = pair.founder.email
    assert founder_email not in page.text and "Fay Founder" not in text


def test_the_deck_only_while_the_founders_share_it(db, pair, login_as):
    with_deck(pair.startup)
    client = login_as(pair.partner)
    url = f"/pilots/startups/{pair.startup.id}/deck"
    assert client.get(url).status_code == 404  # no profile: nothing shared
    share(pair.startup, deck=True)
    page = client.get(f"/pilots/startups/{pair.startup.id}")
    assert f'href="{url}"' in page.text
    deck = client.get(url)
    assert deck.status_code == 200 and deck.data.startswith(b"%PDF-")
    assert "attachment" in deck.headers["Content-Disposition"]
    assert "Societe_Eclair-pitch-deck.pdf" in deck.headers["Content-Disposition"]
    db.session.get(PartnerProfile, pair.startup.id).share_deck = False
    db.session.flush()
    assert client.get(url).status_code == 404


def test_no_deck_on_file_is_404_even_when_shared(db, pair, login_as):
    share(pair.startup, deck=True)
    client = login_as(pair.partner)
    assert client.get(f"/pilots/startups/{pair.startup.id}/deck").status_code == 404
    assert "No deck on file" in client.get(f"/pilots/startups/{pair.startup.id}").text


def test_who_may_open_a_public_profile(db, pair, login_as):
    url = f"/pilots/startups/{pair.startup.id}"
    founder_page = login_as(pair.founder).get(url)
    assert founder_page.status_code == 200
    assert "This is what business-unit partners see" in founder_page.text
    assert 'id="ask-form"' not in founder_page.text
    assert login_as(pair.staff).get(url).status_code == 200
    assert login_as(factories.make_user(role="founder")).get(url).status_code == 404
    assert login_as(pair.mentor).get(url).status_code == 403
    assert login_as(factories.make_user(role="partner")).get(url).status_code == 404  # no unit
    upcoming = factories.make_startup(name="Pas Encore")
    factories.make_enrollment(cohort=factories.make_cohort(phase="reviewing"), startup=upcoming)
    for where in ("", "/deck", "/introductions/new"):
        response = login_as(pair.partner).get(f"/pilots/startups/{upcoming.id}{where}")
        assert response.status_code == 404, where


def test_ask_to_meet_from_the_profile_then_see_the_open_request(db, pair, login_as):
    client = login_as(pair.partner)
    url = f"/pilots/startups/{pair.startup.id}"
    page = client.get(url)
    assert 'id="ask-form"' in page.text
    assert f'action="/pilots/startups/{pair.startup.id}/introductions/new"' in page.text
    response = client.post(
        f"{url}/introductions/new",
        data={"business_unit": pair.unit.id, "startup": pair.startup.id, "reason": "Fraude PME"},
    )
    assert response.status_code == 302
    page = client.get(url)
    assert 'id="ask-form"' not in page.text
    assert "already has an open request" in page.text


def test_a_startup_of_another_program_cannot_be_asked_from_the_profile(db, pair, login_as):
    other = factories.make_startup(name="Ailleurs")
    factories.make_enrollment(startup=other)  # a running cohort of another program
    page = login_as(pair.partner).get(f"/pilots/startups/{other.id}")
    assert page.status_code == 200
    assert 'id="ask-form"' not in page.text and "not in a cohort of Orange Bank" in page.text


# --- Nothing else of a startup ---------------------------------------------------------------


def test_a_partner_reaches_nothing_else_of_a_startup(db, pair, login_as):
    from accelerator.grants.models import Grant
    from accelerator.milestones.models import Milestone

    enrollment = factories.make_enrolled(cohort=pair.cohort)
    startup_id = enrollment.startup_id
    grant = db.session.scalar(select(Grant).where(Grant.enrollment_id == enrollment.id))
    checkin = factories.make_checkin(enrollment, date.today() - timedelta(days=7))
    milestone = db.session.scalar(
        select(Milestone).where(Milestone.enrollment_id == enrollment.id).limit(1)
    )
    application_id = enrollment.application_id
    db.session.get(Application, application_id).pitch_deck_id = factories.make_deck().id
    db.session.flush()
    client = login_as(pair.partner)
    assert client.get(f"/pilots/startups/{startup_id}").status_code == 200  # the public face
    refused = {
        f"/reports/startups/{startup_id}": 403,
        f"/reports/startups/{startup_id}/history": 403,
        f"/reports/startups/{startup_id}/kpis.json": 403,
        f"/applications/{application_id}": 404,
        f"/applications/{application_id}/deck": 404,
        f"/reviews/applications/{application_id}": 403,
        f"/reviews/offers/{application_id}": 403,
        f"/grants/{grant.id}": 403,
        "/grants/mine": 403,
        f"/milestones/enrollments/{enrollment.id}": 403,
        f"/milestones/{milestone.id}": 403,
        f"/checkins/{checkin.id}": 403,
        "/mentoring/sessions": 403,
        "/mentoring/mentors": 403,
        f"/pilots/startups/{startup_id}/deck": 404,  # not shared
    }
    answers = {url: client.get(url).status_code for url in refused}
    assert answers == refused
