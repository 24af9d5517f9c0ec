"""Pilots in a real browser, in English and in French: the founder asks to meet a business unit
and says why, staff forward it, the partner accepts and scopes a pilot (three success
criteria, an owner, a decision date), starts it and records a go with a contract value; staff
then read it in the startup's history and in the pilots report. And a pilot without criteria
refused its start (409), still scoping.

The pages are found by field names, ids and data attributes, and by the names of the
startup, the unit and the pilot (data): the French catalog may still lack a string. What the
pages say is compared with what the app itself says in the page's language (`Words`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect

from accelerator.core.money import format_cents
from accelerator.extensions import db
from accelerator.pilots import services
from accelerator.programs.models import Cohort
from tests import factories
from tests.browser.a11y import assert_accessible
from tests.browser.helpers import flash, sign_in_as, sign_out_any_language

STARTUP, UNIT, TITLE = "Société Éclair", "Orange Bank", "Alertes de fraude pour les PME"
REASON = "Nos alertes de fraude protègent les clients PME d'Orange Bank dès le premier jour."
CONTRACT_CENTS = 12_000_000

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

    def money(self, cents: int, currency: str = "EUR") -> str:
        return self._in_lang(lambda: format_cents(cents, currency))


# --- The world ---------------------------------------------------------------------------------


def _world() -> dict:
    factories.make_user(role="staff", email="ana@example.com", name="Anaïs Équipe")
    founder = factories.make_user(role="founder", email="fay@example.com", name="Fay Fondatrice")
    startup = factories.make_startup(name=STARTUP, founders=[founder])
    enrollment = factories.make_enrollment(startup=startup)
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    unit = factories.make_unit(cohort=cohort, name=UNIT)
    factories.make_partner(unit, email="helene@example.com", name="Hélène Partenaire")
    factories.make_partner(unit, email="pierre@example.com", name="Pierre Partenaire")
    return {"startup": startup.id, "unit": unit.id, "program": cohort.program_id}


# --- The journey -------------------------------------------------------------------------------


def _founder_asks(page: Page, lang: str) -> None:
    sign_in_as(page, "fay@example.com", lang)
    panel = page.locator(".founder-pilots")
    expect(panel).to_be_visible()
    panel.locator("a[href$='/introductions/new']").click()
    page.locator("select[name=business_unit]").select_option(label=UNIT)
    page.locator("textarea[name=reason]").fill(REASON)
    page.locator("#ask-form [type=submit]").click()
    expect(page.locator("[data-introduction-status=requested]")).to_be_visible()
    expect(page.locator("[data-fact=reason]")).to_have_text(REASON)
    page.goto("/")
    expect(page.locator(".founder-introductions")).to_contain_text(UNIT)
    sign_out_any_language(page)


def _staff_forward(page: Page, lang: str, t: Words) -> None:
    sign_in_as(page, "ana@example.com", lang)
    awaiting = page.locator(".pilots-awaiting")
    awaiting.get_by_role("link", name=f"{STARTUP} → {UNIT}").click()
    expect(page.locator("[data-fact=reason]")).to_have_text(REASON)
    page.locator("#forward-form [type=submit]").click()
    expect(flash(page)).to_contain_text(
        t("Introduction forwarded: the other side is asked to answer.")
    )
    expect(page.locator("[data-introduction-status=forwarded]")).to_be_visible()
    sign_out_any_language(page)


def _partner_accepts_and_scopes(page: Page, lang: str, t: Words) -> None:
    sign_in_as(page, "helene@example.com", lang)
    page.locator(".partner-awaiting-list").get_by_role("link", name=STARTUP).click()
    page.locator("details:has(#accept-form) > summary").click()
    page.locator("textarea[name='accept-note']").fill("Jeudi à 10 h, à Montrouge.")
    page.locator("#accept-form [type=submit]").click()
    expect(page.locator("[data-introduction-status=accepted]")).to_be_visible()
    expect(page.locator("[data-fact=note]")).to_have_text("Jeudi à 10 h, à Montrouge.")

    page.locator("[data-link=scope]").click()
    form = page.locator("#pilot-form")
    expect(form.locator("[name=title]")).to_have_value(
        t("%(startup)s with %(unit)s", startup=STARTUP, unit=UNIT)
    )
    today = date.today()
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=scope_in]").fill("Deux agences régionales, 500 comptes PME.")
    form.locator("[name=scope_out]").fill("Les comptes des particuliers.")
    form.locator("[name=budget]").fill("25000")
    form.locator("[name=currency]").select_option("EUR")
    form.locator("[name=starts_on]").fill(today.isoformat())
    form.locator("[name=ends_on]").fill((today + timedelta(days=60)).isoformat())
    form.locator("[name=decision_on]").fill((today + timedelta(days=75)).isoformat())
    form.locator("[name=owner]").select_option(label="Hélène Partenaire")
    for n, (measure, target) in enumerate(
        [
            ("Fraudes détectées avant le paiement", "Au moins 80 %"),
            ("Fausses alertes par semaine", "Moins de 5"),
            ("Agences satisfaites (sur 5)", "Au moins 4"),
        ],
        start=1,
    ):
        form.locator(f"[name=target_{n}]").fill(target)
        if n < 3:  # the third criterion's measure is forgotten at first
            form.locator(f"[name=measure_{n}]").fill(measure)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.locator("[type=submit]").click()
    assert answer.value.status == 422
    expect(form.locator("#measure_3")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#measure_3 ~ .invalid-feedback")).to_have_text(t("Say what is measured."))
    expect(form.locator("[name=title]")).to_have_value(TITLE)  # nothing typed is lost
    expect(form.locator("[name=target_3]")).to_have_value("Au moins 4")
    assert_accessible(page)  # the form as shown again, its errors beside the fields
    form.locator("[name=measure_3]").fill("Agences satisfaites (sur 5)")
    form.locator("[type=submit]").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("[data-pilot-status=scoping]")).to_be_visible()
    expect(page.locator("[data-fact=owner]")).to_have_text("Hélène Partenaire")
    expect(page.locator("[data-fact=budget]")).to_have_text(t.money(2_500_000))
    expect(page.locator("[data-missing]")).to_have_count(0)  # nothing lacks: it may start

    page.locator("#start-form [type=submit]").click()
    expect(page.locator("[data-pilot-status=running]")).to_be_visible()
    expect(flash(page)).to_contain_text((today + timedelta(days=75)).isoformat())

    page.locator("details:has(#decide-form) > summary").click()
    page.locator("[name='decide-decision']").select_option("go")
    page.locator("[name='decide-contract_reference']").fill("BC-2026-0042")
    page.locator("[name='decide-contract_value']").fill("120000")
    page.locator("#decide-form [type=submit]").click()
    expect(page.locator("[data-pilot-status=decided]")).to_be_visible()
    expect(page.locator("[data-pilot-decision=go]")).to_be_visible()
    expect(flash(page)).to_contain_text(t("Decision recorded. Close the pilot with its lessons."))
    sign_out_any_language(page)


def _staff_read_history_and_report(page: Page, lang: str, t: Words, world: dict) -> None:
    sign_in_as(page, "ana@example.com", lang)
    page.goto(f"/reports/startups/{world['startup']}")
    history = page.locator(".startup-history")
    worth = t.money(CONTRACT_CENTS)
    sentences = {
        "introduction.requested": t(
            "%(who)s asked that %(startup)s and %(unit)s meet.",
            who="Fay Fondatrice",
            startup=STARTUP,
            unit=UNIT,
        ),
        "introduction.forwarded": t(
            "%(who)s forwarded the introduction of %(startup)s to %(unit)s.",
            who="Anaïs Équipe",
            startup=STARTUP,
            unit=UNIT,
        ),
        "introduction.accepted": t(
            "%(who)s accepted the introduction of %(startup)s and %(unit)s.",
            who="Hélène Partenaire",
            startup=STARTUP,
            unit=UNIT,
        ),
        "pilot.started": t(
            "%(who)s started the pilot “%(title)s” with %(unit)s.",
            who="Hélène Partenaire",
            title=TITLE,
            unit=UNIT,
        ),
        "pilot.decided": t(
            "%(who)s recorded a go for the pilot “%(title)s” with %(unit)s: a contract worth "
            "%(value)s.",
            who="Hélène Partenaire",
            title=TITLE,
            unit=UNIT,
            value=worth,
        ),
    }
    for action, sentence in sentences.items():
        expect(history.locator(f"li[data-action='{action}']")).to_contain_text(sentence)
    expect(history.locator("li[data-action='pilot.created']")).to_contain_text(TITLE)
    # the startup's section lists the pilot, decided and go
    section = page.locator(".pilots-startup-section")
    expect(section.get_by_role("link", name=TITLE)).to_be_visible()
    expect(section.locator("[data-status=go]")).to_be_visible()

    page.goto(f"/reports/pilots?program={world['program']}")
    row = page.locator(f"#units-table tr[data-row='unit-{world['unit']}']")
    expect(row.locator("th")).to_have_text(UNIT)
    expect(row.locator("[data-introductions]")).to_have_text("1")
    expect(row.locator("[data-started]")).to_have_text("1")
    expect(row.locator("[data-go-rate]")).to_contain_text("(1/1)")
    expect(row.locator("[data-contract-value]")).to_have_text(worth)
    expect(page.locator("#cohorts-table tfoot [data-contract-value]")).to_have_text(worth)
    expect(page.locator("#chart-pilots")).to_have_attribute("data-chart-drawn", "1")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_from_the_founders_request_to_a_go_seen_in_history_and_reports(
    page: Page, in_app, app, lang
):
    world = in_app(_world)
    t = Words(app, lang)
    _founder_asks(page, lang)
    _staff_forward(page, lang, t)
    _partner_accepts_and_scopes(page, lang, t)
    _staff_read_history_and_report(page, lang, t, world)


# --- A pilot without criteria does not start ---------------------------------------------------


def _scoping_without_criteria() -> int:
    staff = factories.make_user(role="staff", name="Anaïs Équipe")
    founder = factories.make_user(role="founder", name="Fay Fondatrice")
    startup = factories.make_startup(name=STARTUP, founders=[founder])
    enrollment = factories.make_enrollment(startup=startup)
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    unit = factories.make_unit(cohort=cohort, name=UNIT)
    partner = factories.make_partner(unit, email="helene@example.com", name="Hélène Partenaire")
    introduction = factories.make_introduction(
        unit=unit, startup=startup, cohort=cohort, status="accepted"
    )
    fields = factories.pilot_fields(owner=partner, title=TITLE, criteria_count=0)
    return services.create_pilot(introduction, fields=fields, actor=staff).id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_pilot_without_criteria_is_refused_its_start_and_stays_in_scoping(
    page: Page, in_app, app, lang
):
    pilot_id = in_app(_scoping_without_criteria)
    t = Words(app, lang)
    sign_in_as(page, "helene@example.com", lang)
    page.locator(".partner-pilots").get_by_role("link", name=TITLE).click()
    expect(page.locator("[data-pilot-status=scoping]")).to_be_visible()
    lacking = t("3 to 5 success criteria")
    expect(page.locator("[data-missing]")).to_contain_text(lacking)

    with page.expect_response(
        lambda r: r.url.endswith(f"/pilots/{pilot_id}/start") and r.request.method == "POST"
    ) as answer:
        page.locator("#start-form [type=submit]").click()
    assert answer.value.status == 409
    expect(flash(page)).to_contain_text(
        t("This pilot cannot start without %(missing)s.", missing=lacking)
    )
    expect(page.locator("[data-pilot-status=scoping]")).to_be_visible()
    expect(page.locator("[data-pilot-status=running]")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"/pilots/{pilot_id}(/start)?$"))
    sign_out_any_language(page)
