"""No page shows an event code to its reader: on the demo data, every page staff, a founder, a
mentor and a business-unit partner can open says what happened in words (`matching.run` reads
"ran the matching", `pilot.decided` "recorded a go for the pilot...").

The audit log shows codes on purpose: beside each sentence, the code its filter takes ("Action
starts with"); so do the staff's webhook pages, which name the events receivers subscribe to.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from accelerator import cli
from accelerator.auth.models import User
from accelerator.config import ROOT
from accelerator.core import hooks
from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from tests.pages import answer, pages, visible_text

DEMO_PEOPLE = (
    "staff@example.org",
    "founder@example.org",
    "mentor@example.org",
    "partner@example.org",
)
#: Webhooks' pages name the events as receivers read them in the payload's "type" (beside
#: their description): the names are the contract a receiver is written against.
SHOWS_CODES = {"site.audit_log", "webhooks.index", "webhooks.show", "webhooks.edit", "webhooks.new"}
CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b")


@pytest.fixture
def demo(db):
    """The demo data of `flask seed`, in this test's transaction."""
    for _name, step in cli._seeders():
        step(ROOT / "seed_data", lambda *_args, **_kwargs: None)
    db.session.commit()


def _known_actions() -> set[str]:
    recorded = set(db.session.scalars(select(AuditEvent.action).distinct()))
    described = {action for _name, book in hooks.history.entries() for action in book.actions}
    return recorded | described


def test_no_page_shows_an_event_code(demo, app, login_as):
    actions = _known_actions()
    assert {"matching.run", "review.auto_assigned", "milestone_plan.defaulted"} <= actions
    assert {"introduction.accepted", "pilot.started", "pilot.decided"} <= actions
    shown = []
    for email in DEMO_PEOPLE:
        client = login_as(db.session.scalar(select(User).where(User.email == email)))

        found = pages(app, lambda url, client=client: answer(client.get(url)))
        assert len(found) >= 10, found  # the walk reached the pages, not only the home
        for endpoint, url, page in found:
            if endpoint in SHOWS_CODES:
                continue
            codes = set(CODE.findall(visible_text(page.html)))
            if codes & actions:
                shown.append(f"{email} {url} ({endpoint}): {', '.join(sorted(codes & actions))}")
    assert not shown, "event codes shown to readers:\n" + "\n".join(shown)
