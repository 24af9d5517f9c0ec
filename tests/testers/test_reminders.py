"""Reminders to testers in a campaign's last days: once, with the unsubscribe headers, to those
who have not answered and are still on the panel; the reminder's link works (it replaces the
invitation's); a second run, even at the same moment, sends nothing."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from accelerator.applications.models import Startup
from accelerator.applications.queries import timezone_of
from accelerator.core import hooks
from accelerator.core.models import OutboxEmail
from accelerator.core.timeutil import local_today
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.jobs.services import send_reminders
from accelerator.testers import services
from accelerator.testers.models import CampaignInvitation
from accelerator.testers.reminders import DAYS_BEFORE_CLOSE, remind_testers
from tests import factories
from tests.auth.helpers import last_mail, link_in

SUS = {f"sus_{n}": "3" for n in range(1, 11)}


def _running(*, testers: int, days_left: int, startup=None, staff=None):
    """A running campaign whose last day is `days_left` days from the program's today."""
    staff = staff or factories.make_user(role="staff")
    if startup is None:
        founder = factories.make_user(role="founder")
        startup = factories.make_startup(name="Société Éclair", founders=[founder])
        factories.make_enrollment(startup=startup)
    today = local_today(timezone_of(startup))
    panel = [factories.make_tester(name=f"Hélène {n}", language="en") for n in range(testers)]
    campaign = factories.make_campaign(
        startup=startup,
        status="approved",
        actor=staff,
        quotas=[],
        responses_wanted=testers,
        opens_on=today,
        closes_on=today + timedelta(days=days_left),
    )
    assert services.send_wave(campaign, actor=staff) == testers
    db.session.flush()
    return campaign, panel


def _reminders(tester=None) -> list[OutboxEmail]:
    statement = select(OutboxEmail).where(OutboxEmail.subject.like("A few days left%"))
    if tester is not None:
        statement = statement.where(OutboxEmail.to == tester.email)
    return list(db.session.scalars(statement.order_by(OutboxEmail.id)))


def _invitation(tester) -> CampaignInvitation:
    return db.session.scalar(
        select(CampaignInvitation).where(CampaignInvitation.tester_id == tester.id)
    )


def test_testers_who_have_not_answered_are_reminded_once_with_the_unsubscribe_headers(client, db):
    campaign, (answered, left, waiting, also_waiting) = _running(testers=4, days_left=2)
    answering = client.post(link_in(last_mail(answered.email)), data={**SUS, "nps": "8"})
    assert answering.status_code == 302
    services.unsubscribe(_invitation(left))
    db.session.flush()
    now = utcnow()

    assert remind_testers(now) == 2
    assert _reminders(answered) == [] and _reminders(left) == []
    for tester in (waiting, also_waiting):
        (mail,) = _reminders(tester)
        assert "Société Éclair" in mail.subject
        assert "closes on" in mail.body and campaign.title in mail.body
        unsubscribe = mail.headers["List-Unsubscribe"]
        assert unsubscribe.startswith("<http://localhost/testers/t/") and unsubscribe.endswith(
            "/unsubscribe>"
        )
        assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert _invitation(tester).reminded_at is not None
    assert _invitation(answered).reminded_at is None and _invitation(left).reminded_at is None

    # Idempotent: the next runs (the worker's hourly one, a manual one) send nothing.
    assert remind_testers(now) == 0
    assert remind_testers(now + timedelta(hours=5)) == 0
    assert len(_reminders()) == 2


def test_the_reminders_link_opens_the_same_invitation_and_replaces_the_first(client, db):
    _campaign, (tester,) = _running(testers=1, days_left=1)
    first = link_in(last_mail(tester.email))
    assert remind_testers(utcnow()) == 1
    reminder = _reminders(tester)[0]
    second = link_in(reminder)
    assert second != first
    assert client.get(second).status_code == 200
    gone = client.get(first)
    assert gone.status_code == 404
    assert "use the link in our latest mail" in gone.get_data(as_text=True)
    assert client.post(second, data={**SUS, "nps": "10"}).status_code == 302
    assert _invitation(tester).responded_at is not None
    # The unsubscribe header of the reminder is the new link's.
    assert reminder.headers["List-Unsubscribe"] == f"<http://localhost{second}/unsubscribe>"


def test_only_campaigns_in_their_last_days_remind(db):
    staff = factories.make_user(role="staff")
    soon, (reminded,) = _running(testers=1, days_left=DAYS_BEFORE_CLOSE, staff=staff)
    startup = db.session.get(Startup, soon.startup_id)
    _later, (not_yet,) = _running(
        testers=1, days_left=DAYS_BEFORE_CLOSE + 1, startup=startup, staff=staff
    )
    closed, (closed_tester,) = _running(testers=1, days_left=1, startup=startup, staff=staff)
    services.close_campaign(closed, actor=staff)
    db.session.flush()

    assert remind_testers(utcnow()) == 1
    assert len(_reminders(reminded)) == 1
    assert _reminders(not_yet) == [] and _reminders(closed_tester) == []


def test_an_erased_tester_and_an_expired_link_get_no_reminder(db):
    _campaign, (erased, expired, waiting) = _running(testers=3, days_left=0)
    services.erase_tester(erased)
    _invitation(expired).expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    assert remind_testers(utcnow()) == 1
    assert [mail.to for mail in _reminders()] == [waiting.email]


def test_the_reminders_command_runs_the_testers_sender(db):
    assert "testers.reminders" in dict(hooks.reminders.entries())
    _running(testers=2, days_left=2)
    assert ("testers.reminders", 2) in send_reminders(utcnow())
    assert ("testers.reminders", 0) in send_reminders(utcnow())


def test_two_runs_at_the_same_moment_remind_each_tester_once(committed):
    app = committed
    with app.app_context():
        campaign, _panel = _running(testers=5, days_left=2)
        campaign_id = campaign.id
        db.session.commit()
        db.session.remove()
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []
    now = utcnow()

    def run():
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                counts.append(remind_testers(now))
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 (reported below)
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(counts) == 2 and sum(counts) == 5  # one run claimed what the other did not
    with app.app_context():
        sent = db.session.scalar(
            select(func.count(OutboxEmail.id)).where(OutboxEmail.subject.like("A few days left%"))
        )
        reminded = db.session.scalar(
            select(func.count(CampaignInvitation.id)).where(
                CampaignInvitation.campaign_id == campaign_id,
                CampaignInvitation.reminded_at.is_not(None),
            )
        )
        assert sent == 5 and reminded == 5
        db.session.remove()
