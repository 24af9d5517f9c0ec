"""The extension points (core/hooks.py): slots render ordered contributions, hidden when they
have nothing; registries and signals take what domains connect, once."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader

from accelerator.core import hooks


@pytest.fixture
def slot(app, monkeypatch):
    monkeypatch.setitem(hooks.SLOTS, "test.slot", hooks.Slot("test.slot", "A slot of the test."))
    loader = app.jinja_env.loader
    app.jinja_env.loader = DictLoader(
        {
            "t/a.html": "[a {{ word }}]",
            "t/b.html": "[b {{ context.word }}]",
            "t/c.html": "[c]",
        }
    )
    app.jinja_env.cache = {}
    yield "test.slot"
    app.jinja_env.loader = loader
    app.jinja_env.cache = {}


def test_contributions_render_in_order_with_the_slot_arguments(app, slot):
    hooks.SLOTS[slot].connect("t/c.html", order=30)
    hooks.SLOTS[slot].connect("t/a.html", order=10)
    hooks.SLOTS[slot].connect("t/b.html", order=20, context=lambda word: {"word": word.upper()})
    with app.test_request_context():
        html = hooks.render_slot(slot, word="hi")
    assert str(html) == "[a hi][b HI][c]"


def test_a_context_of_none_leaves_the_partial_out(app, slot):
    hooks.SLOTS[slot].connect("t/a.html", context=lambda **_: None)
    hooks.SLOTS[slot].connect("t/c.html")
    with app.test_request_context():
        assert str(hooks.render_slot(slot)) == "[c]"
        assert str(hooks.render_slot("no.such.slot")) == ""


def test_registering_again_replaces_instead_of_duplicating(app, slot):
    hooks.SLOTS[slot].connect("t/c.html", order=50)
    hooks.SLOTS[slot].connect("t/c.html", order=5)
    assert [(c.template, c.order) for c in hooks.SLOTS[slot].contributions()] == [("t/c.html", 5)]


def test_every_domain_fills_the_slots_of_the_pages_it_does_not_own(app):
    templates = {
        slot: [c.template for c in hooks.SLOTS[slot].contributions()]
        for slot in ("nav.member", "cohort.staff", "home.founder", "application.founder")
    }
    assert templates["nav.member"][:3] == [
        "applications/_nav.html",
        "reviews/_nav.html",
        "grants/_nav.html",
    ]
    assert {"reviews/_cohort_panel.html", "grants/_cohort_panel.html"} <= set(
        templates["cohort.staff"]
    )
    assert templates["home.founder"][0] == "applications/_home_founder.html"
    assert "reviews/_founder_offer.html" in templates["application.founder"]


def test_the_kept_navigation_follows_the_role_and_the_language(login_as, make, staff):
    """The navigation is rendered once per role and language and then kept: each role still
    sees its own links, in its own language, whoever asked first."""
    founder = make.make_user(role="founder")
    mentor = make.make_user(role="mentor")
    for _round in range(2):  # the second round is served from what was kept
        staff_page = login_as(staff).get("/").get_data(as_text=True)
        founder_page = login_as(founder).get("/").get_data(as_text=True)
        mentor_page = login_as(mentor).get("/").get_data(as_text=True)
        assert "Cohort reviews" in staff_page
        assert "Cohort reviews" not in founder_page and "Cohort reviews" not in mentor_page
        assert 'href="/reviews/inbox"' in mentor_page and "/reviews/inbox" not in founder_page
        french = login_as(staff).get("/", headers={"Accept-Language": "fr"})
        assert "Évaluations de la cohorte" in french.get_data(as_text=True)
        assert "Cohort reviews" not in french.get_data(as_text=True)


def test_every_extension_point_is_declared_once_with_a_docstring():
    """A reader finds every hook in core/hooks.py, each saying what it is for."""
    points = [
        value
        for value in vars(hooks).values()
        if isinstance(value, hooks.Slot | hooks.Registry) or type(value).__name__ == "NamedSignal"
    ]
    assert len(points) >= 14
    assert all((point.__doc__ or "").strip() for point in points)
    assert set(hooks.SLOTS) >= {"nav.member", "home.staff", "cohort.staff", "startup.staff"}


def test_a_registry_keeps_one_entry_per_name_in_name_order():
    registry = hooks.Registry("test", "A registry of the test.")
    registry.connect(len, name="b")
    registry.connect(max, name="a")
    registry.connect(min, name="b")
    assert registry.entries() == [("a", max), ("b", min)]

    @registry.connect(name="c")
    def third():
        return 3

    assert registry.names() == ["a", "b", "c"] and third() == 3


def test_each_domain_connects_its_rules_reminders_and_commands(app):
    assert {"missed_checkins", "overdue_milestone", "mentor_red_flag"} <= set(
        hooks.risk_rules.names()
    )
    assert "milestones" in hooks.reminders.names()
    assert {"report", "reviews"} <= set(hooks.cli_commands.names())
    assert {"applications", "grants", "milestones"} <= set(hooks.history.names())
