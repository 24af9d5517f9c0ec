"""A founder's home cards are kept for their startup (site.views): shared by its founders, renewed
by any committed change to what a card reads, and by the clock where a card changes with it
(an offer's deadline, a call closing or opening, the next office hour, a new day)."""

from __future__ import annotations

from datetime import timedelta

from accelerator.core.types import clock_at, utcnow
from tests.sessions.builders import make_pair, make_slot


def _home(client) -> str:
    return client.get("/").get_data(as_text=True)


def _founders_of_eclair(make):
    first = make.make_user(role="founder", name="Anaïs Fondatrice")
    second = make.make_user(role="founder", name="Bruno Cofondateur")
    startup = make.make_startup(name="Société Éclair", founders=[first, second])
    return startup, first, second


def test_the_startups_founders_share_its_kept_cards_with_their_own_greeting(
    db, make, login_as, count_queries
):
    startup, first, second = _founders_of_eclair(make)
    cohort = make.make_cohort(phase="open", name="Printemps 2027")
    make.make_application(cohort=cohort, startup=startup, status="submitted")
    elsewhere = make.make_user(role="founder", name="Chloé Ailleurs")
    make.make_startup(name="Autre Jeune Pousse", founders=[elsewhere])
    db.session.commit()

    client = login_as(first)
    with count_queries() as first_view:
        page = _home(client)
    assert "Hello, Anaïs Fondatrice" in page and "Société Éclair" in page
    assert "Printemps 2027" in page

    client = login_as(second)
    with count_queries() as kept_view:
        page = _home(client)
    assert "Hello, Bruno Cofondateur" in page and "Société Éclair" in page
    assert "Printemps 2027" in page
    # The cards come from the kept rendering: the person and their startup are read, not the
    # cards' tables (the first view read a dozen domains' rows).
    assert kept_view.count <= 4 < first_view.count

    page = _home(login_as(elsewhere))
    assert "Autre Jeune Pousse" in page and "Société Éclair" not in page


def test_a_committed_change_shows_on_the_next_view(db, make, login_as):
    startup, first, _second = _founders_of_eclair(make)
    db.session.commit()
    client = login_as(first)
    assert "Automne 2027" not in _home(client)
    assert "Automne 2027" not in _home(client)
    cohort = make.make_cohort(phase="open", name="Automne 2027")
    make.make_application(cohort=cohort, startup=startup, status="draft")
    db.session.commit()
    assert "Continue your application" in _home(client)


def test_an_offer_reads_past_its_deadline_once_the_deadline_passes(db, make, login_as):
    startup, first, _second = _founders_of_eclair(make)
    cohort = make.make_cohort(phase="reviewing", name="Été 2027")
    application = make.make_application(cohort=cohort, startup=startup, status="in_review")
    make.make_offer(application, days_left=1)
    db.session.commit()
    client = login_as(first)
    assert "You are offered a place in Été 2027" in _home(client)
    assert "You are offered a place in Été 2027" in _home(client)  # kept until the deadline
    with clock_at(utcnow() + timedelta(days=2)):
        page = _home(client)
    assert "You are offered a place" not in page and "past its deadline" in page


def test_open_calls_follow_the_clock_as_calls_close_and_open(db, make, login_as):
    _startup, first, _second = _founders_of_eclair(make)
    now = utcnow()
    make.make_cohort(
        phase="open", name="Ferme bientôt", applications_close_at=now + timedelta(hours=1)
    )
    make.make_cohort(
        phase="upcoming",
        name="Ouvre bientôt",
        applications_open_at=now + timedelta(hours=3),
        applications_close_at=now + timedelta(days=30),
    )
    db.session.commit()
    client = login_as(first)
    page = _home(client)
    assert "Ferme bientôt" in page and "Ouvre bientôt" not in page
    with clock_at(now + timedelta(hours=2)):
        page = _home(client)
    assert "Ferme bientôt" not in page and "Ouvre bientôt" not in page
    with clock_at(now + timedelta(hours=4)):
        page = _home(client)
    assert "Ouvre bientôt" in page


def test_the_next_office_hour_moves_on_once_it_starts(db, make, login_as):
    startup, first, _second = _founders_of_eclair(make)
    mentor = make.make_user(role="mentor", name="Mentor Léa")
    make_pair(mentor=mentor, startup=startup)
    make_slot(mentor, in_hours=1, startup=startup, booker=first).location = "Salle Émeraude"
    make_slot(mentor, in_hours=26, startup=startup, booker=first).location = "Salle Rubis"
    db.session.commit()
    client = login_as(first)
    assert "Salle Émeraude" in _home(client)
    with clock_at(utcnow() + timedelta(hours=2)):
        page = _home(client)
    assert "Salle Rubis" in page and "Salle Émeraude" not in page
