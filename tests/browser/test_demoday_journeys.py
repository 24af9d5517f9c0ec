"""Demo day in a real browser, in English and in French: staff plan the demo day of a running
cohort from its page (the date and time typed in the program's zone, the venue), add a guest
by hand and invite them; the guest opens the link of their invitation mail on a phone and
answers yes with one person and a dietary need (a plus-one over the cap first comes back with
the message beside the field and everything typed kept); once the event has started, staff
check the guest in at the door on a phone (search by name, tap, the count moves); the guest,
by the same link, asks for an introduction to the cohort's startup; its founder reads the
guest's name and firm on their page, never the guest's address.

The pages are found by field names, ids and data attributes (the French catalog may still
lack a string); what they say is compared with what the app says in the page's language.

Screenshots of the guest's, the door's and the founder's pages at 390 and 1,280 px are saved
under $DEMODAY_SHOTS when it is set (to look at the layout by eye).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from accelerator.core.models import OutboxEmail
from accelerator.core.timeutil import local_to_utc
from accelerator.core.types import utcnow
from accelerator.demoday.models import DemoDay, Guest
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from tests import factories
from tests.browser.helpers import flash, sign_in_as, sign_out_any_language
from tests.browser.test_testers_journeys import LANGUAGES, PHONE, Words, _phone

STARTUP = "Société Éclair"
COHORT = "Saison Été 12"
TZ = "Europe/Paris"
VENUE = "Orange Gardens, 40 avenue de la République, Châtillon"
GUEST, FIRM = "Hélène Investisseuse", "Fonds Étoile"
GUEST_EMAIL = "helene.investisseuse@fonds.example.net"
DIETARY = "Végétarienne, sans noix"
TOKEN = re.compile(r"/demo-day/rsvp/([A-Za-z0-9_\-]+)")
WIDE = {"width": 1280, "height": 900}


def _shot(page: Page, name: str) -> None:
    """Screenshots at 390 px and 1,280 px when $DEMODAY_SHOTS names a folder."""
    folder = os.environ.get("DEMODAY_SHOTS")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    size = page.viewport_size
    for label, viewport in (("390", PHONE["viewport"]), ("1280", WIDE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=os.path.join(folder, f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(size)


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], f"{page.url} is {width}px wide on a phone"


# --- The world ---------------------------------------------------------------------------------


def _world() -> dict:
    factories.make_user(role="staff", email="ana@example.com", name="Anaïs Équipe")
    founder = factories.make_user(role="founder", email="fay@example.com", name="Fay Fondatrice")
    program = factories.make_program(name="Orange Fab France", timezone=TZ)
    cohort = factories.make_cohort(program=program, phase="running", name=COHORT)
    startup = factories.make_startup(name=STARTUP, founders=[founder])
    factories.make_enrollment(cohort=cohort, startup=startup)
    return {"cohort_id": cohort.id, "startup_id": startup.id}


def _token_of(email: str) -> Callable[[], str]:
    def read() -> str:
        bodies = db.session.scalars(
            select(OutboxEmail.body).where(OutboxEmail.to == email).order_by(OutboxEmail.id)
        ).all()
        assert len(bodies) == 1, bodies  # one invitation
        return TOKEN.search(bodies[0]).group(1)

    return read


def _started(demo_day_id: int) -> Callable[[], None]:
    """The first pitch started an hour ago: the door and the guests' interest open."""

    def move() -> None:
        db.session.execute(
            update(DemoDay)
            .where(DemoDay.id == demo_day_id)
            .values(starts_at=(utcnow() - timedelta(hours=1)).replace(microsecond=0))
        )

    return move


# --- The journey -------------------------------------------------------------------------------


def _staff_plan_and_invite(page: Page, lang: str, t: Words, cohort_id: int) -> tuple[int, int]:
    sign_in_as(page, "ana@example.com", lang)
    page.goto(f"/cohorts/{cohort_id}")
    page.locator(f".demoday-cohort-panel a[href$='/demo-day/cohorts/{cohort_id}/new']").click()

    form = page.locator("#demo-day-form")
    today = datetime.now(ZoneInfo(TZ)).replace(tzinfo=None)
    local = (today + timedelta(days=20)).replace(hour=18, minute=30, second=0, microsecond=0)
    form.locator("[name=starts_at]").fill(local.strftime("%Y-%m-%dT%H:%M"))
    form.locator("[name=venue]").fill(VENUE)
    form.locator("[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/demo-day/\d+/manage$"))
    expect(flash(page)).to_contain_text(t("Demo day planned for %(cohort)s.", cohort=COHORT))
    starts_at = local_to_utc(local, TZ)
    expect(page.locator("main")).to_contain_text(t.shown("when|dt(tz)", when=starts_at, tz=TZ))
    expect(page.locator("main")).to_contain_text(VENUE)
    demo_day_id = int(re.search(r"/demo-day/(\d+)/manage", page.url).group(1))

    page.locator(".demo-day-tabs a[href$='/guests']").click()
    expect(page.locator(".demo-day-tabs a[aria-current=page]")).to_have_attribute(
        "href", re.compile(r"/guests$")
    )
    page.locator(f"a[href$='/demo-day/{demo_day_id}/guests/new']").click()
    page.locator("[name=name]").fill(GUEST)
    page.locator("[name=email]").fill(GUEST_EMAIL)
    page.locator("[name=firm]").fill(FIRM)
    page.locator("[name=kind]").select_option("investor")
    page.locator("[name=locale]").select_option(lang)
    page.locator("form:has([name=email]) [type=submit]").click()
    expect(flash(page)).to_contain_text(t("%(name)s is on the guest list.", name=GUEST))

    row = page.locator("tr[data-guest]", has_text=GUEST)
    expect(row).to_contain_text(FIRM)
    guest_id = int(row.get_attribute("data-guest"))
    row.locator("input[name=guest]").check()
    page.locator(
        f"form[action$='/demo-day/{demo_day_id}/guests/invite'] button[type=submit]:not([name])"
    ).click()
    expect(flash(page)).to_contain_text(t.n("%(num)d guest invited.", "%(num)d guests invited.", 1))
    expect(page.locator("[data-count=invitations]")).to_have_text("1")
    sign_out_any_language(page)
    return demo_day_id, guest_id


def _guest_answers_on_a_phone(phone: Page, token: str, lang: str, t: Words, starts_at) -> None:
    phone.goto(f"/demo-day/rsvp/{token}")
    expect(phone.locator("html")).to_have_attribute("lang", lang)
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        t("Demo day of %(cohort)s", cohort=COHORT)
    )
    expect(phone.locator("[data-when]")).to_have_text(t.shown("when|dt(tz)", when=starts_at, tz=TZ))
    expect(phone.locator("[data-venue]")).to_have_text(VENUE)
    expect(phone.locator("[data-answer=invited]")).to_be_attached()

    # Two people with them: over the cap of one, refused beside the field, nothing typed lost
    phone.locator("input[name=answer][value=yes]").check()
    phone.locator("[name=plus_ones]").fill("2")
    phone.locator("[name=dietary]").fill(DIETARY)
    _fits(phone)
    with phone.expect_response(
        lambda r: (
            r.url.split("?")[0].endswith(f"/demo-day/rsvp/{token}") and r.request.method == "POST"
        )
    ) as answer:
        phone.locator("form:has([name=answer]) [type=submit]").tap()
    assert answer.value.status == 422
    plus_ones = phone.locator("#plus_ones")
    expect(plus_ones).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(phone.locator("#plus_ones ~ .invalid-feedback")).to_have_text(
        t.n("You may bring at most %(num)d person.", "You may bring at most %(num)d people.", 1)
    )
    expect(plus_ones).to_have_value("2")
    expect(phone.locator("[name=dietary]")).to_have_value(DIETARY)
    expect(phone.locator("input[name=answer][value=yes]")).to_be_checked()

    plus_ones.fill("1")
    phone.locator("form:has([name=answer]) [type=submit]").tap()
    expect(phone).to_have_url(re.compile(r"[?&]saved=yes"))
    expect(phone.locator("[data-answer=yes] .alert")).to_have_text(
        t.n(
            "You are coming: %(num)d seat is kept for you.",
            "You are coming: %(num)d seats are kept for you and the people with you.",
            2,
        )
    )
    expect(phone.locator("[name=plus_ones]")).to_have_value("1")
    expect(phone.locator("[name=dietary]")).to_have_value(DIETARY)
    _fits(phone)
    _shot(phone, f"rsvp-{lang}")


def _staff_check_in_on_a_phone(phone: Page, lang: str, t: Words, demo_day_id, guest_id) -> None:
    sign_in_as(phone, "ana@example.com", lang)
    phone.goto(f"/demo-day/{demo_day_id}/door/check-in")
    count = phone.locator(".door-count")
    expect(count).to_have_attribute("data-arrived", "0")
    expect(count).to_have_attribute("data-expected", "1")  # guests coming (not seats)
    phone.locator("#door-q").fill("helene")  # without its accent, in lower case
    phone.locator(".door-search [type=submit]").tap()
    expect(phone).to_have_url(re.compile(r"[?&]q=helene"))
    row = phone.locator(f"li[data-guest='{guest_id}']")
    expect(row).to_contain_text(GUEST)
    expect(row).to_contain_text(FIRM)
    expect(row).to_contain_text(t.n("+%(num)d guest", "+%(num)d guests", 1))
    expect(phone.locator("li[data-guest]")).to_have_count(1)
    _fits(phone)
    row.locator("form[action*='/arrived'] button").tap()

    expect(count).to_have_attribute("data-arrived", "1")
    expect(phone.locator(f"li[data-guest='{guest_id}'][data-arrived]")).to_be_attached()
    expect(phone.locator(f"li[data-guest='{guest_id}'] form[action*='/undo']")).to_be_attached()
    expect(flash(phone)).to_contain_text(GUEST)
    expect(count).to_contain_text(
        t("%(arrived)d arrived of %(expected)d expected", arrived=1, expected=1)
    )
    _fits(phone)
    _shot(phone, f"check-in-{lang}")
    sign_out_any_language(phone)


def _guest_asks_for_an_introduction(
    phone: Page, token: str, lang: str, t: Words, startup_id: int
) -> None:
    phone.goto(f"/demo-day/rsvp/{token}")
    expect(phone.locator("[data-started]")).to_have_text(
        t("The demo day has started: answers can no longer be changed.")
    )
    expect(phone.locator("form [name=answer]")).to_have_count(0)
    phone.locator("[data-interest-link]").tap()

    expect(phone).to_have_url(re.compile(rf"/demo-day/rsvp/{re.escape(token)}/interest$"))
    expect(phone.locator("html")).to_have_attribute("lang", lang)
    card = phone.locator(f"li[data-startup='{startup_id}']")
    expect(card.get_by_role("heading", level=2)).to_have_text(STARTUP)
    want = card.locator(f"input[name=want_{startup_id}]")
    expect(want).not_to_be_checked()
    expect(card.locator(f"label[for=want-{startup_id}]")).to_have_text(
        t("I'd like an introduction")
    )
    card.locator(f"label[for=want-{startup_id}]").tap()
    expect(want).to_be_checked()
    card.locator(f"[name=note_{startup_id}]").fill("Nous investissons en amorçage télécom.")
    _fits(phone)
    phone.locator("form.guest-interest [type=submit]").tap()

    expect(flash(phone)).to_have_text(t("Saved. The program team will be in touch."))
    expect(phone.locator(f"li[data-startup='{startup_id}'][data-asked]")).to_be_attached()
    expect(phone.locator(f"input[name=want_{startup_id}]")).to_be_checked()
    phone._page_audit.run()


def _founder_reads_who_asked(page: Page, lang: str, t: Words) -> None:
    sign_in_as(page, "fay@example.com", lang)
    home = page.locator(".founder-demoday-interest")
    expect(home).to_contain_text(GUEST)
    home.locator("a[href$='/demo-day/interest']").click()

    expect(page).to_have_url(re.compile(r"/demo-day/interest$"))
    row = page.locator("table.founder-interest tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("[data-guest-name]")).to_have_text(GUEST)
    expect(row.locator("[data-guest-firm]")).to_have_text(FIRM)
    expect(row.locator("[data-cohort]")).to_have_text(COHORT)
    expect(row.locator("[data-introduction]")).to_contain_text(t("Not yet"))
    # on a phone the guest, their firm and the introduction's state stay in sight
    page.set_viewport_size(PHONE["viewport"])
    expect(row.locator("[data-introduction] .badge")).to_be_in_viewport()
    expect(row.locator("td").first).to_contain_text(FIRM)
    _fits(page)
    page.set_viewport_size(WIDE)
    shown = page.content()
    assert GUEST_EMAIL not in shown and "fonds.example.net" not in shown
    _shot(page, f"founder-{lang}")
    sign_out_any_language(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_demo_day_from_planning_to_the_founders_introductions(
    page: Page, browser: Browser, live_server, in_app, app, lang
):
    world = in_app(_world)
    t = Words(app, lang)
    demo_day_id, guest_id = _staff_plan_and_invite(page, lang, t, world["cohort_id"])
    token = in_app(_token_of(GUEST_EMAIL))
    starts_at = in_app(lambda: db.session.get(DemoDay, demo_day_id).starts_at)

    guest_phone = _phone(browser, live_server, lang)
    try:
        _guest_answers_on_a_phone(guest_phone, token, lang, t, starts_at)
        saved = in_app(
            lambda: db.session.execute(
                select(Guest.rsvp, Guest.plus_ones, Guest.seats, Guest.dietary).where(
                    Guest.id == guest_id
                )
            ).one()
        )
        assert (saved.rsvp.value, saved.plus_ones, saved.seats, saved.dietary) == (
            "yes",
            1,
            2,
            DIETARY,
        )

        in_app(_started(demo_day_id))
        staff_phone = _phone(browser, live_server, lang)
        try:
            _staff_check_in_on_a_phone(staff_phone, lang, t, demo_day_id, guest_id)
        finally:
            staff_phone.context.close()
        assert in_app(lambda: db.session.get(Guest, guest_id).checked_in_at) is not None

        _guest_asks_for_an_introduction(guest_phone, token, lang, t, world["startup_id"])
    finally:
        guest_phone.context.close()

    _founder_reads_who_asked(page, lang, t)


# --- Before the event: the door and the introductions wait ------------------------------------


def _planned_with_a_guest(lang: str) -> Callable[[], dict]:
    """A demo day in ten days and a guest coming, who speaks `lang`."""

    def build() -> dict:
        world = _world()
        demo_day = factories.make_demo_day(db.session.get(Cohort, world["cohort_id"]))
        _guest, token = factories.make_guest(
            demo_day, rsvp="yes", name=GUEST, firm=FIRM, locale=lang
        )
        return {"demo_day_id": demo_day.id, "token": token, "starts_at": demo_day.starts_at}

    return build


@pytest.mark.parametrize("lang", LANGUAGES)
def test_before_the_event_the_door_and_the_introductions_wait(page: Page, in_app, app, lang):
    world = in_app(_planned_with_a_guest(lang))
    t = Words(app, lang)
    page.set_viewport_size(PHONE["viewport"])
    answer = page.goto(f"/demo-day/rsvp/{world['token']}/interest")
    assert answer is not None and answer.status == 409
    expect(page.locator("html")).to_have_attribute("lang", lang)  # the guest's language
    when = t.shown("when|dt(tz)", when=world["starts_at"], tz=TZ)
    expect(page.locator("main")).to_contain_text(
        t("Asking for introductions opens when the demo day starts, %(when)s.", when=when)
    )
    _fits(page)

    sign_in_as(page, "ana@example.com", lang)
    answer = page.goto(f"/demo-day/{world['demo_day_id']}/door/check-in")
    assert answer is not None and answer.status == 409
    day = t.shown("when|dt(tz, 'date')", when=world["starts_at"], tz=TZ)
    expect(page.locator("main")).to_contain_text(
        t("Check-in opens on the day of the event, %(date)s.", date=day)
    )
    expect(page.locator("form[action*='/arrived']")).to_have_count(0)
    _fits(page)
    sign_out_any_language(page)
