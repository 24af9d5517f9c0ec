"""The demo-day report: answers per answer and per kind, attendance, interest per startup; the
download; a fixed number of statements."""

from __future__ import annotations

import io
import zipfile

from accelerator.core.types import utcnow
from accelerator.demoday import door, interest, report
from accelerator.demoday.models import GuestKind, Interest, Rsvp
from accelerator.extensions import db
from tests import factories
from tests.demoday.followup_builders import event


def _fill(world, size: int) -> None:
    day = world.demo_day
    for n in range(size):
        yes, _t = factories.make_guest(day, rsvp=Rsvp.YES, plus_ones=n % 2, name=f"Ana Ñ{n}")
        factories.make_guest(day, rsvp=Rsvp.NO, kind=GuestKind.PRESS)
        maybe, _t = factories.make_guest(day, rsvp=Rsvp.MAYBE, kind=GuestKind.EXECUTIVE)
        door.check_in(day, yes.id, actor=world.staff)
        if n == 0:
            door.check_in(day, maybe.id, actor=world.staff)  # a walk-in
        db.session.add(Interest(guest_id=yes.id, startup_id=world.eclair.id))
    db.session.flush()


def test_the_report_counts_answers_attendance_and_interest(db, client, login_as):
    world = event()
    _fill(world, 3)
    factories.make_guest(world.demo_day, rsvp=Rsvp.YES, name="Absent Person")
    factories.make_guest(world.demo_day, rsvp=Rsvp.WAITLISTED, kind=GuestKind.OTHER)
    first = db.session.query(Interest).first()
    interest.record_introduction(first, actor=world.staff, note="")
    found = report.build(world.demo_day)
    assert found.guests == 11
    assert found.by_answer[Rsvp.YES] == 4 and found.by_answer[Rsvp.NO] == 3
    assert dict(found.by_kind)[GuestKind.PRESS][Rsvp.NO] == 3
    assert dict(found.by_kind)[GuestKind.OTHER][Rsvp.WAITLISTED] == 1
    a = found.attendance
    assert (a.coming, a.arrived, a.walk_ins, a.expected_people, a.rate) == (4, 3, 1, 5, 75)
    lines = {line.name: (line.asks, line.introduced) for line in found.startups}
    assert lines == {"Société Éclair": (3, 1), "Zèbre Robotics": (0, 0)}

    login_as(world.staff)
    page = client.get(f"/demo-day/{world.demo_day.id}/report").get_data(as_text=True)
    assert 'data-figure="arrived">3 / 4' in page and 'data-figure="walk-ins">1<' in page
    assert 'data-figure="introduced">1 / 3<' in page

    csv = client.get(f"/demo-day/{world.demo_day.id}/report/download?format=csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data().decode("utf-8-sig")
    assert "Société Éclair,3,1" in text
    answers = client.get(f"/demo-day/{world.demo_day.id}/report/download?format=csv&sheet=answers")
    assert "Press" in answers.get_data().decode("utf-8-sig")
    xlsx = client.get(f"/demo-day/{world.demo_day.id}/report/download?format=xlsx")
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.get_data())) as book:
        names = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(names) == 3
    assert client.get(f"/demo-day/{world.demo_day.id}/report/download?sheet=x").status_code == 422
    # The report names guests: each download is kept in the demo day's history, in words.
    from accelerator.core.audit import events_of
    from accelerator.core.history import entries

    downloads = [e for e in events_of(world.demo_day) if e.action == "demo_day.report_exported"]
    assert len(downloads) == 3 and downloads[0].actor_id == world.staff.id
    assert any("downloaded the demo-day report" in e.sentence for e in entries(downloads))


def test_the_report_runs_a_fixed_number_of_statements(db, client, login_as, count_queries):
    counts = []
    for size in (1, 6):
        world = event()
        _fill(world, size)
        login_as(world.staff)
        client.get(f"/demo-day/{world.demo_day.id}/report")  # warm: user, timezone caches
        for path in ("report", "door", "interest", "door/check-in?q=a"):
            with count_queries() as counted:
                assert client.get(f"/demo-day/{world.demo_day.id}/{path}").status_code == 200
            counts.append((path, counted.count))
    assert counts[:4] == counts[4:], counts


def test_an_empty_demo_day_reports_zeros(db):
    world = event()
    found = report.build(world.demo_day)
    assert found.guests == 0 and found.attendance.rate is None and found.asks == 0
    assert utcnow() > world.demo_day.starts_at


def test_the_staff_cohort_page_links_the_door_the_asks_and_the_report(db, client, login_as):
    world = event()
    _fill(world, 2)
    html = login_as(world.staff).get(f"/cohorts/{world.cohort.id}").get_data(as_text=True)
    assert "demoday-followup-panel" in html
    assert f"/demo-day/{world.demo_day.id}/door" in html
    assert "2 arrived of 2 expected" in html and "2 asked, 0 introduced" in html
    other = factories.make_cohort(phase="running")
    assert "demoday-followup-panel" not in client.get(f"/cohorts/{other.id}").get_data(as_text=True)
