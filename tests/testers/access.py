"""Access expectations for the tester panel: every route against every role.

build() gives world.startup (the founder's) a campaign in each state (world.campaigns[status],
running with one invited tester whose personal link is world.tester_token) and a tester
world.tester. The cases are kept per area in access_*.py beside this file and gathered here.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

CASES: dict = {}
for _info in pkgutil.iter_modules([str(Path(__file__).parent)]):
    if _info.name.startswith("access_"):
        _module = importlib.import_module(f"tests.testers.{_info.name}")
        for _endpoint, _cases in _module.CASES.items():
            assert _endpoint not in CASES, f"{_endpoint} listed twice"
            CASES[_endpoint] = _cases


def build(world) -> None:
    from sqlalchemy import select

    from accelerator.extensions import db
    from accelerator.programs.models import Enrollment
    from accelerator.testers import services
    from accelerator.testers.models import CampaignInvitation
    from tests import factories

    try:
        startup = world.startup
    except AttributeError:
        startup = factories.make_startup(founders=[world.users["founder"]])
        world.startup = startup
    if db.session.scalar(select(Enrollment).where(Enrollment.startup_id == startup.id)) is None:
        factories.make_enrollment(startup=startup)
    staff = world.users["staff"]
    world.tester = factories.make_tester(name="Hélène Matrix", os="ios", country="FR")
    for _ in range(3):
        factories.make_tester(os="ios", country="FR")
    world.campaigns = {
        status: factories.make_campaign(startup=startup, status=status, actor=staff)
        for status in ("requested", "approved", "declined", "closed")
    }
    running = factories.make_campaign(startup=startup, status="approved", actor=staff)
    running.responses_wanted = 1
    services.send_wave(running, actor=staff)
    world.campaigns["running"] = running
    invitation = db.session.scalar(
        select(CampaignInvitation).where(CampaignInvitation.campaign_id == running.id)
    )
    # The personal link of the running campaign's first invitation: re-issued here in clear.
    from accelerator.core.tokens import new_token

    token, token_hash = new_token()
    invitation.token_hash = token_hash
    world.tester_token = token
    world.running_invitation = invitation
    db.session.flush()
