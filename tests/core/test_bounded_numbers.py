"""No number in a query string or a form gives a 500: every route, every id-like parameter it
reads, a huge, a negative and a non-numeric value, as staff, founder and mentor.

Which parameters a route reads is recorded while it answers its ordinary request from the
access matrix (tests/test_access_matrix.py builds the same world); each id-like one is then
sent again with each bad value, in the query string and in the form.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask import request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.urls import urlencode
from wtforms import Form, SelectField, SelectMultipleField

import accelerator
from accelerator.core.forms import BoundedIntegerField, choices
from accelerator.core.urls import MAX_ID, bounded_int
from tests.access import Case
from tests.test_access_matrix import CASES, build_world

BAD_VALUES = ("99999999999999999999", "-1", "not-a-number")
ROLES = ("staff", "founder", "mentor")
#: Parameters that carry an id or a count although their name does not end in _id.
KNOWN_IDS = {
    "application",
    "application_ids",
    "cohort",
    "done_items",
    "expertise",
    "mentor",
    "needs",
    "object_id",
    "page",
    "program",
    "reviewer",
    "reviewers",
    "slot",
    "source",
    "startup",
    "tag",
    "topics",
    "user",
}

READ: set[str] = set()


def numeric(name: str, data: dict) -> bool:
    """An id-like name, or a field whose ordinary value is a whole number."""
    value = data.get(name)
    ordinary = isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())
    return ordinary or name.endswith(("_id", "_ids")) or name in KNOWN_IDS


class RecordingMultiDict(ImmutableMultiDict):
    """The query string and form of a request, noting every name the app asks for."""

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)

    def get(self, key, default=None, type=None):  # noqa: A002  (werkzeug's signature)
        READ.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        READ.add(key)
        return super().getlist(key, type)


@pytest.fixture
def recording(app, monkeypatch):
    recording_request = type(
        "RecordingRequest", (app.request_class,), {"parameter_storage_class": RecordingMultiDict}
    )
    monkeypatch.setattr(app, "request_class", recording_request)


def _with_query(url: str, name: str, value: str) -> str:
    path, _, query = url.partition("?")
    pairs = [pair for pair in query.split("&") if pair and pair.split("=")[0] != name]
    return f"{path}?{'&'.join([*pairs, urlencode({name: value})])}"


@pytest.mark.parametrize(
    "endpoint,case",
    [(endpoint, case) for endpoint, cases in sorted(CASES.items()) for case in cases],
    ids=lambda value: value if isinstance(value, str) else getattr(value, "method", ""),
)
def test_no_number_gives_a_500(endpoint, case: Case, client, login_as, db, recording):
    world = build_world()
    crashes = []
    for role in ROLES:
        login_as(world.users[role])
        url, data = case.resolve_url(world), case.resolve_data(world) or {}
        READ.clear()
        response = client.open(url, method=case.method, data=data)
        if response.status_code == 500:
            crashes.append(f"{role} {case.method} {url} (the ordinary request)")
        for name in sorted(name for name in READ if numeric(name, data)):
            for value in BAD_VALUES:
                bad_url = _with_query(url, name, value)
                form = {**data, name: value} if case.method != "GET" else None
                response = client.open(bad_url, method=case.method, data=form)
                if response.status_code == 500:
                    crashes.append(f"{role} {case.method} {bad_url} {form or ''}")
    assert not crashes, f"{endpoint} answered 500:\n" + "\n".join(crashes)


# The one helper ------------------------------------------------------------------------------


def test_bounded_int_reads_only_what_the_database_holds():
    assert bounded_int("42") == 42 and bounded_int(" 7 ") == 7 and bounded_int(5) == 5
    assert bounded_int(str(MAX_ID)) == MAX_ID and bounded_int("0") == 0
    for bad in ("99999999999999999999", str(MAX_ID + 1), "-1", "abc", "", None, "1e3", "\uff11"):
        assert bounded_int(bad) is None, bad
    assert bounded_int(-1) is None and bounded_int(2**64) is None and bounded_int(True) is None


def test_bounded_int_reads_query_arguments_and_coerces_choices(app):
    with app.test_request_context("/?cohort=99999999999999999999&page=3&startup=-1"):
        assert request.args.get("cohort", type=bounded_int) is None
        assert request.args.get("startup", type=bounded_int) is None
        assert request.args.get("page", type=bounded_int) == 3

    class Pick(Form):
        one = SelectField(coerce=bounded_int, choices=choices([(1, "one"), (2, "two")]))
        many = SelectMultipleField(coerce=bounded_int, choices=choices([(1, "one")]))
        number = BoundedIntegerField()

    picked = Pick(MultiDict({"one": "2", "many": ["1"], "number": "-12"}))
    assert picked.validate() and (picked.one.data, picked.many.data) == (2, [1])
    assert picked.number.data == -12
    huge = "9" * 20
    refused = Pick(MultiDict({"one": huge, "many": [huge], "number": huge}))
    assert not refused.validate()
    assert refused.errors == {
        "one": ["Not a valid choice."],
        "many": ["'None' is not a valid choice for this field."],
        "number": ["Not a valid integer value."],
    }


def test_every_number_a_request_sends_is_read_through_bounded_int():
    """No int() of a request value, no `type=int` or `coerce=int`, no unbounded IntegerField."""
    root = Path(accelerator.__file__).parent
    unbounded = re.compile(
        r"type=int\b|coerce=int\b|(?<![\w.])int\((?:request\.|\w+\.\w+_id\.data\b)"
    )
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "cli.py":
            continue  # command-line arguments, not a request's
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(root.parent)
        found += [f"{name}: {match.group(0)}" for match in unbounded.finditer(source)]
        for node in ast.walk(ast.parse(source)):
            in_core_forms = path.name == "forms.py" and path.parent.name == "core"
            if isinstance(node, ast.ImportFrom) and node.module == "wtforms" and not in_core_forms:
                found += [
                    f"{name}: wtforms {a.name}" for a in node.names if a.name == "IntegerField"
                ]
    assert not found, (
        "read numbers with core.urls.bounded_int / BoundedIntegerField:\n" + "\n".join(found)
    )
