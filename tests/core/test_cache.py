"""Figures kept by the version of the data they read (core/cache.py): computed once, computed
afresh after any committed write to a table they read, never from another transaction's
uncommitted work, and computed on every view when the cache cannot be reached."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest

from accelerator.applications.models import Startup
from accelerator.core import cache
from accelerator.core.timeutil import local_today
from accelerator.core.types import clock_at
from accelerator.extensions import db
from accelerator.programs.models import Program
from tests import factories

UNREACHABLE = "redis://127.0.0.1:1"  # nothing listens on port 1: refused at once


class Counter:
    """A computation that says how often it ran."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> list[int]:
        self.runs += 1
        return [self.runs]


def _program_count() -> int:
    return db.session.query(Program).count()


def test_figures_are_computed_once_until_a_table_they_read_changes(app, db):
    work = Counter()
    factories.make_program()
    db.session.commit()
    first = cache.kept("t", 1, reads=(Program,), compute=work)
    assert cache.kept("t", 1, reads=(Program,), compute=work) == first == [1]
    assert work.runs == 1
    factories.make_startup()  # a table the figures do not read
    db.session.commit()
    assert cache.kept("t", 1, reads=(Program,), compute=work) == [1]
    factories.make_program()
    db.session.commit()
    assert cache.kept("t", 1, reads=(Program,), compute=work) == [2]
    assert cache.kept("t", 2, reads=(Program,), compute=work) == [3]  # another key


def test_figures_must_name_every_table_they_read(app, db):
    """A forgotten table would let figures outlive a change there: the tests refuse it."""
    factories.make_startup()
    db.session.commit()

    def startups() -> int:
        return db.session.query(Startup).count()

    with pytest.raises(cache.UndeclaredReads, match="startups"):
        cache.kept("forgot", 1, reads=(Program,), compute=startups)
    assert cache.kept("named", 1, reads=(Program, Startup), compute=startups) == 1


def test_the_value_is_a_copy_nobody_else_holds(app, db):
    kept = cache.kept("copy", 1, reads=("programs",), compute=lambda: {"rows": [1, 2]})
    kept["rows"].append(3)
    assert cache.kept("copy", 1, reads=("programs",), compute=dict) == {"rows": [1, 2]}


def test_a_transactions_own_unflushed_or_uncommitted_writes_are_counted_not_kept(app, db):
    factories.make_program()
    db.session.commit()
    assert cache.kept("n", 1, reads=(Program,), compute=_program_count) == 1
    db.session.add(Program(name="Société Éclair", location="Lyon", timezone="Europe/Paris"))
    assert cache.kept("n", 1, reads=(Program,), compute=_program_count) == 2  # pending
    db.session.flush()
    assert cache.kept("n", 1, reads=(Program,), compute=_program_count) == 2  # flushed
    db.session.rollback()
    # The rollback made every figure that counted the program stale, kept or not.
    assert cache.kept("n", 1, reads=(Program,), compute=_program_count) == 1


def _submitted(page: str) -> str:
    return re.search(r'data-stage="submitted">.*?<td class="text-end">([^<]*)</td>', page)[1]


def test_a_page_shows_the_change_committed_by_the_request_before(db, client, login_as, staff):
    """Through HTTP: the reports page keeps its figures, and an application submitted between
    two views counts on the second."""
    cohort = factories.make_cohort(phase="reviewing")
    startup = factories.make_startup(name="Société Éclair")
    factories.make_application(cohort=cohort, startup=startup, status="submitted")
    db.session.commit()
    login_as(staff)
    url = f"/reports/?program={cohort.program_id}"
    assert _submitted(client.get(url).get_data(as_text=True)) == "1"
    assert _submitted(client.get(url).get_data(as_text=True)) == "1"
    factories.make_application(cohort=cohort, status="submitted")
    db.session.commit()
    assert _submitted(client.get(url).get_data(as_text=True)) == "2"


def test_without_a_store_nothing_is_kept(build_app):
    other = build_app(CACHE_URL="", RATELIMIT_STORAGE_URI="memory://")
    work = Counter()
    with other.app_context():
        assert cache.kept("none", 1, reads=(Program,), compute=work) == [1]
        assert cache.kept("none", 1, reads=(Program,), compute=work) == [2]


def test_an_unreachable_cache_computes_every_view_and_says_so(build_app, caplog):
    other = build_app(CACHE_URL=UNREACHABLE, RATELIMIT_STORAGE_TIMEOUT=0.2)
    work = Counter()
    with other.app_context(), caplog.at_level(logging.WARNING):
        assert cache.kept("down", 1, reads=(Program,), compute=work) == [1]
        assert cache.kept("down", 1, reads=(Program,), compute=work) == [2]
        factories.make_program()
        db.session.commit()  # the bump fails quietly: the commit stands
    assert any("cache: cannot read versions" in r.getMessage() for r in caplog.records)


def test_workers_sharing_redis_see_each_others_commits(build_app, redis_server):
    """Two apps on one Redis stand for two gunicorn workers (or a worker and the job worker):
    what one commits makes the other compute afresh."""
    port, start = redis_server
    start()
    url = f"redis://127.0.0.1:{port}/0"
    web, jobs = build_app(CACHE_URL=url), build_app(CACHE_URL=url)
    work = Counter()
    with web.app_context():
        assert cache.kept("shared", 1, reads=(Program,), compute=work) == [1]
        assert cache.kept("shared", 1, reads=(Program,), compute=work) == [1]
    with jobs.app_context():
        assert cache.kept("shared", 1, reads=(Program,), compute=work) == [1]  # shared entry
        factories.make_program()
        db.session.commit()
    with web.app_context():
        assert cache.kept("shared", 1, reads=(Program,), compute=work) == [2]


def _signed_in(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page))


def test_a_kept_page_with_forms_carries_each_viewers_own_token(build_app, db, staff, count_queries):
    """A kept part with forms (kept_body(forms=True), the matching page) is shared, but each
    viewer's forms carry their own CSRF token, which their post then passes."""
    guarded = build_app(WTF_CSRF_ENABLED=True)
    cohort = factories.make_cohort(phase="running")
    factories.make_enrollment(cohort=cohort)
    db.session.commit()
    url = f"/mentoring/cohorts/{cohort.id}/matching"
    other = factories.make_user(role="staff", name="Ada Staff")
    db.session.commit()
    sam, ada = _signed_in(guarded, staff), _signed_in(guarded, other)
    first = sam.get(url).get_data(as_text=True)
    with count_queries() as counter:
        second = ada.get(url).get_data(as_text=True)  # kept: computed for Sam
    assert counter.count and not any("mentor_matches" in s for s in counter.statements)
    assert "csrf-hole" not in first + second
    assert len(_tokens(first)) == 1 and len(_tokens(second)) == 1
    assert _tokens(first) != _tokens(second)
    same = first.replace(_tokens(first).pop(), "").replace("Sam Staff", "")
    assert same == second.replace(_tokens(second).pop(), "").replace("Ada Staff", "")
    # Ada's token from the kept page is hers: her post passes the CSRF check (no mentor is
    # available, so the run is refused with its message, not with a 400).
    response = ada.post(f"{url}/run", data={"csrf_token": _tokens(second).pop()})
    assert response.status_code == 409 and "No mentor" in response.get_data(as_text=True)
    assert sam.post(f"{url}/run", data={"csrf_token": _tokens(second).pop()}).status_code == 400


def test_a_value_that_changes_by_the_clock_is_kept_until_then(app, db):
    """`changes_at`: an offer's deadline, with no write anywhere, ends what was kept."""
    noon = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    work = Counter()

    def deadline_figures() -> list[int]:
        cache.changes_at(noon + timedelta(hours=1))
        return work()

    with clock_at(noon):
        assert cache.kept("deadline", 1, reads=(Program,), compute=deadline_figures) == [1]
    with clock_at(noon + timedelta(minutes=59)):
        assert cache.kept("deadline", 1, reads=(Program,), compute=deadline_figures) == [1]
    with clock_at(noon + timedelta(hours=1, seconds=1)):
        assert cache.kept("deadline", 1, reads=(Program,), compute=deadline_figures) == [2]


def test_a_moment_already_past_is_computed_every_time(app, db):
    noon = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    work = Counter()

    def stale() -> list[int]:
        cache.changes_at(noon - timedelta(seconds=1))
        return work()

    with clock_at(noon):
        assert cache.kept("stale", 1, reads=(Program,), compute=stale) == [1]
        assert cache.kept("stale", 1, reads=(Program,), compute=stale) == [2]


def test_figures_kept_inside_others_pass_on_when_they_change(app, db):
    """An outer value holding an inner kept one ends when the inner one does, even when the
    inner one came from the cache."""
    noon = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    inner, outer = Counter(), Counter()

    def inner_figures() -> list[int]:
        cache.changes_at(noon + timedelta(hours=1))
        return inner()

    def outer_figures() -> tuple[list[int], list[int]]:
        return cache.kept("inner", 1, reads=(Program,), compute=inner_figures), outer()

    with clock_at(noon):
        cache.kept("inner", 1, reads=(Program,), compute=inner_figures)  # the inner one is kept
        assert cache.kept("outer", 1, reads=(Program,), compute=outer_figures) == ([1], [1])
        assert cache.kept("outer", 1, reads=(Program,), compute=outer_figures) == ([1], [1])
    with clock_at(noon + timedelta(hours=2)):
        assert cache.kept("outer", 1, reads=(Program,), compute=outer_figures) == ([2], [2])


def test_asking_what_day_it_is_in_a_zone_keeps_a_value_until_midnight_there(app, db):
    """Auckland's day ends at 11:00 UTC in March (UTC+13): a value that asked it ends then."""
    morning = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    work = Counter()

    def daily() -> tuple[str, list[int]]:
        return local_today("Pacific/Auckland").isoformat(), work()

    with clock_at(morning):
        assert cache.kept("daily", 1, reads=(Program,), compute=daily) == ("2027-03-01", [1])
    with clock_at(morning + timedelta(hours=1, minutes=59)):
        assert cache.kept("daily", 1, reads=(Program,), compute=daily) == ("2027-03-01", [1])
    with clock_at(morning + timedelta(hours=2)):
        assert cache.kept("daily", 1, reads=(Program,), compute=daily) == ("2027-03-02", [2])
