"""Introductions over HTTP: asking (founder, mentor, staff, partner), the introduction page with
exactly the acts the reader may take, forward / decline / accept / withdraw, refusals (403, 404,
409 with the message, 422 beside the field with what was typed kept), mail and history; the
founder's home card and "What business units see"."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accelerator.core.models import OutboxEmail
from accelerator.extensions import db
from accelerator.pilots.models import Introduction, IntroductionStatus, PartnerProfile, Side
from tests import factories
from tests.pages import visible_text

IS = IntroductionStatus
REASON = "Leur scoring de fraude sert l'offre PME d'Orange Bank."


def mailed(email: str) -> list[str]:
    return list(db.session.scalars(select(OutboxEmail.subject).where(OutboxEmail.to == email)))


def beside(html: str, field_id: str, message: str) -> bool:
    """Whether `message` is shown right after the field `field_id` (its error)."""
    at = html.find(f'id="{field_id}"')
    return at >= 0 and message in html[at : at + 1200]


def ask_url(startup) -> str:
    return f"/pilots/startups/{startup.id}/introductions/new"


def page_url(intro) -> str:
    return f"/pilots/introductions/{intro.id}"


def the_introduction(pair) -> Introduction:
    db.session.expire_all()
    return db.session.scalars(
        select(Introduction)
        .where(Introduction.startup_id == pair.startup.id)
        .order_by(Introduction.id.desc())
    ).first()


def ask(client, pair, reason=REASON, **extra):
    return client.post(
        ask_url(pair.startup), data={"business_unit": pair.unit.id, "reason": reason, **extra}
    )


def acts(html: str) -> set[str]:
    """The acts the page offers, by the form each posts to."""
    return set(re.findall(r'action="/pilots/introductions/\d+/(\w+)"', html))


def follow(client, response):
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"])


# --- The whole flows -------------------------------------------------------------------------


def test_founder_asks_staff_forward_the_partner_accepts(db, pair, login_as):
    client = login_as(pair.founder)
    form = client.get(ask_url(pair.startup))
    assert form.status_code == 200
    assert "Orange Bank" in form.text and 'name="startup" value="' in form.text
    page = follow(client, ask(client, pair))
    intro = the_introduction(pair)
    assert intro.status == IS.REQUESTED and intro.asked_by_side == Side.STARTUP
    assert intro.asked_by_id == pair.founder.id
    assert "sent to program staff" in page.text
    text = visible_text(page.text)
    assert "Asked by Fay Founder for the startup" in text and REASON in text
    assert "Waiting for program staff to forward it to Orange Bank" in text
    assert acts(page.text) == {"withdraw"}
    assert mailed(pair.staff.email) and not mailed(pair.partner.email)

    client = login_as(pair.staff)
    page = client.get(page_url(intro))
    assert acts(page.text) == {"forward", "decline", "withdraw"}
    page = follow(client, client.post(page_url(intro) + "/forward"))
    assert "Introduction forwarded" in page.text
    assert any("to answer" in subject for subject in mailed(pair.partner.email))

    client = login_as(pair.partner)
    page = client.get(page_url(intro))
    assert acts(page.text) == {"accept", "decline"}
    assert "Scope a pilot" not in page.text
    page = follow(
        client, client.post(page_url(intro) + "/accept", data={"accept-note": "Mardi, 10 h ?"})
    )
    intro = the_introduction(pair)
    assert intro.status == IS.ACCEPTED and intro.answered_by_id == pair.partner.id
    text = visible_text(page.text)
    assert "Accepted by Paula Partner" in text and "Mardi, 10 h ?" in text
    assert acts(page.text) == set()
    assert "Scope a pilot" in page.text  # the unit's partners scope the pilot
    assert any("accepted" in subject for subject in mailed(pair.founder.email))
    history = page.text[page.text.index('id="history-heading"') :]
    assert history.count("data-action=") == 3
    assert "Paula Partner accepted the introduction of Société Éclair and Orange Bank" in history

    assert "Scope a pilot" in login_as(pair.staff).get(page_url(intro)).text
    founder_page = login_as(pair.founder).get(page_url(intro)).text
    assert "Scope a pilot" not in founder_page and acts(founder_page) == set()


def test_partner_asks_to_meet_staff_forward_the_founder_accepts(db, pair, login_as):
    client = login_as(pair.partner)
    profile = client.get(f"/pilots/startups/{pair.startup.id}")
    assert profile.status_code == 200 and 'id="ask-form"' in profile.text
    page = follow(client, ask(client, pair, reason="We need fraud scoring for SMEs."))
    intro = the_introduction(pair)
    assert intro.asked_by_side == Side.PARTNER and intro.status == IS.REQUESTED
    assert "Asked by Paula Partner for the business unit" in visible_text(page.text)
    assert acts(page.text) == {"withdraw"}

    client = login_as(pair.staff)
    client.post(page_url(intro) + "/forward")
    assert any("to answer" in subject for subject in mailed(pair.founder.email))

    other = login_as(pair.other_partner).get(page_url(intro))
    assert acts(other.text) == {"withdraw"}  # the same unit asked; the startup answers

    client = login_as(pair.founder)
    page = client.get(page_url(intro))
    assert acts(page.text) == {"accept", "decline"}
    assert "waiting for Société Éclair to answer" in visible_text(page.text)
    follow(client, client.post(page_url(intro) + "/accept", data={}))
    assert the_introduction(pair).status == IS.ACCEPTED
    assert any("accepted" in subject for subject in mailed(pair.partner.email))


def test_a_matched_mentor_asks_on_the_startups_behalf(db, pair, login_as):
    client = login_as(pair.mentor)
    assert client.get(ask_url(pair.startup)).status_code == 200
    follow(client, ask(client, pair))
    intro = the_introduction(pair)
    assert intro.asked_by_id == pair.mentor.id and intro.asked_by_side == Side.STARTUP
    assert mailed(pair.founder.email) and mailed(pair.staff.email)  # the asking side is told
    page = client.get(page_url(intro))
    assert "Asked by Max Mentor for the startup" in visible_text(page.text)
    assert acts(page.text) == {"withdraw"}
    follow(client, client.post(page_url(intro) + "/withdraw", data={"withdraw-reason": ""}))
    assert the_introduction(pair).status == IS.WITHDRAWN


def test_staff_asking_forward_at_once(db, pair, login_as):
    client = login_as(pair.staff)
    page = follow(client, ask(client, pair))
    assert the_introduction(pair).status == IS.FORWARDED
    assert "Orange Bank is asked to answer" in page.text


def test_staff_decline_a_request_with_its_reason(db, pair, login_as):
    intro = factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, asked_by=pair.founder
    )
    client = login_as(pair.staff)
    page = follow(
        client,
        client.post(page_url(intro) + "/decline", data={"decline-reason": "Trop tôt, revenez."}),
    )
    assert the_introduction(pair).status == IS.DECLINED
    assert "Trop tôt, revenez." in page.text
    assert any("declined" in subject for subject in mailed(pair.founder.email))


# --- Refusals --------------------------------------------------------------------------------


def test_a_second_open_request_is_409_beside_the_unit_with_the_reason_kept(db, pair, login_as):
    factories.make_introduction(unit=pair.unit, startup=pair.startup, cohort=pair.cohort)
    client = login_as(pair.founder)
    response = ask(client, pair, reason="Une seconde raison, gardée.")
    assert response.status_code == 409
    assert beside(response.text, "business_unit", "already have an open request")
    assert "Une seconde raison, gardée." in response.text
    assert db.session.scalar(select(db.func.count()).select_from(Introduction)) == 1


def test_a_partners_second_request_is_409_too(db, pair, login_as):
    factories.make_introduction(unit=pair.unit, startup=pair.startup, cohort=pair.cohort)
    response = ask(login_as(pair.partner), pair, reason="Encore nous.")
    assert response.status_code == 409
    assert "already have an open request" in response.text and "Encore nous." in response.text


def test_asking_without_a_reason_is_422_beside_the_field(db, pair, login_as):
    response = ask(login_as(pair.founder), pair, reason="   ")
    assert response.status_code == 422
    assert beside(response.text, "reason", "Say why they should meet.")
    assert the_introduction(pair) is None


def test_asking_for_a_unit_of_another_program_is_refused(db, pair, login_as):
    elsewhere = factories.make_unit(name="Orange Elsewhere")
    response = login_as(pair.founder).post(
        ask_url(pair.startup), data={"business_unit": elsewhere.id, "reason": "Why not"}
    )
    assert response.status_code == 422  # not one of the choices
    assert the_introduction(pair) is None


def test_declining_without_a_reason_is_422_beside_the_field(db, pair, login_as):
    intro = factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="forwarded"
    )
    response = login_as(pair.partner).post(page_url(intro) + "/decline", data={})
    assert response.status_code == 422
    assert beside(response.text, "decline-reason", "Say why.")
    assert re.search(r"<details[^>]*open", response.text)  # the form stays open
    assert the_introduction(pair).status == IS.FORWARDED


def test_a_refused_move_is_409_with_its_message(db, pair, login_as):
    intro = factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="accepted"
    )
    client = login_as(pair.staff)
    response = client.post(page_url(intro) + "/forward")
    assert response.status_code == 409
    assert "already accepted" in response.text
    response = client.post(page_url(intro) + "/decline", data={"decline-reason": "Changed"})
    assert response.status_code == 409 and "already accepted" in response.text


@pytest.mark.parametrize("act", ["forward", "decline", "accept", "withdraw"])
def test_people_outside_the_introduction_get_404(db, pair, login_as, act):
    intro = factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="forwarded"
    )
    other_unit = factories.make_unit(cohort=pair.cohort, name="Orange Wholesale")
    outsiders = [
        factories.make_user(role="founder"),
        factories.make_mentor(name="Unmatched Mentor"),
        factories.make_partner(other_unit),
    ]
    for outsider in outsiders:
        client = login_as(outsider)
        assert client.get(page_url(intro)).status_code == 404
        expected = 403 if act == "forward" else 404  # forwarding is staff's: the role refuses
        assert client.post(f"{page_url(intro)}/{act}", data={}).status_code == expected
    assert the_introduction(pair).status == IS.FORWARDED


def test_the_side_that_did_not_get_asked_cannot_answer(db, pair, login_as):
    intro = factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="forwarded"
    )
    client = login_as(pair.founder)  # the startup asked: the unit answers
    assert client.post(page_url(intro) + "/accept", data={}).status_code == 403
    assert (
        client.post(page_url(intro) + "/decline", data={"decline-reason": "No"}).status_code == 403
    )
    assert login_as(pair.partner).post(page_url(intro) + "/withdraw").status_code == 403
    assert login_as(pair.mentor).post(page_url(intro) + "/accept").status_code == 403
    assert the_introduction(pair).status == IS.FORWARDED


def test_a_partner_cannot_decline_before_staff_forward(db, pair, login_as):
    intro = factories.make_introduction(unit=pair.unit, startup=pair.startup, cohort=pair.cohort)
    client = login_as(pair.partner)
    assert acts(client.get(page_url(intro)).text) == set()
    response = client.post(page_url(intro) + "/decline", data={"decline-reason": "No"})
    assert response.status_code == 403
    assert client.post(page_url(intro) + "/forward").status_code == 403


def test_who_may_open_the_ask_page(db, pair, login_as):
    url = ask_url(pair.startup)
    other_unit = factories.make_unit(cohort=pair.cohort, name="Orange Wholesale")
    assert login_as(factories.make_user(role="founder")).get(url).status_code == 404
    assert login_as(factories.make_mentor(name="Unmatched")).get(url).status_code == 404
    assert login_as(factories.make_user(role="partner")).get(url).status_code == 404  # no unit
    assert login_as(pair.staff).get(url).status_code == 200
    page = login_as(factories.make_partner(other_unit)).get(url)
    assert page.status_code == 200
    assert "Orange Wholesale" in page.text and "Orange Bank" not in page.text  # their own unit
    assert login_as(None).get(url).status_code == 302


def test_a_partner_asks_for_their_own_unit_whatever_is_posted(db, pair, login_as):
    other_unit = factories.make_unit(cohort=pair.cohort, name="Orange Wholesale")
    client = login_as(pair.partner)
    client.post(
        ask_url(pair.startup), data={"business_unit": other_unit.id, "reason": "Pour nous."}
    )
    assert the_introduction(pair).business_unit_id == pair.unit.id


def test_a_startup_in_a_program_without_units_sees_an_empty_state(db, login_as):
    founder = factories.make_user(role="founder")
    startup = factories.make_startup(founders=[founder])
    factories.make_enrollment(startup=startup)
    page = login_as(founder).get(ask_url(startup))
    assert page.status_code == 200
    assert "has no business unit yet" in page.text and 'id="ask-form"' not in page.text


def test_the_page_works_in_french_and_history_reads_as_sentences(db, pair, login_as):
    client = login_as(pair.founder)
    follow(client, ask(client, pair))
    intro = the_introduction(pair)
    client.post("/language", data={"lang-language": "fr"})
    page = client.get(page_url(intro))
    assert page.status_code == 200 and 'lang="fr"' in page.text
    history = visible_text(page.text[page.text.index('id="history-heading"') :])
    assert "Fay Founder" in history and "Société Éclair" in history
    assert "introduction: requested" not in history  # a sentence, never the event's code


# --- The founder's side ----------------------------------------------------------------------


def test_the_founders_home_lists_introductions_and_pilots_overdue_marked(db, pair, login_as):
    intro = factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="forwarded"
    )
    running = factories.make_pilot(
        status="running",
        introduction=factories.make_introduction(
            unit=factories.make_unit(cohort=pair.cohort, name="Orange Cyberdéfense"),
            startup=pair.startup,
            cohort=pair.cohort,
            status="accepted",
        ),
        actor=pair.staff,
        starts_on=date.today() - timedelta(days=60),
        ends_on=date.today() - timedelta(days=20),
        decision_on=date.today() - timedelta(days=10),
    )
    home = login_as(pair.founder).get("/")
    assert home.status_code == 200
    card = home.text[home.text.index("founder-pilots") :]
    assert f'href="/pilots/introductions/{intro.id}"' in card
    assert f'href="/pilots/{running.id}"' in card
    assert re.search(rf'data-pilot="{running.id}"[^>]*data-overdue', card)
    assert "Overdue for decision" in card
    assert f'href="/pilots/startups/{pair.startup.id}/introductions/new"' in card
    assert f'href="/pilots/startups/{pair.startup.id}/profile"' in card


def test_no_card_for_a_founder_without_units_or_introductions(db, login_as):
    founder = factories.make_user(role="founder")
    factories.make_startup(founders=[founder])
    home = login_as(founder).get("/")
    assert home.status_code == 200 and "founder-pilots" not in home.text


def test_the_founder_sets_what_business_units_see(db, pair, login_as):
    url = f"/pilots/startups/{pair.startup.id}/profile"
    client = login_as(pair.founder)
    assert client.get(url).status_code == 200
    page = follow(
        client, client.post(url, data={"one_liner": "La fraude, vue tôt.", "share_deck": "y"})
    )
    profile = db.session.get(PartnerProfile, pair.startup.id)
    assert profile.one_liner == "La fraude, vue tôt." and profile.share_deck
    assert "La fraude, vue tôt." in page.text  # the public profile, as partners see it
    assert "what business-unit partners see" in page.text
    too_long = client.post(url, data={"one_liner": "x" * 161})
    assert too_long.status_code == 422 and 'value="' + "x" * 161 in too_long.text
    assert login_as(pair.staff).get(url).status_code == 200


def test_others_cannot_set_what_business_units_see(db, pair, login_as):
    url = f"/pilots/startups/{pair.startup.id}/profile"
    assert login_as(factories.make_user(role="founder")).get(url).status_code == 404
    assert login_as(pair.mentor).get(url).status_code == 403
    assert login_as(pair.partner).post(url, data={"one_liner": "Hacked"}).status_code == 403
    assert db.session.get(PartnerProfile, pair.startup.id) is None


def test_the_ask_page_may_name_the_unit_to_ask(db, pair, login_as):
    client = login_as(pair.staff)
    page = client.get(ask_url(pair.startup), query_string={"unit": pair.unit.id})
    assert re.search(
        rf'<option selected value="{pair.unit.id}"|value="{pair.unit.id}" selected', page.text
    )
    for junk in ("999999", "abc", "-1", "9" * 40):
        assert client.get(ask_url(pair.startup), query_string={"unit": junk}).status_code == 200
