"""The main navigation fits the window for staff, founders and mentors, in English and French,
with the demo's longest names: at 1,280 px it stays expanded on one line and the page never
scrolls sideways; at 390 px it folds behind the menu button, and the open menu fits too."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests import factories
from tests.browser.helpers import open_account_menu, sign_in

# The longest names of seed_data/ for each role (users.csv and the founders of
# reviews_seasons.json): Élodie Marchand founds Quanta Sense, Émilie Rousseau mentors, Amélie
# Laurent administers (staff have shorter ones).
PEOPLE = {
    "staff": ("staff", "Amélie Laurent"),
    "founder": ("founder", "Élodie Marchand"),
    "mentor": ("mentor", "Émilie Rousseau"),
}
#: Far longer than any demo name: the menu cuts it with an ellipsis instead of widening the row.
VERY_LONG_NAME = "Marie-Alexandrine de La Tour d'Auvergne-Lauraguais"

#: Every item of the row on the same line, no item broken over two, nothing wider than the window.
MEASURE = """() => {
  const items = [...document.querySelectorAll('#main-nav .navbar-nav > li')];
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
    expanded: getComputedStyle(document.querySelector('.navbar-toggler')).display === 'none',
    items: items.map(li => ({text: li.innerText.trim().split('\\n')[0], top: li.offsetTop,
                             height: li.offsetHeight})),
  };
}"""


def _world() -> dict[str, str]:
    emails = {}
    for key, (role, name) in PEOPLE.items():
        emails[key] = f"{key}@example.com"
        user = factories.make_user(role=role, email=emails[key], name=name)
        if key == "founder":  # enrolled, with a grant: every founder link shows
            factories.make_enrolled(startup=factories.make_startup(founders=[user]))
    long_named = factories.make_user(role="founder", email="long@example.com", name=VERY_LONG_NAME)
    factories.make_enrolled(startup=factories.make_startup(founders=[long_named]))
    return emails


def _nav_targets(page: Page) -> list[str]:
    """Home and the pages the navigation leads to, menus included."""
    hrefs = page.eval_on_selector_all(
        "#main-nav a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(["/", *hrefs]))


def _assert_fits(page: Page, where: str) -> None:
    found = page.evaluate(MEASURE)
    assert found["scrollWidth"] <= found["width"], (
        f"{where}: the page is {found['scrollWidth'] - found['width']} px wider than the window"
    )
    if found["expanded"]:
        line = (found["items"][0]["top"], found["items"][0]["height"])
        broken = [i["text"] for i in found["items"] if (i["top"], i["height"]) != line]
        assert not broken, f"{where}: navigation items off the first line: {broken}"


def _check_role(page: Page, key: str, lang: str) -> None:
    # French has the longest labels: there, every page the navigation leads to.
    for path in _nav_targets(page) if lang == "fr" else ["/"]:
        page.set_viewport_size({"width": 1280, "height": 800})
        response = page.goto(path)
        assert response is not None and response.ok, f"{path}: {response}"
        _assert_fits(page, f"{key} {lang} 1280 px {path}")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    _assert_fits(page, f"{key} {lang} 390 px")
    open_account_menu(page)
    _assert_fits(page, f"{key} {lang} 390 px, menu open")


def test_the_navigation_fits_every_role_in_both_languages(
    browser: Browser, browser_context_args, in_app
):
    emails = in_app(_world)
    for key in PEOPLE:
        context = browser.new_context(
            **{**browser_context_args, "viewport": {"width": 1280, "height": 800}}
        )
        page = context.new_page()
        try:
            sign_in(page, emails[key])
            _check_role(page, key, "en")
            page.get_by_label("Language").select_option("fr")
            page.get_by_role("button", name="Change language").click()
            expect(page.locator("html")).to_have_attribute("lang", "fr")
            _check_role(page, key, "fr")
        finally:
            context.close()


def test_a_long_name_is_cut_in_the_row_and_whole_in_its_menu(
    browser: Browser, browser_context_args, in_app
):
    in_app(_world)
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 1280, "height": 800}}
    )
    page = context.new_page()
    try:
        sign_in(page, "long@example.com")
        toggle = page.locator(".nav-user")
        expect(toggle).to_have_attribute("title", VERY_LONG_NAME)
        name = page.locator(".nav-user-name")
        assert name.evaluate("e => e.scrollWidth > e.clientWidth"), "the name is not cut"
        assert name.evaluate("e => getComputedStyle(e).textOverflow") == "ellipsis"
        _assert_fits(page, "long name 1280 px")
        toggle.click()
        expect(page.get_by_role("link", name="Your account")).to_be_visible()
        expect(page.locator(".dropdown-menu").get_by_text(VERY_LONG_NAME)).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        page.set_viewport_size({"width": 390, "height": 800})
        page.goto("/")
        open_account_menu(page)
        expect(page.locator(".dropdown-menu").get_by_text(VERY_LONG_NAME)).to_be_visible()
        _assert_fits(page, "long name 390 px, menu open")
    finally:
        context.close()
