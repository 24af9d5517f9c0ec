"""Delivery to a real SMTP server (aiosmtpd on 127.0.0.1): what a receiver gets, and what it
gets again when a delivery is repeated after a crash or a temporary refusal."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.policy import default as default_policy
from email.utils import parsedate_to_datetime

import pytest
from aiosmtpd.controller import Controller

from accelerator.core import mail
from accelerator.core.mail import queue_mail, send_pending
from accelerator.core.models import OutboxEmail
from accelerator.extensions import db


class Inbox:
    """The server's side: every DATA it was given (also refused ones), with the connection."""

    def __init__(self):
        self.received: list[tuple[tuple, object]] = []  # (client address, parsed message)
        self.refuse_next = 0  # answer this many DATA commands with a temporary failure

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            (session.peer, message_from_bytes(envelope.content, policy=default_policy))
        )
        if self.refuse_next:
            self.refuse_next -= 1
            return "451 4.3.0 Try again later"
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [message for _peer, message in self.received]

    @property
    def connections(self) -> set[tuple]:
        return {peer for peer, _message in self.received}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A real SMTP server on 127.0.0.1 and a free port; the app delivers to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", controller.port)
    monkeypatch.setitem(app.config, "SMTP_STARTTLS", False)
    monkeypatch.setitem(app.config, "SMTP_USERNAME", None)
    monkeypatch.setitem(app.config, "MAIL_FROM", "Accelerator <no-reply@accel.example.org>")
    try:
        yield inbox
    finally:
        controller.stop()


def _queue(to: str, subject: str = "Your link") -> OutboxEmail:
    message = queue_mail(
        to, subject, "reset_password.txt", user={"name": "Ana"}, link="https://x/L", minutes=5
    )
    db.session.flush()
    return message


class _Killed(BaseException):
    """The sender process dies (a BaseException: nothing in the sender catches it)."""


def test_the_receiver_gets_the_headers_and_the_body(db, smtp_server):
    message = _queue("ana@example.com", subject="Réinitialiser")
    assert send_pending() == (1, 0)
    (received,) = smtp_server.messages
    assert received["To"] == "ana@example.com" and received["Subject"] == "Réinitialiser"
    assert received["From"] == "Accelerator <no-reply@accel.example.org>"
    assert received["Message-ID"] == message.message_id
    assert message.message_id.startswith("<") and message.message_id.endswith("@accel.example.org>")
    assert received["Auto-Submitted"] == "auto-generated"
    assert parsedate_to_datetime(received["Date"]) == message.created_at.replace(microsecond=0)
    body = received.get_content()
    assert body.startswith("Hello Ana,") and "https://x/L" in body


def test_a_batch_goes_over_one_connection(db, smtp_server):
    for name in ("ana", "bob", "cy"):
        _queue(f"{name}@example.com")
    assert send_pending() == (3, 0)
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "ana@example.com",
        "bob@example.com",
        "cy@example.com",
    ]
    assert len(smtp_server.connections) == 1
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 3  # one per row


def test_a_delivery_repeated_after_a_crash_has_the_same_message_id(db, smtp_server, monkeypatch):
    """The server took the message, then the sender died before recording it: on restart it
    sends the message again (at least once), and the receiver can tell it is the same one."""
    message = _queue("ana@example.com")
    deliver = mail._Postman.deliver

    def deliver_then_die(postman, outgoing):
        deliver(postman, outgoing)
        raise _Killed

    monkeypatch.setattr(mail._Postman, "deliver", deliver_then_die)
    with pytest.raises(_Killed):
        send_pending()
    db.session.rollback()  # what the dead process had not committed is gone
    db.session.refresh(message)
    assert message.sent_at is None and message.attempts == 0

    monkeypatch.setattr(mail._Postman, "deliver", deliver)  # the restarted sender
    assert send_pending() == (1, 0)
    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"] == message.message_id
    assert first["Date"] == second["Date"]
    assert first.get_content() == second.get_content()
    db.session.refresh(message)
    assert message.sent_at is not None and message.attempts == 1


def test_a_retry_after_a_temporary_refusal_keeps_the_message_id(db, smtp_server):
    message = _queue("ana@example.com")
    smtp_server.refuse_next = 1
    assert send_pending() == (0, 1)
    db.session.refresh(message)
    assert message.status == "failing" and "451" in message.last_error
    assert send_pending() == (1, 0)
    refused, accepted = smtp_server.messages
    assert refused["Message-ID"] == accepted["Message-ID"] == message.message_id
    assert refused["Date"] == accepted["Date"]


def test_a_refused_message_does_not_cost_the_batch_its_connection(db, smtp_server):
    first, second = _queue("ana@example.com"), _queue("bob@example.com")
    smtp_server.refuse_next = 1
    assert send_pending() == (1, 1)
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == "failing" and second.status == "sent"
    assert len(smtp_server.connections) == 1
