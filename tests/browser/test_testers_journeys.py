"""Tests with the customers' panel in a real browser, in English and in French: the founder asks
for a test from their home (what to test, the target, three responses, at least 2 on iOS, the
dates, one question of their own), staff approve it and send its first wave; a tester opens
the personal link of their invitation mail on a phone, answers the usability statements, the
recommendation and the startup's question, and reads the thank-you page; two more testers
answer; the founder reads the results (responses against the target, the quota met, the SUS
score, NPS, their question's counts), where no tester's name or address appears. And: an
answer with a statement left out comes back (422) with the message beside it and every other
choice kept; leaving the panel (a GET only shows the button; the post says you left; a mail
client's one-click post too).

The pages are found by field names, ids and data attributes, and by the names of the startup
and the test (data): the French catalog may still lack a string. What the pages say is compared
with what the app itself says in the page's language (`Words`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import render_template_string
from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from accelerator.core.models import OutboxEmail
from accelerator.core.tokens import hash_token
from accelerator.extensions import db
from accelerator.testers import services
from accelerator.testers.fields import Question
from accelerator.testers.models import Campaign, CampaignInvitation, Tester
from tests import factories
from tests.browser.a11y import PageAudit
from tests.browser.helpers import flash, sign_in_as, sign_out_any_language

STARTUP, TITLE = "Société Éclair", "Le nouveau paiement de l'appli Éclair"
TEST_URL = "https://eclair.example.org/beta"
TASK = "Achetez un billet et payez avec une carte enregistrée."
QUESTION, CHOICES = "Quel moyen de paiement avez-vous utilisé ?", ["Carte", "Portefeuille"]
WANTED = 3
#: Six testers on iOS, six on Android: the first wave (3 / 0.4 = 8) holds the 5 iOS the quota
#: of 2 needs at the expected response rate.
PANEL = [("ios", n) for n in range(1, 7)] + [("android", n) for n in range(7, 13)]
#: (SUS answers, recommendation, the choice) of the phone's tester and the two others.
PHONE_ANSWERS = ([4, 2, 4, 2, 4, 2, 4, 2, 4, 2], 9, "Carte")  # SUS 75
OTHER_ANSWERS = [
    ([5, 1, 5, 1, 5, 1, 5, 1, 5, 1], 10, "Carte"),  # SUS 100
    ([3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 6, "Portefeuille"),  # SUS 50
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "bypass_csp": True,
}
TOKEN = re.compile(r"/testers/t/([A-Za-z0-9_\-]+)")

LANGUAGES = [
    pytest.param("en", id="en"),
    pytest.param("fr", id="fr", marks=pytest.mark.browser_context_args(locale="fr-FR")),
]


class Words:
    """What the app says in `lang` (the catalog as it stands: English where it lacks a string)."""

    def __init__(self, app, lang: str):
        self.app, self.lang = app, lang

    def _in_lang(self, fn: Callable[[], str]) -> str:
        with self.app.test_request_context(), force_locale(self.lang):
            return fn()

    def __call__(self, text: str, **params) -> str:
        return self._in_lang(lambda: gettext(text, **params))

    def n(self, singular: str, plural: str, num: int) -> str:
        return self._in_lang(lambda: ngettext(singular, plural, num))

    def shown(self, expression: str, **values) -> str:
        """A value as the app's templates show it, e.g. "value|round(1)|decimal"."""
        return self._in_lang(lambda: render_template_string(f"{{{{ {expression} }}}}", **values))


def _phone(browser: Browser, live_server: str, lang: str) -> Page:
    """A phone's page (390 × 844, touch), its pages checked by axe like the journey's."""
    context = browser.new_context(
        base_url=live_server, locale="fr-FR" if lang == "fr" else "en-GB", **PHONE
    )
    page = context.new_page()
    page._page_audit = PageAudit(page)
    return page


def _tap_scale(page: Page, name: str, value: int) -> None:
    """Choose `value` on a scale of buttons (the radio is hidden behind its label)."""
    page.locator(f"[data-field={name}] input[value='{value}'] + label").tap()
    expect(page.locator(f"[data-field={name}] input[value='{value}']")).to_be_checked()


# --- The world ---------------------------------------------------------------------------------


def _tester_name(n: int) -> str:
    return f"Hélène Testeuse {n:02d}"


def _tester_email(n: int) -> str:
    return f"helene.testeuse{n:02d}@example.net"


def _world(lang: str) -> Callable[[], None]:
    def build() -> None:
        factories.make_user(role="staff", email="ana@example.com", name="Anaïs Équipe")
        founder = factories.make_user(
            role="founder", email="fay@example.com", name="Fay Fondatrice"
        )
        startup = factories.make_startup(name=STARTUP, founders=[founder])
        factories.make_enrollment(startup=startup)
        for os, n in PANEL:
            factories.make_tester(
                email=_tester_email(n),
                name=_tester_name(n),
                language=lang,
                os=os,
                device="phone",
            )

    return build


# --- The journey -------------------------------------------------------------------------------


def _founder_asks(page: Page, lang: str, t: Words) -> None:
    sign_in_as(page, "fay@example.com", lang)
    panel = page.locator(".founder-testers")
    expect(panel).to_be_visible()
    panel.locator("a[href$='/campaigns/new']").click()
    form = page.locator("#campaign-form")
    today = date.today()
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=test_url]").fill(TEST_URL)
    form.locator("[name=description]").fill(TASK)
    form.locator("[name=responses_wanted]").fill(str(WANTED))
    form.locator("[name=opens_on]").fill(today.isoformat())
    form.locator("[name=closes_on]").fill((today + timedelta(days=14)).isoformat())
    form.locator("[name=criteria_country]").fill("FR")
    form.locator("[name=criteria_device][value=phone]").check()
    form.locator("[name=quota_attribute_1]").select_option("os")
    form.locator("[name=quota_value_1]").fill("iOS")
    form.locator("[name=quota_1]").fill("2")
    form.locator("[name=question_kind_1]").select_option("single")
    form.locator("[name=question_1]").fill(QUESTION)
    form.locator("[name=question_choices_1]").fill("\n".join(CHOICES))
    form.locator("[type=submit]").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("[data-campaign-status=requested]")).to_be_visible()
    expect(flash(page)).to_contain_text(
        t("Your test is asked. Program staff approve it before anyone is invited.")
    )
    expect(page.locator("[data-fact=description]")).to_have_text(TASK)
    expect(page.locator(".campaign-quotas tr[data-quota='1'] td").first).to_contain_text("iOS")
    expect(page.locator(".campaign-questions")).to_contain_text(QUESTION)
    page.goto("/")
    expect(page.locator(".founder-campaigns")).to_contain_text(TITLE)
    sign_out_any_language(page)


def _staff_approve_and_send(page: Page, lang: str, t: Words) -> int:
    sign_in_as(page, "ana@example.com", lang)
    page.locator(".testers-home-card .testers-awaiting").get_by_role(
        "link", name=f"{STARTUP} · {TITLE}"
    ).click()
    expect(page.locator("[data-alert=requested]")).to_be_visible()
    page.locator("form[action$='/approve'] button").click()
    expect(page.locator("[data-campaign-status=approved]")).to_be_visible()
    expect(flash(page)).to_contain_text(
        t("Test approved. Send its first wave of invitations when ready.")
    )

    page.locator("form[action$='/wave'] button").click()
    invited = 8  # 3 responses wanted at the expected rate of 0.4
    expect(flash(page)).to_contain_text(
        t.n(
            "%(num)d tester invited. Their mail goes out now.",
            "%(num)d testers invited. Their mail goes out now.",
            invited,
        )
    )
    expect(page.locator("[data-campaign-status=running]")).to_be_visible()
    expect(page.locator("[data-figure=invited]")).to_have_text(str(invited))
    expect(page.locator(".campaign-waves tr[data-wave='1'] [data-invited]")).to_have_text(
        str(invited)
    )
    campaign_id = int(re.search(r"/campaigns/(\d+)", page.url).group(1))
    sign_out_any_language(page)
    return campaign_id


def _invited() -> list[tuple[str, str, str]]:
    """(address, operating system, token) of each tester invited, read from the queued mail:
    the clear token is nowhere else."""
    rows = db.session.execute(
        select(OutboxEmail.to, OutboxEmail.body, Tester.os)
        .join(Tester, Tester.email == OutboxEmail.to)
        .order_by(OutboxEmail.id)
    ).all()
    return [(to, os.value, TOKEN.search(body).group(1)) for to, body, os in rows]


def _tester_answers_on_a_phone(phone: Page, token: str, lang: str, t: Words) -> None:
    phone.goto(f"/testers/t/{token}")
    expect(phone.locator("html")).to_have_attribute("lang", lang)
    expect(phone.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(phone.locator("[data-section=what-to-test]")).to_contain_text(TASK)
    expect(phone.locator("[data-link=test]")).to_have_attribute("href", TEST_URL)
    sus, nps, choice = PHONE_ANSWERS
    for n, value in enumerate(sus, start=1):
        _tap_scale(phone, f"sus_{n}", value)
    _tap_scale(phone, "nps", nps)
    expect(phone.locator("[data-field=answer_1] legend")).to_have_text(QUESTION)
    phone.locator(f"[data-field=answer_1] input[value='{choice}']").tap()
    # the page fits the phone: nothing wider than its screen
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], f"the questionnaire is {width}px wide"
    phone.locator("#questionnaire [type=submit]").tap()

    expect(phone).to_have_url(re.compile(rf"/testers/t/{re.escape(token)}/thanks"))
    thanks = phone.locator("[data-page=thanks]")
    expect(thanks.locator(".lead")).to_have_text(
        t(
            "Your answers to “%(title)s” are saved. %(startup)s reads them with everyone else's, "
            "without your name.",
            title=TITLE,
            startup=STARTUP,
        )
    )
    expect(thanks.locator("[data-link=answer]")).to_be_visible()  # still open: may change them
    phone._page_audit.run()


def _two_more_answer(phone_token: str) -> Callable[[], None]:
    """Two more testers answer (one on iOS, one on Android) through the service."""

    def answer() -> None:
        invited = _invited()
        ios = [tok for _to, os, tok in invited if os == "ios" and tok != phone_token]
        android = [tok for _to, os, tok in invited if os == "android"]
        for token, (sus, nps, choice) in zip((ios[0], android[0]), OTHER_ANSWERS, strict=True):
            invitation = db.session.scalar(
                select(CampaignInvitation).where(CampaignInvitation.token_hash == hash_token(token))
            )
            services.submit_response(invitation, sus=sus, nps=nps, answers=[choice])

    return answer


def _founder_reads_results(page: Page, lang: str, t: Words) -> None:
    sign_in_as(page, "fay@example.com", lang)
    page.locator(".founder-campaigns").get_by_role("link", name=TITLE).click()
    expect(page.locator("[data-campaign-status=running]")).to_be_visible()
    expect(page.locator("[data-figure=responses]")).to_have_text(
        t("%(got)d of %(wanted)d", got=WANTED, wanted=WANTED)
    )
    page.locator("[data-link=results]").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Results of “%(title)s”", title=TITLE)
    )
    expect(page.locator("[data-responses]")).to_contain_text(str(WANTED))
    expect(page.locator("[data-invited]")).to_have_text("8")
    sus_mean = (75 + 100 + 50) / 3
    mean = t.shown("value|round(1)|decimal", value=sus_mean)
    expect(page.locator("[data-sus]")).to_have_text(re.compile(rf"^\s*{re.escape(mean)} \("))
    expect(page.locator("[data-sus-interval]")).to_be_visible()  # the 95 % interval
    expect(page.locator("[data-nps]")).to_have_text(t.shown("value|round(1)|decimal", value=33))
    expect(page.locator("#nps-table [data-promoters]")).to_have_text("2")
    expect(page.locator("#nps-table [data-passives]")).to_have_text("0")
    expect(page.locator("#nps-table [data-detractors]")).to_have_text("1")
    quota = page.locator("#quotas-table tr[data-quota='os-ios']")
    expect(quota.locator("[data-got]")).to_contain_text("2")
    expect(quota.locator("[data-got] .badge")).to_have_text(t("met"))
    question = page.locator("[data-question='1']")
    expect(question).to_contain_text(QUESTION)
    expect(question.locator("tr[data-answer='Carte'] [data-count]")).to_have_text("2")
    expect(question.locator("tr[data-answer='Portefeuille'] [data-count]")).to_have_text("1")
    # three responses: no breakdown may describe fewer than five people
    expect(page.locator("[data-no-breakdown]")).to_be_visible()
    expect(page.locator("#chart-sus")).to_have_attribute("data-chart-drawn", "1")

    shown = page.content()
    for _os, n in PANEL:
        assert _tester_name(n) not in shown and _tester_email(n) not in shown
    assert "Testeuse" not in shown and "@example.net" not in shown
    sign_out_any_language(page)


def _staff_see_every_response_in(page: Page, lang: str, t: Words, campaign_id: int) -> None:
    """The responses wanted are in: no wave is offered (the service would refuse it)."""
    sign_in_as(page, "ana@example.com", lang)
    page.goto(f"/testers/campaigns/{campaign_id}")
    expect(page.locator("[data-note=all-responses]")).to_have_text(
        t("This test has all the responses it asked for.")
    )
    expect(page.locator("form[action$='/wave']")).to_have_count(0)
    expect(page.locator("form[action$='/close'] button")).to_be_visible()
    sign_out_any_language(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_from_the_founders_request_to_anonymous_results_answered_on_a_phone(
    page: Page, browser: Browser, live_server, in_app, app, lang
):
    in_app(_world(lang))
    t = Words(app, lang)
    _founder_asks(page, lang, t)
    campaign_id = _staff_approve_and_send(page, lang, t)

    invited = in_app(_invited)
    assert len(invited) == 8
    assert sum(1 for _to, os, _tok in invited if os == "ios") >= 5  # the quota at 0.4
    phone_token = next(tok for _to, os, tok in invited if os == "ios")
    phone = _phone(browser, live_server, lang)
    try:
        _tester_answers_on_a_phone(phone, phone_token, lang, t)
    finally:
        phone.context.close()

    in_app(_two_more_answer(phone_token))
    _founder_reads_results(page, lang, t)
    _staff_see_every_response_in(page, lang, t, campaign_id)
    assert in_app(lambda: db.session.get(Campaign, campaign_id).status.value) == "running"


# --- A refused answer, and leaving the panel ---------------------------------------------------


def _running_campaign(lang: str) -> Callable[[], list[str]]:
    """A running test of two testers; their personal links' tokens."""

    def build() -> list[str]:
        staff = factories.make_user(role="staff", name="Anaïs Équipe")
        founder = factories.make_user(role="founder", name="Fay Fondatrice")
        startup = factories.make_startup(name=STARTUP, founders=[founder])
        factories.make_enrollment(startup=startup)
        for n in (1, 2):
            factories.make_tester(email=_tester_email(n), name=_tester_name(n), language=lang)
        campaign = factories.make_campaign(
            startup=startup,
            status="approved",
            actor=staff,
            title=TITLE,
            quotas=[],
            responses_wanted=2,
            questions=[Question("single", QUESTION, CHOICES)],
        )
        services.send_wave(campaign, actor=staff)
        db.session.flush()
        return [token for _to, _os, token in _invited()]

    return build


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_answer_without_a_statement_comes_back_with_the_message_beside_it(
    page: Page, in_app, app, lang
):
    token = in_app(_running_campaign(lang))[0]
    t = Words(app, lang)
    page.set_viewport_size(PHONE["viewport"])
    page.goto(f"/testers/t/{token}")
    sus, _nps, _choice = PHONE_ANSWERS
    for n, value in enumerate(sus, start=1):
        if n != 4:  # the fourth statement is left out
            page.locator(f"[data-field=sus_{n}] input[value='{value}'] + label").click()
    page.locator("[data-field=nps] input[value='8'] + label").click()
    page.locator("[data-field=answer_1] input[value='Portefeuille']").check()

    with page.expect_response(
        lambda r: r.url.split("?")[0].endswith(f"/testers/t/{token}") and r.request.method == "POST"
    ) as answer:
        page.locator("#questionnaire [type=submit]").click()
    assert answer.value.status == 422
    expect(page.locator("[data-alert=errors]")).to_be_visible()
    missing = page.locator("[data-field=sus_4]")
    expect(missing.locator(".invalid-feedback")).to_have_text(
        t("Choose how much you agree, from 1 to 5.")
    )
    expect(missing).to_have_attribute("aria-describedby", re.compile("sus_4-error"))
    expect(missing.locator("input:checked")).to_have_count(0)
    for n, value in enumerate(sus, start=1):
        if n != 4:
            expect(page.locator(f"[data-field=sus_{n}] input[value='{value}']")).to_be_checked()
            expect(page.locator(f"[data-field=sus_{n}] .invalid-feedback")).to_have_count(0)
    expect(page.locator("[data-field=nps] input[value='8']")).to_be_checked()
    expect(page.locator("[data-field=answer_1] input[value='Portefeuille']")).to_be_checked()

    # answering the missing statement is enough
    page.locator("[data-field=sus_4] input[value='2'] + label").click()
    page.locator("#questionnaire [type=submit]").click()
    expect(page.locator("[data-page=thanks]")).to_be_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_leaving_the_panel_from_the_link_and_in_one_click(page: Page, in_app, app, lang):
    first, second = in_app(_running_campaign(lang))
    t = Words(app, lang)
    page.goto(f"/testers/t/{first}/unsubscribe")  # a GET (a mail scanner) changes nothing
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Leave the testers' panel"))
    button = page.locator("form[action*='/unsubscribe'] button[type=submit]")
    expect(button).to_have_text(t("Leave the panel"))
    assert (
        in_app(
            lambda: db.session.scalar(select(Tester.opted_out_at).where(Tester.name.like("%01")))
        )
        is None
    )
    button.click()
    left = page.locator("[data-page=left]")
    expect(left.get_by_role("heading", level=1)).to_have_text(t("You left the panel"))
    expect(left.locator(".lead")).to_have_text(
        t("You will receive nothing more from it. Thank you for the tests you took part in.")
    )
    # the questionnaire no longer opens (410)
    answer = page.goto(f"/testers/t/{first}")
    assert answer is not None and answer.status == 410
    expect(page.locator("[data-link-state='410'] [data-message]")).to_have_text(
        t("You left the panel: this link no longer takes answers.")
    )

    # a mail client's one-click unsubscribe (RFC 8058): a post with no CSRF token
    one_click = page.request.post(
        f"/testers/t/{second}/unsubscribe", form={"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status == 200
    assert one_click.text() == t("You left the panel: you will receive nothing more from it.")
    gone = in_app(
        lambda: db.session.scalars(
            select(Tester.name).where(Tester.opted_out_at.is_not(None)).order_by(Tester.name)
        ).all()
    )
    assert gone == [_tester_name(1), _tester_name(2)]
