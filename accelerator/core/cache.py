"""Figures shared between users, kept under the version of the data they are computed from.

A page that aggregates many rows the same way for everyone who may open it (the program
overview over 100,000 applications, a test campaign's results) keeps what it computed in the
shared cache under a key that names the version of every table it reads:

    figures = kept("program-overview", key, reads=(Application, Review), compute=work)

Every committed INSERT, UPDATE or DELETE bumps its table's version (the engine events below
note the tables a transaction wrote and bump them when it commits), so the first view after a
change computes afresh and nothing has to be invalidated by hand. Nothing personal is kept:
a page's own rows, its user and its permissions are read on every request; only figures every
viewer would compute alike are, and the key says whatever they depend on (the locale, for
translated labels).

Where it lives (`CACHE_URL`): Redis (`redis://...`; by default the rate limiter's Redis when
it has one) holds the versions and the figures for every worker and the job worker, whose
writes bump the same versions. `memory://` keeps both in the process (tests, and a one-process
development server). Empty: nothing is kept, everything is computed on each view (development
without Redis, where a separate job worker could not bump this process's versions).

Two bumps per commit keep a view from storing figures computed before a commit under the
version that follows it: one just before the commit (views starting then compute afresh) and
one just after it (what a view computed from the old data is stored under a version nobody
asks for any more). An entry also expires after `CACHE_SECONDS` (10 minutes), the bound on
staleness if Redis missed a bump while unreachable. On PostgreSQL (read committed) every
statement sees the commits made before it; on SQLite a transaction keeps its first snapshot,
so a development server may show figures one change late until the next change.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_app_context, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import Table, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors

log = logging.getLogger(__name__)

T = TypeVar("T")
_MISSING = object()
_PREFIX = "accelerator:cache:"
#: Where entries live: each is pickled (value, until), `until` the moment the clock ends it.
_ENTRY = "v2:"
#: Tables written by the transaction of a connection, noted until its commit.
_WRITTEN = "accelerator.cache.written"
#: Tables written by that transaction, noted until it ends (what a rollback makes stale).
_TOUCHED = "accelerator.cache.touched"
#: Tables read by the statements of a computation being checked (CACHE_CHECK_READS).
_reading: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "accelerator_cache_reading", default=None
)
#: The moments at which the computation being kept changes by the clock alone (`changes_at`).
_clock_marks: contextvars.ContextVar[list[datetime] | None] = contextvars.ContextVar(
    "accelerator_cache_clock_marks", default=None
)
#: Tables committed in this context, bumped again once the session's commit is done.
_committed: contextvars.ContextVar[frozenset[str] | None] = contextvars.ContextVar(
    "accelerator_cache_committed", default=None
)


class MemoryStore:
    """Versions and entries in this process (tests, a one-process development server)."""

    def __init__(self, size: int = 256) -> None:
        self._lock = threading.Lock()
        self._versions: dict[str, int] = {}
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._size = size

    def versions(self, tables: list[str]) -> list[int]:
        with self._lock:
            return [self._versions.get(t, 0) for t in tables]

    def bump(self, tables: Iterable[str]) -> None:
        with self._lock:
            for table in tables:
                self._versions[table] = self._versions.get(table, 0) + 1

    def get(self, key: str) -> bytes | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] < time.monotonic():
                self._entries.pop(key, None)
                return None
            self._entries.move_to_end(key)
            return found[1]

    def set(self, key: str, value: bytes, seconds: float) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


class RedisStore:
    """Versions and entries in Redis, shared by every worker process."""

    def __init__(self, url: str, timeout: float) -> None:
        import redis

        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )

    def versions(self, tables: list[str]) -> list[int]:
        found = self._redis.mget([f"{_PREFIX}version:{t}" for t in tables])
        return [int(v or 0) for v in found]

    def bump(self, tables: Iterable[str]) -> None:
        with self._redis.pipeline(transaction=False) as pipe:
            for table in tables:
                pipe.incr(f"{_PREFIX}version:{table}")
            pipe.execute()

    def get(self, key: str) -> bytes | None:
        return self._redis.get(_PREFIX + key)

    def set(self, key: str, value: bytes, seconds: float) -> None:
        self._redis.set(_PREFIX + key, value, px=max(1, int(seconds * 1000)))


def _store(app: Flask | None = None):
    app = app or (current_app._get_current_object() if has_app_context() else None)  # type: ignore[attr-defined]
    return app.extensions.get("accelerator.cache") if app is not None else None


def table_names(reads: Iterable[Any]) -> list[str]:
    """The table names of models, tables or names, sorted and without repeats."""
    names = set()
    for item in reads:
        table = getattr(item, "__table__", item)
        names.add(table if isinstance(table, str) else table.name)
    return sorted(names)


def kept(
    name: str,
    key: Any,
    *,
    reads: Iterable[Any],
    compute: Callable[[], T],
    seconds: int | None = None,
) -> T:
    """`compute()`'s value for (`name`, `key`) at the current version of the tables it
    `reads` (models or table names): from the cache when it holds it, else computed and kept.
    The value must pickle; what it returns is always a copy nobody else holds. A value that
    changes by the clock alone (a deadline passes, a day begins) says when (`changes_at`) and
    is kept until then at most."""
    store = _store()
    tables = table_names(reads)
    if store is None or _writing(tables):
        return _checked(name, tables, compute)
    try:
        versions = store.versions(tables)
    except Exception:  # an unreachable cache serves nothing and keeps nothing
        log.warning("cache: cannot read versions; computing %s", name, exc_info=True)
        return compute()
    digest = hashlib.sha256(repr((key, tables, versions)).encode()).hexdigest()[:32]
    entry = f"{_ENTRY}{name}:{digest}"
    try:
        found = store.get(entry)
    except Exception:
        log.warning("cache: cannot read %s", name, exc_info=True)
        found = None
    if found is not None:
        value, until = pickle.loads(found)  # noqa: S301 - written by this application only
        if until is None or until > _now():
            changes_at(until)  # what keeps this value changes then too
            return value
    marks: list[datetime] = []
    token = _clock_marks.set(marks)
    try:
        value = _checked(name, tables, compute)
    finally:
        _clock_marks.reset(token)
    until = min(marks, default=None)
    changes_at(until)
    keep_for = float(_seconds(seconds))
    if until is not None:
        keep_for = min(keep_for, (until - _now()).total_seconds())
    if keep_for <= 0:
        return value
    try:
        store.set(entry, pickle.dumps((value, until), protocol=pickle.HIGHEST_PROTOCOL), keep_for)
    except Exception:
        log.warning("cache: cannot keep %s", name, exc_info=True)
    return value


def changes_at(moment: datetime | None) -> None:
    """Say that what is being computed changes at `moment` by the clock alone, with no write
    to any table: an offer's deadline passes, the next office hour starts, a day begins in a
    program's zone (`core.timeutil.local_today` says so itself). A kept value is then kept
    until that moment at most; outside a kept computation this does nothing."""
    marks = _clock_marks.get()
    if marks is not None and moment is not None:
        marks.append(moment)


def keeping() -> bool:
    """Whether a kept computation is in progress: what only `changes_at` needs may be skipped
    otherwise (a statement finding when the next call opens)."""
    return _clock_marks.get() is not None


def _now() -> datetime:
    from accelerator.core.types import utcnow

    return utcnow()


def kept_fragment(
    name: str,
    key: Any,
    *,
    reads: Iterable[Any],
    render: Callable[[], str],
    forms: bool = False,
) -> Markup:
    """Part of a page as `render()` returns it (one of our autoescaped templates), kept like
    `kept` for every reader of the same language: a fragment no user or permission changes.

    With `forms`, the part may hold forms that post: their CSRF token, the one personal thing
    in them, is rendered as a hole and each view puts its own token in its place (as a page
    cache punches a hole for it), and so is every `fresh_token()` (a form's one-time key), which
    each view draws anew. Only a page's GET is kept: a form sent back with its errors and what
    the person typed is rendered for them alone."""
    from accelerator.core.i18n import current_locale

    if request.method != "GET":
        return Markup(render())  # noqa: S704 - rendered by an autoescaped template
    if not forms:
        html = kept(name, (key, str(current_locale())), reads=reads, compute=render)
        return Markup(html)  # noqa: S704 - rendered by an autoescaped template of this application
    html, csrf_hole, fresh_holes = kept(
        name,
        (key, str(current_locale()), "forms", "fresh"),
        reads=reads,
        compute=_with_holes(render),
    )
    html = html.replace(csrf_hole, generate_csrf())
    for hole, nbytes in fresh_holes:
        html = html.replace(hole, secrets.token_urlsafe(nbytes))
    return Markup(html)  # noqa: S704 - the same, with this view's tokens


#: The per-view tokens drawn by the kept rendering in progress, as (hole, bytes).
_fresh_holes: contextvars.ContextVar[list[tuple[str, int]] | None] = contextvars.ContextVar(
    "accelerator_cache_fresh_holes", default=None
)


def fresh_token(nbytes: int = 18) -> str:
    """A random token a form carries for one view only (an idempotency key, which recognises a
    double-click): drawn now, or, while a part with forms is rendered to be kept, a hole that
    each view of it fills with a token of its own, so no two viewers ever share one."""
    holes = _fresh_holes.get()
    if holes is None:
        return secrets.token_urlsafe(nbytes)
    hole = f"fresh-hole-{secrets.token_hex(16)}"
    holes.append((hole, nbytes))
    return hole


def _with_holes(render: Callable[[], str]) -> Callable[[], tuple[str, str, list]]:
    """`render` with every form's CSRF token written as a hole, returned with the hole and the
    holes of its fresh tokens: random words drawn for each rendering, which no text on the page
    can know in advance. (Flask-WTF keeps the request's token in `g` under the field's name
    for every form.)"""

    def rendered() -> tuple[str, str, list]:
        field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        hole = f"csrf-hole-{secrets.token_hex(16)}"
        before = g.pop(field, _MISSING)
        setattr(g, field, hole)
        fresh: list[tuple[str, int]] = []
        drawing = _fresh_holes.set(fresh)
        try:
            return str(render()), hole, fresh
        finally:
            _fresh_holes.reset(drawing)
            g.pop(field, None)
            if before is not _MISSING:
                setattr(g, field, before)

    return rendered


def page_key(key: Any = ()) -> tuple:
    """What a page shared by every viewer of a role depends on: their role, the path and its
    arguments (page, filters, sort), the language, and `key` (the day, for "overdue")."""
    from flask_login import current_user

    from accelerator.core.i18n import current_locale

    role = getattr(getattr(current_user, "role", None), "value", None)
    asked = (request.script_root, request.path, tuple(sorted(request.args.items(multi=True))))
    return (key, role, asked, str(current_locale()))


def kept_body(
    name: str,
    *,
    reads: Iterable[Any],
    render: Callable[[], str],
    key: Any = (),
    forms: bool = False,
) -> Markup:
    """A shared page's content as `render()` returns it, kept like `kept_fragment` under
    `page_key(key)`: for every viewer of the same role who asks for the same path with the
    same arguments in the same language (a staff list, whose rows, counts and pager are the
    same for every staff member). Never for anything that depends on who looks beyond their
    role; `forms` as for `kept_fragment`. A page that keeps more than HTML (its status, say)
    calls `kept(name, page_key(), ...)`."""
    return kept_fragment(name, page_key(key), reads=reads, render=render, forms=forms)


class UndeclaredReads(RuntimeError):
    """Kept figures read a table their `reads` do not name: a write there would not renew them."""


def _checked(name: str, tables: list[str], compute: Callable[[], T]) -> T:
    """`compute()`; with CACHE_CHECK_READS (the tests), every table its statements read must
    be among `tables`, or the figures could outlive a change: UndeclaredReads says which."""
    if not current_app.config.get("CACHE_CHECK_READS"):
        return compute()
    token = _reading.set(set())
    try:
        value = compute()
        read = _reading.get() or set()
    finally:
        _reading.reset(token)
    outer = _reading.get()
    if outer is not None:  # kept figures computed inside others: the outer ones read them too
        outer.update(read)
    undeclared = sorted(read.difference(tables))
    if undeclared:
        raise UndeclaredReads(f"{name} reads {', '.join(undeclared)}, not in its reads")
    return value


def _note_read(_conn, _cursor, _statement, _parameters, context, _executemany) -> None:
    reading = _reading.get()
    statement = getattr(context.compiled, "statement", None)
    if reading is not None and statement is not None:
        reading.update(e.name for e in visitors.iterate(statement) if isinstance(e, Table))


def _seconds(seconds: int | None) -> int:
    return int(seconds or current_app.config.get("CACHE_SECONDS") or 600)


def bump(tables: Iterable[str]) -> None:
    """Make every entry that read `tables` stale (what commits do; tests and raw SQL too)."""
    store = _store()
    if store is None:
        return
    try:
        store.bump(sorted(set(tables)))
    except Exception:
        log.warning("cache: cannot bump %s", sorted(tables), exc_info=True)


def _note_write(conn, _cursor, _statement, _parameters, context, _executemany) -> None:
    if not (context.isinsert or context.isupdate or context.isdelete):
        return
    table = getattr(getattr(context.compiled, "statement", None), "table", None)
    name = getattr(table, "name", None)
    if name:
        conn.info.setdefault(_WRITTEN, set()).add(name)
        conn.info.setdefault(_TOUCHED, set()).add(name)


def _before_commit(conn) -> None:
    conn.info.pop(_TOUCHED, None)
    _bump_now_and_after(conn.info.pop(_WRITTEN, None))


def _savepoint_released(conn, _name, _context) -> None:
    # A session nested in an outer transaction (the tests' rollback-isolated sessions)
    # commits by releasing a savepoint: readers on that connection see its writes from now on.
    _bump_now_and_after(conn.info.pop(_WRITTEN, None))


def _rolled_back(conn) -> None:
    # What was written is gone, and readers on this connection may have kept figures that
    # counted it (after a savepoint was released): those figures are stale too.
    conn.info.pop(_WRITTEN, None)
    touched = conn.info.pop(_TOUCHED, None)
    if touched:
        bump(touched)


def _bump_now_and_after(written: set[str] | None) -> None:
    if written:
        bump(written)
        already = _committed.get() or frozenset()
        _committed.set(already | written)


def _after_commit(_session) -> None:
    written = _committed.get()
    if written:
        _committed.set(None)
        bump(written)


def _writing(tables: list[str]) -> bool:
    """Whether this request's own transaction holds writes to `tables` that nobody else sees
    yet (or changes not flushed): its figures must count them and cannot be kept for others."""
    from accelerator.extensions import db

    session = db.session()
    if session.new or session.dirty or session.deleted:
        return True
    if session.get_transaction() is None:
        return False
    written = session.connection().info.get(_WRITTEN)
    return bool(written and written.intersection(tables))


_listening = False


def init_app(app: Flask) -> None:
    """Choose the store from CACHE_URL and listen to every engine's writes and commits."""
    global _listening
    url = str(app.config.get("CACHE_URL") or "")
    if not url:
        limiter = str(app.config.get("RATELIMIT_STORAGE_URI") or "")
        url = limiter if limiter.startswith(("redis://", "rediss://", "unix://")) else ""
    if url.startswith("memory"):
        app.extensions["accelerator.cache"] = MemoryStore()
    elif url:
        timeout = float(app.config.get("RATELIMIT_STORAGE_TIMEOUT") or 1)
        app.extensions["accelerator.cache"] = RedisStore(url, timeout)
    if not _listening:
        event.listen(Engine, "after_cursor_execute", _note_write)
        event.listen(Engine, "before_cursor_execute", _note_read)
        event.listen(Engine, "commit", _before_commit)
        event.listen(Engine, "release_savepoint", _savepoint_released)
        event.listen(Engine, "rollback", _rolled_back)
        event.listen(Session, "after_commit", _after_commit)
        _listening = True
