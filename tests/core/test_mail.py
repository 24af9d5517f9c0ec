"""The mail outbox: queued with the change, delivered by `flask mail send` with retries."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import select

from accelerator.core.mail import queue_mail, send_pending
from accelerator.core.models import OutboxEmail
from accelerator.core.types import utcnow
from accelerator.extensions import db
from tests.auth.helpers import flashes, text


class FakeSMTP:
    """Stands in for smtplib.SMTP; records what would have gone over the wire."""

    sent: list = []
    calls: list = []

    def __init__(self, host, port, timeout=None):
        self.calls.append(("connect", host, port))

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return False

    def starttls(self):
        self.calls.append(("starttls",))

    def login(self, username, password):
        self.calls.append(("login", username, password))

    def send_message(self, message):
        self.sent.append(message)

    def quit(self):
        self.calls.append(("quit",))

    def close(self):
        self.calls.append(("close",))


class DownSMTP(FakeSMTP):
    def __init__(self, host, port, timeout=None):
        raise ConnectionRefusedError(111, "Connection refused")


class RefusingSMTP(FakeSMTP):
    def send_message(self, message):
        raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})


@pytest.fixture
def smtp(app, monkeypatch):
    """Mail goes through SMTP (faked): `smtp.use(FakeSMTP | DownSMTP | ...)`."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    FakeSMTP.sent, FakeSMTP.calls = [], []

    class Switch:
        def use(self, cls):
            monkeypatch.setattr(smtplib, "SMTP", cls)

    switch = Switch()
    switch.use(FakeSMTP)
    return switch


def _queue(to="ana@example.com", subject="Hello") -> OutboxEmail:
    message = queue_mail(
        to, subject, "reset_password.txt", user=type("U", (), {"name": "Ana"}), link="L", minutes=5
    )
    db.session.flush()  # requests run in sessions of their own
    return message


def _mail_send(app):
    return app.test_cli_runner().invoke(args=["mail", "send"])


def test_queue_mail_renders_the_template_and_waits(db):
    message = _queue()
    assert message.sent_at is None and message.attempts == 0 and message.status == "pending"
    assert message.body.startswith("Hello Ana,")
    assert "it works once, for 5 minutes" in message.body


def test_memory_backend_delivers_and_marks_sent(app, db):
    _queue(subject="One")
    _queue(subject="Two")
    result = _mail_send(app)
    assert result.exit_code == 0, result.output
    assert "2 sent, 0 failed." in result.output
    assert [mail["subject"] for mail in app.extensions["mail_delivered"]] == ["One", "Two"]
    messages = db.session.scalars(select(OutboxEmail)).all()
    assert all(m.sent_at is not None and m.attempts == 1 and m.status == "sent" for m in messages)
    # Nothing is sent twice.
    assert "0 sent, 0 failed." in _mail_send(app).output
    assert len(app.extensions["mail_delivered"]) == 2


def test_console_backend_prints_the_mail(app, db, monkeypatch, capsys):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    _queue(to="printed@example.com", subject="On the console")
    assert send_pending() == (1, 0)
    printed = capsys.readouterr().err
    assert "--- mail to printed@example.com ---" in printed
    assert "Subject: On the console" in printed and "Hello Ana," in printed


def test_smtp_delivery_uses_the_settings(app, db, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "mail.example.org")
    monkeypatch.setitem(app.config, "SMTP_PORT", 2525)
    monkeypatch.setitem(app.config, "SMTP_USERNAME", "robot")
    monkeypatch.setitem(app.config, "SMTP_PASSWORD", "s3cret")
    message = _queue(to="bob@example.com", subject="Über café")
    assert "1 sent, 0 failed." in _mail_send(app).output
    assert FakeSMTP.calls == [
        ("connect", "mail.example.org", 2525),
        ("starttls",),
        ("login", "robot", "s3cret"),
        ("quit",),
    ]
    (email,) = FakeSMTP.sent
    assert email["To"] == "bob@example.com" and email["Subject"] == "Über café"
    assert email["From"] == app.config["MAIL_FROM"] and email["Message-ID"]
    assert "Hello Ana," in email.get_content()
    db.session.refresh(message)
    assert message.sent_at is not None and message.last_error is None


def test_smtp_failure_keeps_the_error_and_retries_next_time(app, db, smtp):
    message = _queue()
    smtp.use(DownSMTP)
    result = _mail_send(app)
    assert result.exit_code == 1
    assert "0 sent, 1 failed." in result.output
    db.session.refresh(message)
    assert message.sent_at is None and message.attempts == 1
    assert message.last_error.startswith("ConnectionRefusedError")
    assert message.last_attempt_at is not None and message.status == "failing"

    smtp.use(FakeSMTP)
    assert "1 sent, 0 failed." in _mail_send(app).output
    db.session.refresh(message)
    assert message.attempts == 2 and message.sent_at is not None and message.last_error is None


def test_smtp_gives_up_after_max_attempts(app, db, smtp):
    message = _queue()
    smtp.use(RefusingSMTP)
    for attempt in range(1, 4):
        assert _mail_send(app).exit_code == 1
        db.session.refresh(message)
        assert message.attempts == attempt
    assert "SMTPRecipientsRefused" in message.last_error
    assert message.status == "gave up"

    smtp.use(FakeSMTP)
    result = _mail_send(app)
    assert result.exit_code == 0 and "0 sent, 0 failed." in result.output
    db.session.refresh(message)
    assert message.attempts == 3 and message.sent_at is None
    assert FakeSMTP.sent == []


def test_a_failing_message_does_not_block_the_others(app, db, smtp, monkeypatch):
    first, second = _queue(to="bad@example.com"), _queue(to="good@example.com")

    class PickySMTP(FakeSMTP):
        def send_message(self, message):
            if message["To"] == "bad@example.com":
                raise smtplib.SMTPDataError(554, b"rejected")
            super().send_message(message)

    smtp.use(PickySMTP)
    assert "1 sent, 1 failed." in _mail_send(app).output
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == "failing" and second.status == "sent"


def test_an_unreachable_server_ends_the_run_after_one_message(app, db, smtp):
    """Down is down for every message: the others wait for the next run, attempts untouched."""
    first, second = _queue(to="ana@example.com"), _queue(to="bob@example.com")
    smtp.use(DownSMTP)
    assert "0 sent, 1 failed." in _mail_send(app).output
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.attempts == 1 and first.status == "failing"
    assert second.attempts == 0 and second.status == "pending"


def test_a_dropped_connection_is_opened_again_for_the_next_message(app, db, smtp):
    first, second = _queue(to="ana@example.com"), _queue(to="bob@example.com")

    class DroppingSMTP(FakeSMTP):
        def send_message(self, message):
            if message["To"] == "ana@example.com":
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            super().send_message(message)

    smtp.use(DroppingSMTP)
    assert "1 sent, 1 failed." in _mail_send(app).output
    assert [call[0] for call in FakeSMTP.calls].count("connect") == 2
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == "failing" and "SMTPServerDisconnected" in first.last_error
    assert second.status == "sent"


# The outbox page ---------------------------------------------------------------------------


def test_outbox_page_lists_mail_without_bodies(login_as, db, staff):
    _queue(to="ana@example.com", subject="Pending one")
    sent = _queue(to="zoe@example.com", subject="Sent one")
    sent.sent_at, sent.attempts = utcnow(), 1
    failing = _queue(to="lou@example.com", subject="Failing one")
    failing.attempts, failing.last_error = 1, "SMTPDataError: rejected"
    gave_up = _queue(to="max@example.com", subject="Given up")
    gave_up.attempts, gave_up.last_error = 5, "SMTPDataError: rejected"
    db.session.flush()
    client = login_as(staff)

    page = text(client.get("/outbox"))
    assert all(s in page for s in ("Pending one", "Sent one", "Failing one", "Given up"))
    assert '<span class="badge text-bg-dark" data-status="gave up">gave up</span>' in page
    assert "SMTPDataError: rejected" in page
    assert "Hello Ana," not in page  # bodies may hold sign-in links
    page = text(client.get("/outbox?status=pending"))
    assert "Pending one" in page and "Failing one" in page and "Sent one" not in page
    page = text(client.get("/outbox?status=sent"))
    assert "Sent one" in page and "Pending one" not in page
    page = text(client.get("/outbox?status=failing"))
    assert "Failing one" in page and "Pending one" not in page


def test_outbox_empty_state(login_as, staff):
    assert "No mail here." in text(login_as(staff).get("/outbox"))


def test_staff_can_send_pending_mail_from_the_page(app, login_as, db, staff):
    _queue(subject="Send me")
    client = login_as(staff)
    response = client.post("/outbox/send")
    assert response.headers["Location"] == "/outbox"
    assert "1 sent, 0 failed." in flashes(text(client.get("/outbox")))
    assert [mail["subject"] for mail in app.extensions["mail_delivered"]] == ["Send me"]


def test_founders_cannot_see_or_send_the_outbox(app, login_as, db, founder):
    _queue()
    client = login_as(founder)
    assert client.get("/outbox").status_code == 403
    assert client.post("/outbox/send").status_code == 403
    assert app.extensions["mail_delivered"] == []
