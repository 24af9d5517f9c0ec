"""Markup that axe-core flagged (the browser tests run axe itself over every journey page)."""

from __future__ import annotations

import re


def test_sort_state_sits_on_the_column_header_not_the_link(login_as, make, staff):
    cohort = make.make_cohort(phase="reviewing")
    make.make_application(cohort=cohort, status="in_review")
    for url in ("/applications?sort=startup&dir=asc", f"/reviews/cohorts/{cohort.id}/ranking"):
        page = login_as(staff).get(url).get_data(as_text=True)
        assert re.search(r'<th scope="col"[^>]*aria-sort="(ascending|descending)"', page), url
        assert not re.search(r"<a [^>]*aria-sort", page), url


def test_the_visitor_home_sign_in_button_has_enough_contrast(client):
    page = client.get("/").get_data(as_text=True)
    sign_in = re.search(r'<a class="([^"]*)" href="/login">', page).group(1)
    assert "btn-outline-secondary" not in sign_in  # #6c757d on #f8f9fa is 4.45:1, under 4.5:1
