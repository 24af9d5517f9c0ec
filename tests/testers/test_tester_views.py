"""The tester's pages through the personal link of their invitation mail, with no account:
the questionnaire (in their language, refusals beside the fields with everything kept, answering
again updates), a closed or tampered link, cross-site posts refused, one-click unsubscribe (and
a GET that changes nothing), their data (theirs only) and its erasure."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accelerator import create_app
from accelerator.config import TestConfig
from accelerator.core.types import utcnow
from accelerator.extensions import db, limiter
from accelerator.testers import queries, scores, services
from accelerator.testers.fields import Question
from accelerator.testers.models import CampaignInvitation, Response
from accelerator.testers.models import Tester as PanelMember
from accelerator.testers.tester_views import KEPT_AFTER_CLOSE
from tests import factories
from tests.auth.helpers import audit_events, last_mail, link_in, text
from tests.conftest import IsolatedClient

QUESTIONS = [
    Question("text", "What did you like most?"),
    Question("single", "Which payment did you use?", ["Card", "Wallet"]),
    Question("multiple", "Which screens did you open?", ["Basket", "Payment", "Reçu"]),
    Question("scale", "How fast was the payment?"),
]
SUS = [4, 2, 4, 2, 4, 2, 4, 2, 4, 2]  # 75 by the standard computation


class Panel:
    """A running campaign of "Société Éclair" and its invited testers with their links."""

    def __init__(self, *, testers: int = 2, language: str = "en"):
        self.staff = factories.make_user(role="staff", name="Sam Staff")
        founder = factories.make_user(role="founder", name="Fay Founder")
        self.startup = factories.make_startup(name="Société Éclair", founders=[founder])
        factories.make_enrollment(startup=self.startup)
        self.testers = [
            factories.make_tester(name=f"Hélène Testeuse {n}", language=language)
            for n in range(testers)
        ]
        self.campaign = factories.make_campaign(
            startup=self.startup,
            status="approved",
            actor=self.staff,
            questions=QUESTIONS,
            quotas=[],
            responses_wanted=testers,
        )
        assert services.send_wave(self.campaign, actor=self.staff) == testers
        db.session.flush()
        self.links = [link_in(last_mail(tester.email)) for tester in self.testers]

    def invitation(self, index: int = 0) -> CampaignInvitation:
        return db.session.scalar(
            select(CampaignInvitation).where(CampaignInvitation.tester_id == self.testers[index].id)
        )


@pytest.fixture
def panel(db):
    return Panel()


def answers(sus=SUS, nps=9, **own) -> dict:
    data = {f"sus_{n}": str(value) for n, value in enumerate(sus, start=1) if value is not None}
    if nps is not None:
        data["nps"] = str(nps)
    data.update(own)
    return data


def checked(page: str, name: str) -> list[str]:
    """The values of the checked inputs named `name`."""
    values = []
    for tag in re.findall(r"<input\b[^>]*>", page):
        if f'name="{name}"' in tag and re.search(r"\bchecked\b", tag):
            values.append(html.unescape(re.search(r'value="([^"]*)"', tag).group(1)))
    return values


def error_beside(page: str, name: str) -> str | None:
    """The message in the block of field `name` (its fieldset or its text box), or None."""
    match = re.search(rf'data-field="{name}".*?(?=data-field="|<button type="submit")', page, re.S)
    assert match, f"no field {name} on the page"
    found = re.search(r'class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', match.group(0), re.S)
    return html.unescape(found.group(1).strip()) if found else None


def responses() -> int:
    return db.session.scalar(select(func.count(Response.id)))


# --- The questionnaire -------------------------------------------------------------------------


def test_the_page_shows_what_to_test_and_every_question_without_an_account(client, panel):
    response = client.get(panel.links[0])
    assert response.status_code == 200
    page = text(response)
    assert "Checkout of the Société Éclair app" in page
    assert "https://eclair.example.org/beta" in page and "Buy a ticket" in page
    for statement in scores.SUS_ITEMS:
        assert str(statement) in page
    assert page.count("<legend") >= 10 + 1 + 3  # SUS, recommendation, own choices and scale
    assert "How likely are you to recommend Société Éclair to a friend or colleague?" in page
    assert "Strongly disagree" in page and "Strongly agree" in page
    for question in QUESTIONS:
        assert question.text in page
    assert 'name="csrf_token"' in page
    # Private: never cached, the token never sent on as a Referer, never indexed.
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert "Hélène" not in page  # not even the tester's own name on the questionnaire


def test_the_page_speaks_the_testers_language_and_switches(client, db):
    french = Panel(testers=1, language="fr")
    page = text(client.get(french.links[0]))
    assert '<html lang="fr">' in page
    switched = text(client.get(french.links[0] + "?lang=en"))
    assert '<html lang="en">' in switched
    # The form posts back with the language asked.
    assert re.search(r'<form method="post" action="[^"]+\?lang=en"', switched)
    assert '<html lang="fr">' in text(client.get(french.links[0] + "?lang=xx"))


def test_a_tester_answers_and_the_sus_score_is_stored(client, panel):
    response = client.post(
        panel.links[0],
        data=answers(
            answer_1="Le paiement en un clic",
            answer_2="Card",
            answer_3=["Basket", "Reçu"],
            answer_4="4",
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(panel.links[0] + "/thanks")
    saved = db.session.scalar(select(Response))
    assert saved.sus == SUS and saved.sus_score == scores.sus_score(SUS) == 75.0
    assert saved.nps == 9
    assert saved.answers == ["Le paiement en un clic", "Card", ["Basket", "Reçu"], 4]
    assert panel.invitation().responded_at is not None
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    assert "Thank you" in text(thanks) and "Change my answers" in text(thanks)


def test_refusals_stand_beside_their_fields_and_everything_typed_is_kept(client, panel):
    sus = [4, 9, None, 2, 4, 2, 4, 2, 4, 2]  # 9 is no answer of the scale; the 3rd is missing
    response = client.post(
        panel.links[0],
        data=answers(
            sus=sus,
            nps=None,
            answer_1="Très clair",
            answer_2="Bitcoin",
            answer_3=["Payment"],
            answer_4="3",
        ),
    )
    assert response.status_code == 422
    page = text(response)
    assert error_beside(page, "sus_2") == "Choose how much you agree, from 1 to 5."
    assert error_beside(page, "sus_3") == "Choose how much you agree, from 1 to 5."
    assert error_beside(page, "nps") == "Choose a number from 0 to 10."
    assert error_beside(page, "answer_2") == "Choose among the answers offered."
    assert error_beside(page, "sus_1") is None and error_beside(page, "answer_1") is None
    assert "see the messages beside them" in page
    # What was chosen and typed is still there.
    assert checked(page, "sus_1") == ["4"] and checked(page, "sus_10") == ["2"]
    assert checked(page, "answer_3") == ["Payment"] and checked(page, "answer_4") == ["3"]
    assert "Très clair</textarea>" in page
    assert responses() == 0 and panel.invitation().responded_at is None


def test_answering_again_shows_the_saved_answers_and_updates_them(client, panel):
    first = client.post(panel.links[0], data=answers(answer_2="Card", answer_1="Bien"))
    assert first.status_code == 302
    page = text(client.get(panel.links[0]))
    assert "You already answered" in page
    assert checked(page, "sus_1") == ["4"] and checked(page, "nps") == ["9"]
    assert checked(page, "answer_2") == ["Card"] and "Bien</textarea>" in page

    again = client.post(
        panel.links[0], data=answers(sus=[5, 1] * 5, nps=10, answer_2="Wallet", answer_1="")
    )
    assert again.status_code == 302
    assert responses() == 1
    saved = db.session.scalar(select(Response))
    assert saved.sus_score == 100.0 and saved.nps == 10
    assert saved.answers == ["", "Wallet", [], None]


# --- Links that no longer take answers ---------------------------------------------------------


def test_a_closed_campaigns_link_says_so_with_410(client, panel):
    services.close_campaign(panel.campaign, actor=panel.staff)
    db.session.flush()
    for response in (client.get(panel.links[0]), client.post(panel.links[0], data=answers())):
        assert response.status_code == 410
        page = text(response)
        assert "This test is closed: it no longer takes answers." in page
        assert "What to test" not in page and "sus_1" not in page
    assert responses() == 0


def test_a_link_past_its_last_day_is_closed(client, panel):
    panel.invitation().expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    response = client.get(panel.links[0])
    assert response.status_code == 410
    assert "This test is closed" in text(response)


def test_a_tampered_or_unknown_token_is_not_found(client, panel):
    token = panel.links[0].rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for url in (f"/testers/t/{tampered}", f"/testers/t/{'x' * 300}", f"/testers/t/{tampered}/data"):
        response = client.get(url)
        assert response.status_code == 404, url
        page = text(response)
        assert "This link is not valid" in page
        assert "Société Éclair" not in page and "Checkout" not in page
    assert client.post(f"/testers/t/{tampered}", data=answers()).status_code == 404
    assert client.post(f"/testers/t/{tampered}/unsubscribe").status_code == 404
    assert responses() == 0


def test_an_unsubscribed_testers_link_takes_no_answer(client, panel):
    services.unsubscribe(panel.invitation())
    db.session.flush()
    response = client.get(panel.links[0])
    assert response.status_code == 410
    assert "You left the panel" in text(response)


# --- Cross-site posts ---------------------------------------------------------------------------


@pytest.fixture
def guarded(app, db):
    """A second app with CSRF on, as in production, on the test's connection."""
    enabled = limiter.enabled
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "WTF_CSRF_ENABLED": True,
    }
    other = create_app(type("GuardedConfig", (TestConfig,), settings))
    other.test_client_class = IsolatedClient
    yield other.test_client()
    limiter.enabled = enabled


def test_a_cross_site_post_without_the_csrf_token_is_refused(guarded, panel):
    refused = guarded.post(panel.links[0], data=answers(answer_2="Card"))
    assert refused.status_code == 400
    assert "The form expired or was sent from elsewhere." in text(refused)
    assert responses() == 0
    page = text(guarded.get(panel.links[0]))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = guarded.post(panel.links[0], data={**answers(), "csrf_token": token})
    assert accepted.status_code == 302
    assert responses() == 1
    # Erasing is a form of the page too: refused without its token.
    assert guarded.post(panel.links[0] + "/erase").status_code == 400
    assert db.session.get(PanelMember, panel.testers[0].id).erased_at is None


def test_one_click_unsubscribe_needs_no_csrf_token(guarded, panel):
    response = guarded.post(panel.links[0] + "/unsubscribe", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert db.session.get(PanelMember, panel.testers[0].id).opted_out_at is not None


# --- Leaving the panel -------------------------------------------------------------------------


def test_the_unsubscribe_headers_of_the_mail_point_at_the_link(panel):
    mail = last_mail(panel.testers[0].email)
    assert mail.headers["List-Unsubscribe"] == f"<http://localhost{panel.links[0]}/unsubscribe>"
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_get_of_the_unsubscribe_link_changes_nothing(client, panel):
    for _ in range(2):  # a mail scanner following the link, twice
        response = client.get(panel.links[0] + "/unsubscribe")
        assert response.status_code == 200
        assert "Leave the panel" in text(response)
        assert '<form method="post"' in text(response)
    assert db.session.get(PanelMember, panel.testers[0].id).opted_out_at is None


def test_one_click_unsubscribe_leaves_the_panel_for_every_next_wave(client, panel, db):
    response = client.post(panel.links[0] + "/unsubscribe", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You left the panel" in response.get_data(as_text=True)
    tester = db.session.get(PanelMember, panel.testers[0].id)
    assert tester.opted_out_at is not None
    # A second click is harmless.
    assert client.post(panel.links[0] + "/unsubscribe").status_code == 200
    # The next campaign's candidates leave them out (their rest days notwithstanding).
    later = factories.make_campaign(startup=panel.startup, status="approved", actor=panel.staff)
    ids = set(queries.candidates(later, now=utcnow() + timedelta(days=365))["id"])
    assert panel.testers[1].id in ids and tester.id not in ids


def test_the_button_of_the_unsubscribe_page_leaves_the_panel(client, panel):
    response = client.post(panel.links[0] + "/unsubscribe")
    assert response.status_code == 200
    assert "You left the panel" in text(response)
    assert db.session.get(PanelMember, panel.testers[0].id).opted_out_at is not None


def test_unsubscribe_and_data_still_work_after_the_campaign_closed(client, panel):
    services.close_campaign(panel.campaign, actor=panel.staff)
    db.session.flush()
    assert client.get(panel.links[0]).status_code == 410
    assert client.get(panel.links[0] + "/data").status_code == 200
    assert client.post(panel.links[0] + "/unsubscribe").status_code == 200
    # ... for a while: long after, an old link shows nothing personal any more.
    panel.invitation().expires_at = utcnow() - KEPT_AFTER_CLOSE - timedelta(minutes=1)
    db.session.flush()
    for url in (panel.links[0] + "/data", panel.links[0] + "/unsubscribe"):
        response = client.get(url)
        assert response.status_code == 410
        assert "This link has expired" in text(response)


# --- The tester's data -------------------------------------------------------------------------


def test_the_data_page_shows_the_testers_data_and_no_one_elses(client, panel):
    client.post(panel.links[0], data=answers())
    response = client.get(panel.links[0] + "/data")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = text(response)
    me, other = panel.testers
    assert me.email in page and "Hélène Testeuse 0" in page
    assert "lab'Explorers sign-up" in page and "2026-01" in page  # consent source and version
    assert "Checkout of the Société Éclair app" in page and "Société Éclair" in page
    assert page.count("data-invitation") == 1 and 'data-answered="yes"' in page
    assert other.email not in page and "Hélène Testeuse 1" not in page
    assert "Erase my data" in page
    other_page = text(client.get(panel.links[1] + "/data"))
    assert me.email not in other_page and 'data-answered="no"' in other_page


def test_erasing_anonymises_the_tester_and_keeps_their_answer_counted(client, panel):
    client.post(panel.links[0], data=answers(answer_1="Mon avis, avec mon prénom", answer_2="Card"))
    response = client.post(panel.links[0] + "/erase")
    assert response.status_code == 200
    assert "Your data is erased" in text(response)
    tester = db.session.get(PanelMember, panel.testers[0].id)
    assert tester.erased_at is not None and tester.name == ""
    assert tester.email == f"erased-{tester.id}@invalid"
    saved = db.session.scalar(select(Response))
    assert saved.answers[0] == "" and saved.answers[1] == "Card"
    assert saved.sus_score == 75.0 and saved.nps == 9
    assert queries.response_counts(panel.campaign).total == 1
    for url in (panel.links[0], panel.links[0] + "/data", panel.links[0] + "/unsubscribe"):
        gone = client.get(url)
        assert gone.status_code == 410, url
        assert "This link no longer works" in text(gone)
    assert client.post(panel.links[0] + "/erase").status_code == 410
    # The other tester's link is untouched.
    assert client.get(panel.links[1]).status_code == 200


def test_the_thanks_page_before_answering_leads_to_the_questionnaire(client, panel):
    response = client.get(panel.links[0] + "/thanks")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(panel.links[0])


def test_the_pages_read_a_fixed_number_of_statements(client, panel, count_queries):
    with count_queries() as questionnaire:
        assert client.get(panel.links[0]).status_code == 200
    with count_queries() as one:
        assert client.get(panel.links[0] + "/data").status_code == 200
    # Invited to three more campaigns: the data page reads as many statements.
    for _ in range(3):
        campaign = factories.make_campaign(
            startup=panel.startup, status="approved", actor=panel.staff, quotas=[]
        )
        db.session.add(
            CampaignInvitation(
                campaign_id=campaign.id,
                tester_id=panel.testers[0].id,
                token_hash=f"{campaign.id:064d}",
                expires_at=services.link_expiry(campaign),
            )
        )
    db.session.flush()
    with count_queries() as four:
        page = text(client.get(panel.links[0] + "/data"))
    assert page.count("data-invitation") == 4
    assert four.count == one.count
    assert questionnaire.count <= 3, questionnaire.statements  # the link, the saved answer


def test_leaving_and_erasing_are_audited_without_a_person(client, panel):
    client.post(panel.links[0] + "/unsubscribe", data={"List-Unsubscribe": "One-Click"})
    client.post(panel.links[1] + "/erase")
    (left,) = audit_events("tester.unsubscribed")
    (erased,) = audit_events("tester.erased")
    assert left.actor_id is None and erased.actor_id is None
    assert erased.data["via"] == "link"
