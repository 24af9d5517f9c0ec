"""Mail off the request path: no page sends mail, and two senders never send one message twice."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from accelerator import create_app
from accelerator.config import Config
from accelerator.core import mail
from accelerator.core.models import OutboxEmail
from accelerator.extensions import db as _db
from tests import factories


def test_no_page_sends_mail_even_with_the_console_backend(build_app, db, capsys):
    console = build_app(MAIL_BACKEND="console")
    factories.make_user(email="ana@example.org", role="founder")
    db.session.flush()
    client = console.test_client()
    client.post("/password/forgot", data={"email": "ana@example.org"})
    client.get("/")
    assert "--- mail to" not in capsys.readouterr().err
    queued = db.session.scalars(select(OutboxEmail)).all()
    assert queued and all(message.sent_at is None for message in queued)


def test_production_refuses_to_start_without_a_mail_backend(monkeypatch):
    monkeypatch.delenv("MAIL_BACKEND", raising=False)
    settings = {
        "ENV_NAME": "production",
        "SECRET_KEY": "a-production-secret-of-decent-length",
        "TESTING": False,
        "MAIL_BACKEND": None,
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
    }
    with pytest.raises(RuntimeError, match="MAIL_BACKEND"):
        create_app(type("ProductionConfig", (Config,), settings))
    development = create_app(type("DevConfig", (Config,), {**settings, "ENV_NAME": "development"}))
    assert development.config["MAIL_BACKEND"] == "console"


def test_two_senders_never_send_one_message_twice(committed, monkeypatch):
    """Real commits from two threads: every message is delivered exactly once."""
    app = committed
    with app.app_context():
        for i in range(30):
            _db.session.add(OutboxEmail(to=f"p{i}@example.org", subject=f"m{i}", body="x"))
        _db.session.commit()
    delivered: list[str] = []
    guard = threading.Lock()

    def slow_deliver(_postman, message):
        time.sleep(0.005)  # long enough for the other sender to try the same row
        with guard:
            delivered.append(message.subject)

    monkeypatch.setattr(mail._Postman, "deliver", slow_deliver)
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def sender():
        try:
            with app.app_context():
                start.wait()
                results.append(mail.send_pending(limit=100))
                _db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(delivered) == sorted(f"m{i}" for i in range(30))  # each exactly once
    assert sum(sent for sent, _failed in results) == 30
    with app.app_context():
        assert _db.session.scalar(select(func.count()).where(OutboxEmail.sent_at.is_(None))) == 0
        assert set(_db.session.scalars(select(OutboxEmail.attempts))) == {1}
        _db.session.remove()
