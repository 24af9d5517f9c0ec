"""A business-unit partner's navigation leads only to pages that let them in.

The partner's home is the pilots domain's; these tests read the navigation on the account page,
which every signed-in person has.
"""

from __future__ import annotations

import re

import pytest

_NAV = re.compile(r'<nav class="navbar.*?</nav>', re.S)
_HREF = re.compile(r'href="(/[^"#]*)"')


def _nav_links(page: str) -> list[str]:
    nav = _NAV.search(page)
    assert nav is not None
    return sorted(set(_HREF.findall(nav.group(0))))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_link_of_a_partners_navigation_opens(client, login_as, make, lang):
    partner = make.make_user(role="partner", name="Hélène Partenaire")
    for _round in range(2):  # the second round reads the navigation kept for the role
        login_as(partner)
        page = client.get("/account", headers={"Accept-Language": lang})
        assert page.status_code == 200
        links = _nav_links(page.get_data(as_text=True))
        assert "/account" in links
        for link in links:
            if link in ("/", "/static/"):
                continue  # the partner's home belongs to the pilots domain
            answer = client.get(link)
            assert answer.status_code in (200, 302), f"{link}: {answer.status_code}"


def test_a_partners_navigation_has_no_founder_mentor_or_staff_pages(client, login_as, make):
    login_as(make.make_user(role="partner"))
    links = _nav_links(client.get("/account").get_data(as_text=True))
    for path in (
        "/mentoring/sessions",
        "/mentoring/office-hours",
        "/mentoring/mentors",
        "/mentoring/matches",
        "/startup",
        "/grants",
        "/milestones",
        "/reviews",
        "/reports",
        "/users",
        "/audit",
    ):
        assert not any(link.startswith(path) for link in links), (path, links)
