"""The pilot pages over HTTP: scoping from an accepted introduction, the pilot page, each move
to a decision, bad input beside its field with what was typed kept, refused moves (409), the
founders' sharing of their figures, and who sees and does what."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from accelerator.extensions import db
from accelerator.pilots.models import Decision, Pilot, PilotCriterion, PilotStatus
from accelerator.programs.models import Enrollment
from tests import factories

PS = PilotStatus
TODAY = date.today()


@pytest.fixture
def intro(pair):
    """An accepted introduction of Société Éclair to Orange Bank, without a pilot yet."""
    return factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="accepted"
    )


def form_data(pair, *, criteria=3, **changes) -> dict:
    data = {
        "title": "Détection de fraude pour les PME",
        "scope_in": "Deux agences régionales, 500 comptes PME.",
        "scope_out": "Les comptes particuliers.",
        "budget": "25,000",
        "currency": "EUR",
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + timedelta(days=60)).isoformat(),
        "decision_on": (TODAY + timedelta(days=75)).isoformat(),
        "owner": str(pair.partner.id),
    }
    for n in range(1, criteria + 1):
        data[f"measure_{n}"] = f"Mesure {n}"
        data[f"target_{n}"] = f"Cible {n}"
    data.update(changes)
    return data


def page(response) -> str:
    return unescape(response.get_data(as_text=True))


def fresh(pilot_id: int) -> Pilot:
    db.session.expire_all()
    return db.session.get(Pilot, pilot_id)


def pilot_of(intro) -> Pilot | None:
    db.session.expire_all()
    return db.session.scalar(select(Pilot).where(Pilot.introduction_id == intro.id))


def error_beside(html: str, field: str, message: str) -> bool:
    """Whether the input named `field` is marked invalid with `message` right after it."""
    start = html.find(f'name="{field}"')
    assert start != -1, f"no field {field}"
    tag = html[html.rfind("<", 0, start) : html.find(">", start)]
    return "is-invalid" in tag and message in html[start : start + 1500]


# --- the whole life through the pages ----------------------------------------------------------


def test_a_pilot_is_scoped_started_decided_and_closed_through_the_pages(pair, intro, login_as):
    client = login_as(pair.partner)
    form = client.get(f"/pilots/introductions/{intro.id}/pilot/new")
    assert form.status_code == 200
    html = page(form)
    assert "Scope a pilot of Société Éclair with Orange Bank" in html
    assert html.count('name="measure_') == 5  # five criterion rows
    assert "Paula Partner" in html and "Pierre Partner" in html  # the unit's partners own it

    response = client.post(f"/pilots/introductions/{intro.id}/pilot/new", data=form_data(pair))
    assert response.status_code == 302
    pilot = pilot_of(intro)
    assert pilot.status == PS.SCOPING and pilot.budget_cents == 2_500_000
    assert response.headers["Location"].endswith(f"/pilots/{pilot.id}")
    assert pilot.owner_id == pair.partner.id

    html = page(client.get(f"/pilots/{pilot.id}"))
    assert "Détection de fraude pour les PME" in html and "Société Éclair" in html
    assert "Mesure 1" in html and "Cible 3" in html and "€25,000.00" in html
    assert f'action="/pilots/{pilot.id}/start"' in html
    assert "/decide" not in html  # no decision before it runs

    assert client.post(f"/pilots/{pilot.id}/start").status_code == 302
    assert fresh(pilot.id).status == PS.RUNNING
    html = page(client.get(f"/pilots/{pilot.id}"))
    assert 'data-pilot-status="running"' in html and "/decide" in html
    assert f'action="/pilots/{pilot.id}/start"' not in html

    client = login_as(pair.staff)
    response = client.post(
        f"/pilots/{pilot.id}/decide",
        data={
            "decide-decision": "go",
            "decide-contract_reference": "PO-2291",
            "decide-contract_value": "120,000",
        },
    )
    assert response.status_code == 302
    pilot = fresh(pilot.id)
    assert pilot.status == PS.DECIDED and pilot.decision == Decision.GO
    assert pilot.contract_value_cents == 12_000_000

    response = client.post(
        f"/pilots/{pilot.id}/close", data={"close-lessons": "Commencer par une seule agence."}
    )
    assert response.status_code == 302
    assert fresh(pilot.id).status == PS.CLOSED

    html = page(client.get(f"/pilots/{pilot.id}"))
    assert "PO-2291" in html and "€120,000.00" in html
    assert "Commencer par une seule agence." in html
    assert "This pilot is over" in html and "/edit" not in html
    # The history, as sentences.
    assert "Paula Partner opened the pilot “Détection de fraude pour les PME”" in html
    assert "Paula Partner started the pilot" in html
    assert "Sam Staff recorded a go for the pilot" in html and "€120,000.00" in html
    assert "Sam Staff closed the pilot" in html


def _intro(pair, unit=None):
    return factories.make_introduction(
        unit=unit or pair.unit, startup=pair.startup, cohort=pair.cohort, status="accepted"
    )


# --- scoping: bad input comes back beside its field, typed values kept -------------------------


@pytest.mark.parametrize(
    "changes,field,message",
    [
        (
            {"ends_on": (TODAY - timedelta(days=1)).isoformat()},
            "ends_on",
            "The pilot cannot end before it starts.",
        ),
        (
            {"decision_on": (TODAY - timedelta(days=3)).isoformat()},
            "decision_on",
            "The decision date cannot be before the pilot starts.",
        ),
        ({"measure_2": ""}, "measure_2", "Say what is measured."),
        ({"target_3": ""}, "target_3", "Give the target to reach."),
        ({"budget": "douze euros"}, "budget", "Enter an amount like 10000 or 10,000.50."),
        ({"title": ""}, "title", "Give the pilot a title."),
    ],
)
def test_bad_input_when_scoping_comes_back_beside_its_field(
    pair, intro, login_as, changes, field, message
):
    client = login_as(pair.staff)
    data = form_data(pair, **changes)
    response = client.post(f"/pilots/introductions/{intro.id}/pilot/new", data=data)
    assert response.status_code == 422
    html = page(response)
    assert error_beside(html, field, message), html
    # Nothing typed is lost.
    for name in ("scope_in", "measure_1", "target_1"):
        assert data[name] in html
    if field != "budget":
        assert 'value="25,000"' in html
    else:
        assert 'value="douze euros"' in html
    assert pilot_of(intro) is None


def test_an_owner_outside_the_unit_is_refused_beside_the_owner(pair, intro, login_as):
    stranger = factories.make_partner(factories.make_unit(cohort=pair.cohort))
    client = login_as(pair.partner)
    response = client.post(
        f"/pilots/introductions/{intro.id}/pilot/new",
        data=form_data(pair, owner=str(stranger.id)),
    )
    assert response.status_code == 422
    assert "Not a valid choice" in page(response)
    assert pilot_of(intro) is None


def test_an_introduction_not_accepted_cannot_become_a_pilot(pair, login_as):
    forwarded = factories.make_introduction(
        unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="forwarded"
    )
    client = login_as(pair.staff)
    response = client.get(f"/pilots/introductions/{forwarded.id}/pilot/new")
    assert response.status_code == 409
    assert "Only an accepted introduction can become a pilot." in page(response)
    response = client.post(f"/pilots/introductions/{forwarded.id}/pilot/new", data=form_data(pair))
    assert response.status_code == 409


def test_an_introduction_with_its_pilot_leads_to_it(pair, login_as):
    pilot = factories.make_pilot(introduction=_intro(pair), owner=pair.partner)
    client = login_as(pair.staff)
    response = client.get(f"/pilots/introductions/{pilot.introduction_id}/pilot/new")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/pilots/{pilot.id}")
    response = client.post(
        f"/pilots/introductions/{pilot.introduction_id}/pilot/new", data=form_data(pair)
    )
    assert response.status_code == 302


# --- starting ---------------------------------------------------------------------------------


def test_a_pilot_without_criteria_cannot_start(pair, intro, login_as):
    client = login_as(pair.partner)
    data = form_data(pair, criteria=0, owner="", decision_on="")
    assert client.post(f"/pilots/introductions/{intro.id}/pilot/new", data=data).status_code == 302
    pilot = pilot_of(intro)
    html = page(client.get(f"/pilots/{pilot.id}"))
    assert "No success criteria yet" in html
    assert "Before it starts, the pilot needs 3 to 5 success criteria" in html

    response = client.post(f"/pilots/{pilot.id}/start")
    assert response.status_code == 409
    html = page(response)
    assert (
        "This pilot cannot start without 3 to 5 success criteria, an owner in the business "
        "unit, a go/no-go decision date." in html
    )
    assert "Détection de fraude pour les PME" in html  # the pilot page, message at its top
    assert fresh(pilot.id).status == PS.SCOPING


# --- editing ----------------------------------------------------------------------------------


def test_a_running_pilot_is_edited_with_its_results(pair, login_as):
    pilot = factories.make_pilot(status="running", introduction=_intro(pair), owner=pair.partner)
    client = login_as(pair.partner)
    form = client.get(f"/pilots/{pilot.id}/edit")
    assert form.status_code == 200
    html = page(form)
    assert 'value="Measure 1"' in html and 'value="25,000"' in html

    data = form_data(pair, measure_1="Measure 1", target_1="Target 1", actual_1="92 % détectées")
    response = client.post(f"/pilots/{pilot.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    actuals = db.session.scalars(
        select(PilotCriterion.actual)
        .where(PilotCriterion.pilot_id == pilot.id)
        .order_by(PilotCriterion.position)
    ).all()
    assert actuals[0] == "92 % détectées"
    assert "92 % détectées" in page(client.get(f"/pilots/{pilot.id}"))


def test_a_running_pilot_keeps_its_owner_and_criteria(pair, login_as):
    pilot = factories.make_pilot(status="running", introduction=_intro(pair), owner=pair.partner)
    client = login_as(pair.staff)
    data = form_data(pair, owner="", title="Nouveau titre tapé")
    response = client.post(f"/pilots/{pilot.id}/edit", data=data)
    assert response.status_code == 409
    html = page(response)
    assert "A running pilot needs an owner in the business unit." in html
    assert 'value="Nouveau titre tapé"' in html  # what was typed is kept
    assert fresh(pilot.id).owner_id == pair.partner.id


def test_a_decided_pilot_is_no_longer_edited(pair, login_as):
    pilot = factories.make_pilot(status="decided", introduction=_intro(pair), owner=pair.partner)
    client = login_as(pair.staff)
    response = client.get(f"/pilots/{pilot.id}/edit")
    assert response.status_code == 409
    assert "only closing it with its lessons remains" in page(response)
    assert client.post(f"/pilots/{pilot.id}/edit", data=form_data(pair)).status_code == 409


# --- deciding, closing, stopping ---------------------------------------------------------------


def test_a_go_needs_a_contract_value_and_a_no_go_a_reason(pair, login_as):
    pilot = factories.make_pilot(status="running", introduction=_intro(pair), owner=pair.partner)
    client = login_as(pair.partner)
    response = client.post(
        f"/pilots/{pilot.id}/decide",
        data={"decide-decision": "go", "decide-contract_reference": "PO-77"},
    )
    assert response.status_code == 422
    html = page(response)
    assert error_beside(html, "decide-contract_value", "Enter the value of the contract")
    assert 'value="PO-77"' in html  # kept
    assert '<details class="w-100" open>' in html  # the form is shown open

    response = client.post(
        f"/pilots/{pilot.id}/decide",
        data={"decide-decision": "go", "decide-contract_value": "douze euros"},
    )
    assert response.status_code == 422
    assert error_beside(page(response), "decide-contract_value", "Enter an amount like")

    response = client.post(f"/pilots/{pilot.id}/decide", data={"decide-decision": "no_go"})
    assert response.status_code == 422
    assert error_beside(page(response), "decide-reason", "Say why the unit does not go ahead.")
    assert fresh(pilot.id).status == PS.RUNNING

    response = client.post(
        f"/pilots/{pilot.id}/decide",
        data={"decide-decision": "no_go", "decide-reason": "Le coût d'intégration est trop élevé."},
    )
    assert response.status_code == 302
    pilot = fresh(pilot.id)
    assert pilot.decision == Decision.NO_GO
    html = page(client.get(f"/pilots/{pilot.id}"))
    assert "Le coût d'intégration est trop élevé." in html and 'data-outcome="no_go"' in html


def test_closing_needs_lessons_and_stopping_a_reason(pair, login_as):
    decided = factories.make_pilot(status="decided", introduction=_intro(pair), owner=pair.partner)
    client = login_as(pair.staff)
    response = client.post(f"/pilots/{decided.id}/close", data={"close-lessons": ""})
    assert response.status_code == 422
    assert error_beside(page(response), "close-lessons", "Write down the lessons learned.")
    assert fresh(decided.id).status == PS.DECIDED

    scoping = factories.make_pilot(introduction=_intro(pair), owner=pair.partner)
    response = client.post(f"/pilots/{scoping.id}/stop", data={"stop-reason": "  "})
    assert response.status_code == 422
    assert error_beside(page(response), "stop-reason", "Say why the pilot stops.")
    response = client.post(
        f"/pilots/{scoping.id}/stop", data={"stop-reason": "L'unité se réorganise."}
    )
    assert response.status_code == 302
    assert fresh(scoping.id).status == PS.STOPPED
    html = page(client.get(f"/pilots/{scoping.id}"))
    assert "L'unité se réorganise." in html and 'data-outcome="stopped"' in html


@pytest.mark.parametrize(
    "status,act,data,message",
    [
        ("running", "close", {"close-lessons": "x"}, "record its go/no-go decision first"),
        ("scoping", "decide", {"decide-decision": "go"}, "start it before deciding"),
        ("closed", "stop", {"stop-reason": "x"}, "This pilot is closed"),
        ("stopped", "start", {}, "This pilot was stopped"),
        ("decided", "decide", {"decide-decision": "go"}, "only closing it"),
    ],
)
def test_a_move_the_status_refuses_is_409_with_the_message(
    pair, login_as, status, act, data, message
):
    pilot = factories.make_pilot(status=status, introduction=_intro(pair), owner=pair.partner)
    client = login_as(pair.partner)
    response = client.post(f"/pilots/{pilot.id}/{act}", data=data)
    assert response.status_code == 409
    html = page(response)
    assert message in html and pilot.title in html
    assert fresh(pilot.id).status == status


def test_a_pilot_past_its_decision_date_is_overdue(pair, login_as):
    pilot = factories.make_pilot(
        status="running",
        introduction=_intro(pair),
        owner=pair.partner,
        starts_on=TODAY - timedelta(days=40),
        ends_on=TODAY - timedelta(days=10),
        decision_on=TODAY - timedelta(days=3),
    )
    html = page(login_as(pair.partner).get(f"/pilots/{pilot.id}"))
    assert "Overdue for decision" in html and 'data-alert="overdue"' in html
    assert (TODAY - timedelta(days=3)).isoformat() in html

    on_time = factories.make_pilot(status="running", introduction=_intro(pair), owner=pair.partner)
    assert "Overdue for decision" not in page(login_as(pair.partner).get(f"/pilots/{on_time.id}"))


# --- the founders' figures ------------------------------------------------------------------


def test_founders_share_their_figures_and_only_then_partners_see_them(pair, login_as):
    pilot = factories.make_pilot(status="running", introduction=_intro(pair), owner=pair.partner)
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.startup_id == pair.startup.id)
    )
    factories.make_checkin(enrollment, TODAY - timedelta(days=7), active_users=4321)

    partner = login_as(pair.partner)
    html = page(partner.get(f"/pilots/{pilot.id}"))
    assert "4,321" not in html and "latest figures" not in html
    assert "/share" not in html

    founder = login_as(pair.founder)
    html = page(founder.get(f"/pilots/{pilot.id}"))
    assert "4,321" in html and "Not shared with Orange Bank" in html
    assert f'action="/pilots/{pilot.id}/share"' in html
    response = founder.post(f"/pilots/{pilot.id}/share", data={"share-shared": "y"})
    assert response.status_code == 302
    assert fresh(pilot.id).kpis_shared

    html = page(login_as(pair.partner).get(f"/pilots/{pilot.id}"))
    assert "4,321" in html and "The founders share these with Orange Bank" in html
    assert "Fay Founder shared the startup's latest figures with Orange Bank" in html

    founder = login_as(pair.founder)
    assert founder.post(f"/pilots/{pilot.id}/share", data={}).status_code == 302
    assert not fresh(pilot.id).kpis_shared
    assert "4,321" not in page(login_as(pair.partner).get(f"/pilots/{pilot.id}"))


def test_only_the_startups_founders_share_its_figures(pair, login_as):
    pilot = factories.make_pilot(status="running", introduction=_intro(pair), owner=pair.partner)
    other_founder = factories.make_user(role="founder")
    factories.make_startup(founders=[other_founder])
    data = {"share-shared": "y"}
    assert login_as(other_founder).post(f"/pilots/{pilot.id}/share", data=data).status_code == 404
    assert login_as(pair.partner).post(f"/pilots/{pilot.id}/share", data=data).status_code == 403
    assert login_as(pair.staff).post(f"/pilots/{pilot.id}/share", data=data).status_code == 403
    assert not fresh(pilot.id).kpis_shared


# --- who sees and does what ------------------------------------------------------------------


def test_a_partner_of_another_unit_gets_404(pair, login_as):
    pilot = factories.make_pilot(status="running", introduction=_intro(pair), owner=pair.partner)
    outsider = factories.make_partner(
        factories.make_unit(cohort=pair.cohort, name="Orange Cyberdéfense")
    )
    client = login_as(outsider)
    assert client.get(f"/pilots/{pilot.id}").status_code == 404
    assert client.get(f"/pilots/{pilot.id}/edit").status_code == 404
    response = client.post(f"/pilots/{pilot.id}/stop", data={"stop-reason": "Non."})
    assert response.status_code == 404
    intro = _intro(pair)
    assert client.get(f"/pilots/introductions/{intro.id}/pilot/new").status_code == 404
    assert fresh(pilot.id).status == PS.RUNNING


def test_mentors_of_the_startup_read_but_do_not_act(pair, login_as):
    pilot = factories.make_pilot(status="running", introduction=_intro(pair), owner=pair.partner)
    client = login_as(pair.mentor)
    response = client.get(f"/pilots/{pilot.id}")
    assert response.status_code == 200
    html = page(response)
    assert pilot.title in html
    for act in ("/edit", "/decide", "/stop", "/share"):
        assert f"/pilots/{pilot.id}{act}" not in html
    assert client.get(f"/pilots/{pilot.id}/edit").status_code == 403
    response = client.post(f"/pilots/{pilot.id}/stop", data={"stop-reason": "Non."})
    assert response.status_code == 403
    assert fresh(pilot.id).status == PS.RUNNING

    unmatched = factories.make_mentor()
    assert login_as(unmatched).get(f"/pilots/{pilot.id}").status_code == 404


def test_founders_read_their_pilot_and_act_on_nothing_but_sharing(pair, login_as):
    pilot = factories.make_pilot(introduction=_intro(pair), owner=pair.partner)
    client = login_as(pair.founder)
    html = page(client.get(f"/pilots/{pilot.id}"))
    assert f"/pilots/{pilot.id}/start" not in html and f"/pilots/{pilot.id}/edit" not in html
    assert client.post(f"/pilots/{pilot.id}/start").status_code == 403
    assert client.get(f"/pilots/introductions/{pilot.introduction_id}/pilot/new").status_code == 403
    other = factories.make_user(role="founder")
    factories.make_startup(founders=[other])
    assert login_as(other).get(f"/pilots/{pilot.id}").status_code == 404


def test_the_page_answers_in_a_fixed_number_of_statements(pair, login_as, count_queries):
    """More criteria, a longer history and a decision read in the same statements."""
    small = factories.make_pilot(status="running", introduction=_intro(pair), owner=pair.partner)
    big = factories.make_pilot(
        status="closed",
        introduction=_intro(pair),
        owner=pair.partner,
        criteria=factories.criteria(5),
    )
    ids = [small.id, big.id]
    client = login_as(pair.partner)
    counts = []
    for pilot_id in ids:
        with count_queries() as counter:
            assert client.get(f"/pilots/{pilot_id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
