"""axe-core (WCAG 2.1 AA) over every page the browser journeys visit, once per role and page.

Each journey's page records where it goes; before a sign-out and at the end of the test, the
pages this role has not had checked yet are opened again (GET) and axe must find nothing.
The check is keyed by role and path shape (ids folded), so the whole suite stays cheap.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Error, Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Downloads and actions, not pages.
_NOT_PAGES = re.compile(r"/(deck|export\.\w+|sample\.csv|logout)$|\.(csv|xlsx|pdf)$")
_CHECKED: set[tuple[str, str]] = set()


#: The impacts the walk over every page refuses (tests/browser/test_accessibility_walk.py).
SERIOUS = frozenset({"serious", "critical"})


_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                   resultTypes: ['violations']})"""


def _lines(found: list[dict], impacts: frozenset[str] | None) -> list[str]:
    """axe's violations (of `impacts` only, when given), each as a line a person reads."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in found
        if impacts is None or v["impact"] in impacts
    ]


def violations(page: Page, impacts: frozenset[str] | None = None) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    return _lines(page.evaluate(_RUN, WCAG_21_AA)["violations"], impacts)


def install_axe(context: BrowserContext) -> None:
    """axe-core in every page the context opens, from its first script on."""
    context.add_init_script(path=str(AXE))


def start_axe(page: Page) -> None:
    """Start axe on the page as it is now (axe installed in its context) without waiting for
    it: several pages, each in its own browser process, are checked at once."""
    page.evaluate(f"tags => {{ window.__axeRun = ({_RUN})(tags); }}", WCAG_21_AA)


def started_violations(page: Page, impacts: frozenset[str] | None = None) -> list[str]:
    """What the check `start_axe` began on the page found."""
    return _lines(page.evaluate("() => window.__axeRun")["violations"], impacts)


def assert_accessible(page: Page) -> None:
    """axe-core on the page as it is now: zero WCAG 2.1 A/AA violations."""
    problems = violations(page)
    assert not problems, f"axe on {page.url}:\n" + "\n".join(problems)


def _shape(url: str) -> str:
    return re.sub(r"/\d+", "/{id}", urlsplit(url).path)


class PageAudit:
    """Remembers the pages a journey opens; `run()` checks the ones not checked for this role."""

    def __init__(self, page: Page):
        self.page = page
        self.visited: list[str] = []
        page.on("framenavigated", self._seen)

    def _seen(self, frame) -> None:
        if frame == self.page.main_frame and frame.url.startswith("http"):
            self.visited.append(frame.url)

    def run(self) -> None:
        page = self.page
        try:
            role = page.evaluate("document.body ? (document.body.dataset.role || '') : ''")
        except Error:
            role = ""
        urls, self.visited = list(dict.fromkeys(self.visited)), []
        for url in urls:
            key = (role, _shape(url))
            if key in _CHECKED or _NOT_PAGES.search(urlsplit(url).path):
                continue
            _CHECKED.add(key)
            response = page.goto(url)
            content_type = response.headers.get("content-type", "") if response else ""
            if response is None or response.status != 200 or "text/html" not in content_type:
                continue
            assert_accessible(page)
        self.visited = []


def audit_of(page: Page) -> PageAudit | None:
    return getattr(page, "_page_audit", None)
