"""Pagination: a short page is the last one and shows its total, unless its rows merged."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accelerator.applications.models import Application, Startup, StartupMember
from accelerator.core.pagination import paginate
from tests import factories


def _page(app, statement, number: int, per_page: int):
    with app.test_request_context(f"/?page={number}"):
        return paginate(statement, per_page=per_page)


def test_a_short_last_page_gives_the_total_it_shows(app, db):
    for name in ("Alpha", "Bêta", "Société Éclair"):
        factories.make_startup(name=name)
    statement = select(Startup).order_by(Startup.name)
    first, last = _page(app, statement, 1, 2), _page(app, statement, 2, 2)
    assert [s.name for s in first.items] == ["Alpha", "Bêta"] and first.total == 3
    assert [s.name for s in last.items] == ["Société Éclair"] and last.total == 3
    assert first.has_next and not last.has_next


def test_rows_merged_by_a_join_are_counted_not_taken_for_the_last_page(app, db):
    twice = factories.make_startup(name="Alpha")
    factories.make_application(startup=twice)
    factories.make_application(startup=twice)
    once = factories.make_startup(name="Bêta")
    factories.make_application(startup=once)
    # One row per application: Alpha's two rows merge into one entity on the first page.
    statement = select(Startup).join(Application).order_by(Startup.name, Application.id)
    first = _page(app, statement, 1, 2)
    assert [s.name for s in first.items] == ["Alpha"]
    assert first.total == 3 and first.has_next  # counted: the page was short, not the last


def test_joined_eager_collections_page_by_entity(app, db):
    for name in ("Alpha", "Bêta", "Gamma"):
        factories.make_startup(name=name, founders=[factories.make_user(), factories.make_user()])
    statement = (
        select(Startup)
        .options(joinedload(Startup.members).joinedload(StartupMember.user))
        .order_by(Startup.name)
    )
    # The ORM limits startups, not rows (it wraps the query), and makes each startup one item.
    first, second = _page(app, statement, 1, 2), _page(app, statement, 2, 2)
    assert [len(s.members) for s in first.items] == [2, 2] and first.has_next
    assert [s.name for s in second.items] == ["Gamma"] and second.total == 3
