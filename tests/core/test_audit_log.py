"""The audit log: services write to it; staff read it through filters, 50 events a page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from accelerator.core import audit
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from tests.auth.helpers import text


def _event(action, *, actor=None, obj=None, at=None, **data) -> AuditEvent:
    event = audit.record(action, obj, actor=actor, data=data)
    if at is not None:
        event.created_at = at
    db.session.flush()
    return event


def _actions(page: str) -> list[str]:
    return re.findall(r'<code class="small">([^<]+)</code></td>', page)


def test_record_keeps_actor_object_data_and_ip(login_as, staff, founder):
    event = _event("thing.done", actor=staff, obj=founder, amount=3)
    assert (event.actor_id, event.object_type, event.object_id) == (staff.id, "users", founder.id)
    assert event.data == {"amount": 3}
    assert event.created_at.tzinfo is not None


def test_staff_see_events_newest_first_with_who_and_what(login_as, staff, founder):
    _event("first.thing", actor=founder, obj=founder, note="hello")
    _event("second.thing")
    page = text(login_as(staff).get("/audit"))
    assert _actions(page)[:2] == ["second.thing", "first.thing"]
    assert founder.email in page and "note=hello" in page
    assert f"users #{founder.id}" in page
    assert "system / anonymous" in page


def test_filters(login_as, staff, founder, mentor):
    _event("auth.login", actor=founder, obj=founder)
    _event("auth.login_failed", obj=mentor, email=mentor.email)
    _event("invitation.sent", actor=staff, at=datetime(2024, 3, 10, 23, 30, tzinfo=UTC))
    _event("user.role_changed", actor=staff, obj=mentor, at=datetime(2024, 3, 12, tzinfo=UTC))
    client = login_as(staff)

    def actions(query: str) -> set[str]:
        return set(_actions(text(client.get(f"/audit?{query}"))))

    assert actions("action=auth.") == {"auth.login", "auth.login_failed"}
    assert actions("action=auth.login_") == {"auth.login_failed"}
    assert actions("action=auth.login%25") == set()  # wildcards are literal
    assert actions(f"actor={founder.email.upper()}") == {"auth.login"}
    assert actions("actor=zzz-nobody") == set()
    assert actions("object_type=users") == {"auth.login", "auth.login_failed", "user.role_changed"}
    assert actions(f"object_type=users&object_id={mentor.id}") == {
        "auth.login_failed",
        "user.role_changed",
    }
    assert actions("since=2024-03-10&until=2024-03-11") == {"invitation.sent"}
    assert actions("since=2024-03-11&until=2024-03-12") == {"user.role_changed"}
    # Unreadable filters are ignored rather than failing.
    assert actions("since=yesterday&object_id=x") >= {"auth.login", "invitation.sent"}
    page = text(client.get("/audit?action=nothing.like.this"))
    assert "No events match these filters." in page
    assert 'value="nothing.like.this"' in page  # the form keeps what was typed


def test_pagination_fifty_a_page(login_as, staff):
    for number in range(55):
        _event("bulk.event", n=number)
    client = login_as(staff)
    first = text(client.get("/audit?action=bulk."))
    assert len(_actions(first)) == 50
    assert "Page 1 of 2" in first and "55 in all" in first
    assert "page=2" in first and "action=bulk." in first  # the next link keeps the filter
    second = text(client.get("/audit?action=bulk.&page=2"))
    assert len(_actions(second)) == 5
    assert "n=4," not in second and "n=0" in second
    assert _actions(text(client.get("/audit?action=bulk.&page=9"))) == []
    assert len(_actions(text(client.get("/audit?action=bulk.&page=-3")))) == 50
    assert len(_actions(text(client.get("/audit?action=bulk.&page=abc")))) == 50


def test_a_short_page_is_not_counted_again_and_still_reads_its_total(
    login_as, staff, count_queries
):
    for number in range(55):
        _event("bulk.event", n=number)
    client = login_as(staff)
    client.get("/audit?action=bulk.")

    def page(query: str) -> tuple[str, int]:
        with count_queries() as counter:
            body = text(client.get(f"/audit?{query}"))
        return body, counter.count

    full, full_statements = page("action=bulk.")
    last, last_statements = page("action=bulk.&page=2")
    empty, empty_statements = page("action=none.such")
    assert "55 in all" in full and "55 in all" in last and "Page 2 of 2" in last
    assert "No events match these filters." in empty
    # A full page counts its rows; the last page shows its total, as does an empty first page.
    assert last_statements == full_statements - 1
    assert empty_statements == full_statements - 1
    past_the_end, past_statements = page("action=bulk.&page=9")
    assert _actions(past_the_end) == [] and past_statements == full_statements  # counted


def test_only_staff_read_the_audit_log(login_as, founder, mentor, admin):
    assert login_as(founder).get("/audit").status_code == 403
    assert login_as(mentor).get("/audit").status_code == 403
    assert login_as(admin).get("/audit").status_code == 200
    assert login_as(None).get("/audit").status_code == 302


def test_the_log_says_what_happened_in_a_sentence(login_as, staff, founder):
    from accelerator.core.history import entries

    event = _event("application.withdrawn", actor=founder, obj=founder)
    page = text(login_as(staff).get("/audit"))
    assert f"{founder.name} withdrew the application." in page
    # An action no domain describes still reads as words, with its code beside for filtering.
    odd = _event("first.odd_thing", actor=founder)
    db.session.expire_all()
    odd = db.session.scalar(
        db.select(AuditEvent)
        .where(AuditEvent.id == odd.id)
        .options(db.selectinload(AuditEvent.actor))
    )
    assert entries([odd])[0].sentence == f"{founder.name} made a change (first: odd thing)."
    assert event.action in page


def test_people_named_in_an_event_are_named_in_its_sentence(login_as, staff, make):
    reviewer = make.make_user(role="mentor", name="Rémi Reviewer")
    _event("review.assigned", actor=staff, reviewer_id=reviewer.id, application_id=1)
    _event("review.assigned", actor=staff, reviewer_id=staff.id, application_id=2)
    page = text(login_as(staff).get("/audit?action=review."))
    assert f"{staff.name} asked Rémi Reviewer to review an application." in page
    assert f"{staff.name} took an application to review." in page
