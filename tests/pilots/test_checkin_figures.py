"""The check-in's "pilots with business units" figure starts from the real count of pilots
(hooks.checkin_figures) on a new check-in, and stays the founder's to change."""

from __future__ import annotations

import re

from sqlalchemy import select

from accelerator.core import hooks
from accelerator.extensions import db
from accelerator.milestones import checkins
from accelerator.milestones.models import CheckIn
from tests import factories


def _pilots_input(html: str) -> str | None:
    """The value of the form's `pilots` input (None: empty)."""
    tag = re.search(r'<input[^>]*name="pilots"[^>]*>', html).group(0)
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found and found.group(1) else None


def _form(period, **changes):
    data = {
        "period": period.isoformat(),
        "health": "green",
        "revenue": "1,000",
        "active_users": "12",
        "headcount": "4",
        "raised": "",
        "pilots": "3",
        "highlights": "Two pilots with Orange Bank",
        "blockers": "",
        "asks": "",
    }
    data.update(changes)
    return data


def _pilots(pair, *statuses):
    for status in statuses:
        intro = factories.make_introduction(
            unit=pair.unit, startup=pair.startup, cohort=pair.cohort, status="accepted"
        )
        factories.make_pilot(status=status, introduction=intro, actor=pair.staff)


def _enrollment_id(pair) -> int:
    from accelerator.programs.models import Enrollment

    return db.session.scalar(
        select(Enrollment.id).where(
            Enrollment.startup_id == pair.startup.id, Enrollment.cohort_id == pair.cohort.id
        )
    )


def test_the_pilots_finder_is_connected(db, pair):
    assert "pilots" in dict(hooks.checkin_figures.entries())
    _pilots(pair, "running", "decided", "scoping", "stopped")
    assert checkins.offered_figures(pair.startup.id, pair.cohort.id) == {"pilots": 2}


def test_a_new_check_in_starts_from_the_count_and_the_founder_may_change_it(db, pair, login_as):
    _pilots(pair, "running", "decided", "scoping")
    url = f"/milestones/enrollments/{_enrollment_id(pair)}/checkins/new"
    client = login_as(pair.founder)
    page = client.get(url)
    assert page.status_code == 200
    assert _pilots_input(page.get_data(as_text=True)) == "2"

    response = client.post(url, data=_form(pair.cohort.starts_on, pilots="3"))
    assert response.status_code == 302
    checkin = db.session.scalar(select(CheckIn))
    assert checkin.pilots == 3
    # Editing the saved check-in shows what was saved, not the count.
    edit = client.get(f"/checkins/{checkin.id}/edit")
    assert _pilots_input(edit.get_data(as_text=True)) == "3"


def test_a_form_shown_again_keeps_what_was_typed(db, pair, login_as):
    _pilots(pair, "running", "decided")
    url = f"/milestones/enrollments/{_enrollment_id(pair)}/checkins/new"
    client = login_as(pair.founder)
    for typed, shown in (("", None), ("5", "5")):
        response = client.post(
            url, data=_form(pair.cohort.starts_on, pilots=typed, headcount="lots")
        )
        assert response.status_code == 422
        assert _pilots_input(response.get_data(as_text=True)) == shown
    assert db.session.scalar(select(CheckIn)) is None
