"""Language: the user's saved choice, then the session's, then the browser's."""

from __future__ import annotations

import re

from tests.auth.helpers import flashes, sign_in, text

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def _is_french(response) -> bool:
    page = text(response)
    return '<html lang="fr">' in page and "Mot de passe oublié\u00a0?" in page


def test_the_browser_language_is_used_first(client):
    assert _is_french(client.get("/login", headers=FRENCH))
    assert not _is_french(client.get("/login", headers=ENGLISH))
    assert not _is_french(client.get("/login"))  # English by default


def test_french_covers_form_labels_errors_and_flashes(client, founder):
    page = text(client.post("/login", data={"email": "", "password": ""}, headers=FRENCH))
    assert ">Mot de passe</label>" in page
    assert "Ce champ est requis." in page  # WTForms' own French messages
    page = text(
        client.post("/login", data={"email": founder.email, "password": "nope"}, headers=FRENCH)
    )
    assert "L’adresse e-mail ou le mot de passe est incorrect." in page


def test_the_session_choice_beats_the_browser(client):
    response = client.post("/language", data={"lang-language": "fr", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login", headers=ENGLISH)
    assert _is_french(page)
    assert "Langue modifiée." in flashes(text(page))


def test_the_users_saved_choice_beats_session_and_browser(client, db, founder):
    founder.locale = "fr"
    db.session.commit()
    client.post("/language", data={"lang-language": "en"})  # signed out: the session only
    sign_in(client, founder.email)
    assert '<html lang="fr">' in text(client.get("/account", headers=ENGLISH))
    db.session.refresh(founder)
    assert founder.locale == "fr"


def test_choosing_while_signed_in_is_saved_on_the_account(client, db, founder):
    sign_in(client, founder.email)
    client.post("/language", data={"lang-language": "fr"})
    db.session.refresh(founder)
    assert founder.locale == "fr"
    client.post("/logout")
    other = client.application.test_client()
    sign_in(other, founder.email)
    assert '<html lang="fr">' in text(other.get("/account", headers=ENGLISH))


def test_an_unknown_language_is_refused(client):
    client.post("/language", data={"lang-language": "xx"})
    page = text(client.get("/login"))
    assert "Choose one of the offered languages." in flashes(page)
    assert '<html lang="en">' in page


def test_language_switch_only_redirects_locally(client):
    response = client.post("/language", data={"lang-language": "fr", "next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_the_account_language_form_comes_back_to_the_account(login_as, founder):
    client = login_as(founder)
    assert "/account" in client.get("/account").get_data(as_text=True)
    response = client.post("/language", data={"lang-language": "fr", "next": "/account"})
    assert response.headers["Location"] == "/account"
    page = client.get("/account").get_data(as_text=True)
    assert 'name="next" value="/account"' in page


def test_error_pages_and_role_names_are_translated(client, login_as, founder):
    page = text(client.get("/no/such/page", headers=FRENCH))
    assert "Page introuvable" in page and "Aller à l’accueil" in page
    client = login_as(founder)
    page = text(client.get("/account", headers=FRENCH))
    assert re.search(r'<span class="badge text-bg-secondary[^"]*">fondateur</span>', page)
    assert "Action non autorisée" in text(client.get("/audit", headers=FRENCH))
