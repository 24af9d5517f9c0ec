"""Money in cents, UTC-aware datetimes on both databases, time zones for display."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from accelerator.core.models import AuditEvent
from accelerator.core.money import cents_to_input, format_cents, parse_cents
from accelerator.core.timeutil import format_dt, local_to_utc, to_local, zone
from accelerator.core.types import utcnow

# Money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,cents",
    [
        ("20000", 2000000),
        ("20,000", 2000000),
        ("20,000.50", 2000050),
        ("$300", 30000),
        ("€ 12", 1200),
        ("1 500.50", 150050),
        ("1\u00a0500,50", 150050),  # French: non-breaking space and decimal comma
        ("20 000,5", 2000050),
        ("0.1", 10),
        ("12.", 1200),
        (".5", 50),
        ("-5", -500),
        ("  7.25  ", 725),
    ],
)
def test_parse_cents_reads_what_people_type(typed, cents):
    assert parse_cents(typed) == cents


@pytest.mark.parametrize(
    "typed",
    [
        None,
        "",
        "   ",
        "1.005",  # finer than a cent: refused, never rounded
        "0.001",
        "abc",
        "12abc",
        "NaN",
        "nan",
        "inf",
        "-Infinity",
        "1e3",
        "1.2.3",
        "1,23,456",
        "1.000,50",
        "--5",
        ".",
        "$",
    ],
)
def test_parse_cents_refuses_junk(typed):
    assert parse_cents(typed) is None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_cents_survive_an_edit_round_trip(cents):
    assert parse_cents(cents_to_input(cents)) == cents


def test_format_cents_follows_the_locale(app):
    with app.test_request_context():
        with force_locale("en"):
            assert format_cents(2000000) == "$20,000.00"
            assert format_cents(150050, "EUR") == "€1,500.50"
        with force_locale("fr"):
            assert format_cents(150050, "EUR").replace("\u202f", " ").replace("\xa0", " ") == (
                "1 500,50 €"
            )
        assert format_cents(None) == ""
    assert cents_to_input(2000050) == "20,000.50"
    assert cents_to_input(1250000) == "12,500"  # typed "12,500" comes back as typed
    assert cents_to_input(5) == "0.05"
    assert cents_to_input(None) == ""


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_an_amount_prefilled_in_french_reads_french_and_survives_an_edit(app, cents):
    """A French page prefills "20 000,50" (a decimal comma and spaces), never the English
    "20,000.50" a French reader takes for twenty; both read back exactly from any page."""
    with app.test_request_context(), force_locale("fr"):
        typed = cents_to_input(cents)
        assert "." not in typed and parse_cents(typed) == cents
        assert cents_to_input(2000050) == "20 000,50"
        assert cents_to_input(1250000) == "12 500"
        assert cents_to_input(5) == "0,05"
    with app.test_request_context(), force_locale("en"):
        assert cents_to_input(2000050) == "20,000.50"


# UTCDateTime -------------------------------------------------------------------------------


def test_naive_datetimes_are_refused(db):
    db.session.add(AuditEvent(action="naive.time", created_at=datetime(2024, 1, 1, 12, 0)))
    with pytest.raises(StatementError, match="naive datetime"):
        db.session.flush()
    db.session.rollback()


def test_datetimes_come_back_aware_in_utc(db):
    paris_summer = timezone(timedelta(hours=2))
    event = AuditEvent(
        action="aware.time", created_at=datetime(2024, 7, 1, 14, 30, tzinfo=paris_summer)
    )
    db.session.add(event)
    db.session.flush()
    db.session.expire_all()
    loaded = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "aware.time"))
    assert loaded.created_at.tzinfo is not None
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert loaded.created_at == datetime(2024, 7, 1, 12, 30, tzinfo=UTC)


def test_comparisons_with_aware_datetimes_work_in_sql(db):
    db.session.add(
        AuditEvent(action="compare.time", created_at=datetime(2024, 7, 1, 12, tzinfo=UTC))
    )
    db.session.flush()
    newer = select(AuditEvent.action).where(
        AuditEvent.created_at > datetime(2024, 7, 1, 13, 0, tzinfo=timezone(timedelta(hours=2)))
    )
    assert db.session.scalar(newer.where(AuditEvent.action == "compare.time")) == "compare.time"


def test_the_database_holds_utc(db, is_postgres):
    db.session.add(AuditEvent(action="stored.time", created_at=datetime(2024, 1, 1, 9, tzinfo=UTC)))
    db.session.flush()
    raw = db.session.execute(
        text("SELECT created_at FROM audit_events WHERE action = 'stored.time'")
    ).scalar()
    if is_postgres:
        assert raw == datetime(2024, 1, 1, 9, tzinfo=UTC)
    else:
        assert str(raw).startswith("2024-01-01 09:00:00")


def test_utcnow_is_aware():
    assert utcnow().tzinfo is UTC


# Time zones --------------------------------------------------------------------------------


def test_format_dt_shows_the_time_in_a_zone():
    moment = datetime(2024, 7, 1, 10, 0, tzinfo=UTC)
    assert format_dt(moment) == "2024-07-01 10:00 UTC"
    assert format_dt(moment, "Europe/Paris") == "2024-07-01 12:00 CEST"
    assert format_dt(moment, "America/Los_Angeles") == "2024-07-01 03:00 PDT"
    # A date alone is the local date, without a zone name after it.
    assert format_dt(moment, "Pacific/Kiritimati", "%Y-%m-%d") == "2024-07-02"
    assert format_dt(None) == ""
    # A day (a `date`, in no zone) is written as every date is: demo day on the dashboard.
    assert format_dt(date(2027, 1, 16), "Europe/Paris", "date") == "2027-01-16"


def test_unknown_zones_fall_back_to_utc():
    assert zone("Mars/Olympus_Mons").key == "UTC"
    assert zone(None).key == "UTC"
    assert to_local(datetime(2024, 1, 1, tzinfo=UTC), "../etc/passwd").utcoffset() == timedelta(0)


def test_local_to_utc_reads_wall_time_in_the_zone():
    # 09:00 in Paris in winter is 08:00 UTC; in summer 07:00 UTC.
    assert local_to_utc(datetime(2024, 1, 15, 9, 0), "Europe/Paris") == datetime(
        2024, 1, 15, 8, 0, tzinfo=UTC
    )
    assert local_to_utc(datetime(2024, 7, 15, 9, 0), "Europe/Paris").hour == 7
    aware = datetime(2024, 7, 15, 9, 0, tzinfo=UTC)
    assert local_to_utc(aware, "Europe/Paris") == aware
