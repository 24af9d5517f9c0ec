"""The home page sends each role to its place; domains add panels to it."""

from __future__ import annotations

import pytest
from jinja2 import ChoiceLoader, DictLoader

from accelerator.core import hooks
from tests.auth.helpers import text


def test_visitors_see_the_landing_page(client):
    page = text(client.get("/"))
    assert "Grow your startup with a corporate partner" in page
    assert 'href="/signup"' in page and 'href="/login"' in page


@pytest.mark.parametrize(
    "role,expected",
    [
        ("founder", "This is your startup's home"),
        ("mentor", "Your startups and sessions will appear here"),
        ("staff", "Who did what, and when"),
        ("admin", "Who did what, and when"),
    ],
)
def test_each_role_gets_its_home(login_as, make, role, expected):
    user = make.make_user(role=role, name="Pat Doe")
    page = text(login_as(user).get("/"))
    assert "Hello, Pat Doe" in page
    assert expected in page


def test_navigation_shows_what_the_role_can_do(login_as, staff, founder):
    staff_page = text(login_as(staff).get("/"))
    assert 'href="/audit"' in staff_page and 'href="/outbox"' in staff_page
    founder_page = text(login_as(founder).get("/"))
    assert 'href="/audit"' not in founder_page and 'href="/users"' not in founder_page
    assert 'href="/account"' in founder_page


def test_panels_get_their_context_both_ways(build_app, make, monkeypatch):
    other = build_app()
    other.jinja_env.loader = ChoiceLoader(
        [
            DictLoader({"test/_panel.html": "<p id=panel>{{ context.word }}/{{ word }}</p>"}),
            other.jinja_env.loader,
        ]
    )
    slot = hooks.Slot("home.mentor", "The mentor's home, for this test.")
    monkeypatch.setitem(hooks.SLOTS, "home.mentor", slot)
    slot.connect("test/_panel.html", context=lambda user: {"word": f"hi-{user.name}"})
    slot.connect("test/_hidden.html", context=lambda user: None)
    user = make.make_user(role="mentor", name="Max")
    client = other.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    page = client.get("/").get_data(as_text=True)
    assert "<p id=panel>hi-Max/hi-Max</p>" in page
    assert "No startups assigned to you yet." not in page  # a panel replaces the empty state
