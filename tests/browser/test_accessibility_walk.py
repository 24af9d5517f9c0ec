"""axe-core (WCAG 2.1 AA) on every page staff, a founder and a mentor can open, in English and
in French, on the demo data of `flask seed`: no serious or critical violation anywhere.

The pages are every GET route of `app.url_map` whose ids the demo fills (tests/pages.py), found
for each person with a test client. One browser context per person and language (its
Accept-Language says which) signs in once and walks them all; the six walk side by side, each
page's check running in its own browser process while the next page loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from accelerator import cli
from accelerator.auth.models import User
from accelerator.auth.seed import DEMO_PASSWORD
from accelerator.config import ROOT
from accelerator.extensions import db
from tests.browser.a11y import SERIOUS, install_axe, start_axe, started_violations
from tests.pages import answer, pages

PEOPLE = ("staff@example.org", "founder@example.org", "mentor@example.org")
LANGUAGES = {"en": "en-GB", "fr": "fr-FR"}


@dataclass
class Lane:
    """One person in one language: their browser page and the pages left to check."""

    who: str
    page: Page
    waiting: list[tuple[str, str]]
    current: tuple[str, str] | None = None
    problems: list[str] = field(default_factory=list)


def _demo() -> None:
    for _name, step in cli._seeders():
        step(ROOT / "seed_data", lambda *_args, **_kwargs: None)


def _pages_of(app, email: str) -> list[tuple[str, str]]:
    """(endpoint, url) of the pages `email` can open, found with a test client."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user.get_id(), True
        found = pages(app, lambda url: answer(client.get(url)))
        db.session.remove()
    return [(endpoint, url) for endpoint, url, _answer in found]


def _signed_in(browser: Browser, context_args: dict, email: str, lang: str) -> Page:
    context = browser.new_context(**{**context_args, "locale": LANGUAGES[lang]})
    install_axe(context)
    page = context.new_page()
    page.goto("/login")  # by field names: the sign-in page speaks the context's language
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("body:not([data-role=visitor])")).to_be_attached()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    return page


def _step(lane: Lane) -> None:
    """Open the lane's next page and start its check."""
    lane.current = lane.waiting.pop(0)
    response = lane.page.goto(lane.current[1])
    status = response.status if response else None
    assert status == 200, f"{lane.who} {lane.current[1]} answers {status}"
    start_axe(lane.page)


def test_every_page_of_every_role_passes_axe_in_english_and_french(
    app, browser: Browser, browser_context_args, in_app
):
    in_app(_demo)
    lanes = []
    for email in PEOPLE:
        found = _pages_of(app, email)
        assert len(found) >= 10, found
        for lang in LANGUAGES:
            page = _signed_in(browser, browser_context_args, email, lang)
            lanes.append(Lane(f"{email} {lang}", page, list(found)))
    checked = 0
    try:
        while any(lane.waiting for lane in lanes):
            busy = [lane for lane in lanes if lane.waiting]
            for lane in busy:
                _step(lane)
            for lane in busy:  # each page's check ran while the others loaded
                endpoint, url = lane.current
                lane.problems += [
                    f"{lane.who} {url} ({endpoint}): {v}"
                    for v in started_violations(lane.page, SERIOUS)
                ]
                checked += 1
    finally:
        for lane in lanes:
            lane.page.context.close()
    assert checked >= 150, checked
    problems = [line for lane in lanes for line in lane.problems]
    assert not problems, "axe finds serious or critical violations:\n" + "\n".join(problems)
