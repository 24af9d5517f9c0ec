"""Test campaign rules: a founder asks, staff approve, edit or decline; invitations go out in
waves chosen fairly until enough testers answered; a tester answers, unsubscribes or erases
their data through their personal link, without an account.

Each act locks what it moves, checks the move on the status enum (409 with the reason),
writes one audit event and queues its mail.
"""

from __future__ import annotations

import math
import secrets
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, insert, select, update

from accelerator.applications.models import Startup
from accelerator.applications.policies import is_founder_of
from accelerator.applications.queries import timezone_of
from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock
from accelerator.core.permissions import require_staff
from accelerator.core.text import checked_text
from accelerator.core.timeutil import local_to_utc, local_today
from accelerator.core.tokens import new_token
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.testers import notify, queries
from accelerator.testers.fields import CampaignFields, checked
from accelerator.testers.links import (
    check_link as check_link,
)
from accelerator.testers.links import (
    erase_tester as erase_tester,
)
from accelerator.testers.links import (
    submit_response as submit_response,
)
from accelerator.testers.links import (
    unsubscribe as unsubscribe,
)
from accelerator.testers.models import (
    ATTRIBUTE_LABELS,
    ATTRIBUTES,
    Campaign,
    CampaignInvitation,
    CampaignStatus,
    Tester,
)
from accelerator.testers.selection import InfeasibleQuotas, Quota
from accelerator.testers.selection import select as select_fairly

CS = CampaignStatus


def _today(campaign_or_startup) -> date:
    return local_today(timezone_of(campaign_or_startup))


# --- Campaigns -------------------------------------------------------------------------------


def request_campaign(*, startup: Startup, fields: CampaignFields, actor: User) -> Campaign:
    """A founder of an enrolled startup (or staff for it) asks for a test with the panel."""
    if not (actor.is_staff or is_founder_of(actor, startup.id)):
        raise NotAllowed(_("Only the startup's founders can ask for a test."))
    cohort_id = queries.current_cohort_id(startup.id)
    if cohort_id is None:
        raise InvalidState(_("Only a startup enrolled in a cohort can test with the panel."))
    values = checked(fields, today=_today(startup))
    campaign = Campaign(
        startup_id=startup.id,
        cohort_id=cohort_id,
        requested_by_id=actor.id,
        status=CS.REQUESTED,
        **values,
    )
    audit.record_new(
        "campaign.requested",
        campaign,
        actor=actor,
        data={
            "title": campaign.title,
            "startup": startup.name,
            "wanted": values["responses_wanted"],
        },
    )
    notify.campaign("requested", campaign, startup, actor=actor)
    return campaign


def update_campaign(campaign: Campaign, *, fields: CampaignFields, actor: User) -> list[str]:
    """Staff edit a campaign before it runs; its founders while it awaits approval."""
    campaign = lock(Campaign, campaign.id)
    if not actor.is_staff:
        if not is_founder_of(actor, campaign.startup_id):
            raise NotAllowed(_("Only the startup's founders and staff can change this test."))
        if campaign.status != CS.REQUESTED:
            raise InvalidState(_("Only program staff can change a test once it is approved."))
    if campaign.status not in (CS.REQUESTED, CS.APPROVED):
        raise InvalidState(str(CS.__refusals__[campaign.status.value]))
    values = checked(fields, today=_today(campaign))
    changed = [key for key, value in values.items() if getattr(campaign, key) != value]
    for key, value in values.items():
        setattr(campaign, key, value)
    if changed:
        audit.record(
            "campaign.updated",
            campaign,
            actor=actor,
            startup=campaign.startup_id,
            data={"title": campaign.title, "fields": changed},
        )
    return changed


def _move(campaign: Campaign, target: CampaignStatus, actor: User, event: str, **data) -> Campaign:
    campaign = lock(Campaign, campaign.id)
    campaign.status.check_move(target)
    campaign.status = target
    audit.record(
        f"campaign.{event}",
        campaign,
        actor=actor,
        startup=campaign.startup_id,
        data={"title": campaign.title, **data},
    )
    return campaign


def approve_campaign(campaign: Campaign, *, actor: User) -> None:
    """Staff approve a requested test; the seed of its fair selection is drawn now."""
    require_staff(actor, _("Only program staff can approve a test."))
    campaign = _move(campaign, CS.APPROVED, actor, "approved")
    campaign.decided_by_id, campaign.decided_at = actor.id, utcnow()
    campaign.selection_seed = secrets.randbelow(2**31)
    notify.campaign("approved", campaign, db.session.get(Startup, campaign.startup_id), actor=actor)


def decline_campaign(campaign: Campaign, *, reason: str, actor: User) -> None:
    """Staff decline a requested test, saying why."""
    require_staff(actor, _("Only program staff can decline a test."))
    why = checked_text(
        reason,
        field="reason",
        limit=2000,
        too_long=_("Please keep this under %(limit)s characters.", limit=2000),
        required=_("Say why the test is declined."),
    )
    campaign = _move(campaign, CS.DECLINED, actor, "declined", reason=why)
    campaign.decided_by_id, campaign.decided_at = actor.id, utcnow()
    campaign.decline_reason = why
    notify.campaign("declined", campaign, db.session.get(Startup, campaign.startup_id), actor=actor)


def close_campaign(campaign: Campaign, *, actor: User) -> None:
    """Staff or the founders close a test: its links then say it is closed."""
    if not (actor.is_staff or is_founder_of(actor, campaign.startup_id)):
        raise NotAllowed(_("Only the startup's founders and staff can close this test."))
    campaign = _move(campaign, CS.CLOSED, actor, "closed")
    campaign.closed_at = utcnow()


# --- Waves of invitations --------------------------------------------------------------------


def _quotas_still_needed(campaign: Campaign, rate: float) -> tuple[int, list[Quota]]:
    """How many to invite now, and how many of each quota, for the responses still missing."""
    answered = queries.response_counts(campaign)
    missing = max(0, campaign.responses_wanted - answered.total)
    size = math.ceil(missing / rate) if missing else 0
    quotas = []
    for quota in campaign.quotas:
        got = answered.by_value.get((quota["attribute"], quota["value"]), 0)
        need = max(0, int(quota["at_least"]) - got)
        if need:
            quotas.append(Quota(quota["attribute"], quota["value"], math.ceil(need / rate)))
    return size, quotas


def send_wave(campaign: Campaign, *, actor: User, now: datetime | None = None) -> int:
    """Invite the next wave: enough reachable, rested testers matching the target for the
    responses still missing (at the expected response rate), every quota met; returns how
    many were invited. 409 when the quotas cannot be met (naming them) or no one is left."""
    require_staff(actor, _("Only program staff can send invitations."))
    campaign = lock(Campaign, campaign.id)
    if campaign.status not in (CS.APPROVED, CS.RUNNING):
        raise InvalidState(str(CS.__refusals__[campaign.status.value]))
    now = now or utcnow()
    config = current_app.config
    today = _today(campaign)
    if today > campaign.closes_on:
        raise InvalidState(_("This test closed on %(day)s.", day=campaign.closes_on.isoformat()))
    size, quotas = _quotas_still_needed(campaign, config["TESTERS_RESPONSE_RATE"])
    if size == 0:
        raise InvalidState(_("This test has all the responses it asked for."))
    candidates = queries.candidates(campaign, now=now)
    size = min(size, config["TESTERS_WAVE_MAX"], len(candidates))
    if size == 0:
        raise InvalidState(_("No tester matching the target is free to invite now."))
    quotas = [Quota(q.attribute, q.value, min(q.at_least, size)) for q in quotas]
    try:
        chosen = select_fairly(
            candidates, size=size, quotas=quotas, seed=campaign.selection_seed + _wave(campaign)
        )
    except InfeasibleQuotas as error:
        raise Conflict(_infeasible(error)) from error
    wave = _wave(campaign) + 1
    invited = _invite(campaign, chosen, wave=wave, now=now)
    if campaign.status == CS.APPROVED:
        campaign.status = CS.RUNNING
    audit.record(
        "campaign.wave_sent",
        campaign,
        actor=actor,
        startup=campaign.startup_id,
        data={"title": campaign.title, "wave": wave, "invited": invited},
    )
    return invited


def _infeasible(error: InfeasibleQuotas) -> str:
    """The refusal of a wave in the reader's words: which quotas cannot be met together."""
    if not error.quotas:
        return _(
            "Only some testers matching the target are free now, fewer than the %(size)s to "
            "invite; wait for them to rest or widen the target.",
            size=error.size,
        )
    named = ", ".join(
        _(
            "%(attribute)s %(value)s: at least %(count)s",
            attribute=str(ATTRIBUTE_LABELS.get(q.attribute, q.attribute)),
            value=_value_label(q.attribute, q.value),
            count=q.at_least,
        )
        for q in error.quotas
    )
    return _(
        "These quotas cannot be met together with the %(size)s testers to invite among those "
        "free now: %(quotas)s. Lower them, or widen the target.",
        size=error.size,
        quotas=named,
    )


def _value_label(attribute: str, value: str) -> str:
    kind = ATTRIBUTES.get(attribute)
    if kind is None:
        return value
    try:
        return kind(value).label
    except ValueError:
        return value


def _wave(campaign: Campaign) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.max(CampaignInvitation.wave), 0)).where(
                CampaignInvitation.campaign_id == campaign.id
            )
        )
    )


def link_expiry(campaign: Campaign) -> datetime:
    """A personal link works until the end of the test's last day, in the program's zone."""
    return local_to_utc(
        datetime.combine(campaign.closes_on + timedelta(days=1), time(0)), timezone_of(campaign)
    )


def _invite(campaign: Campaign, tester_ids: list[int], *, wave: int, now: datetime) -> int:
    """Insert the invitations and queue their mail in bulk (one statement each, not one per
    tester): a wave of 10,000 fits in a few seconds."""
    if not tester_ids:
        return 0
    expires = link_expiry(campaign)
    tokens: dict[int, str] = {}
    rows = []
    for tester_id in tester_ids:
        token, token_hash = new_token()
        tokens[tester_id] = token
        rows.append(
            {
                "campaign_id": campaign.id,
                "tester_id": tester_id,
                "token_hash": token_hash,
                "wave": wave,
                "invited_at": now,
                "expires_at": expires,
            }
        )
    db.session.execute(insert(CampaignInvitation), rows)
    db.session.execute(
        update(Tester)
        .where(Tester.id.in_(tester_ids))
        .values(last_invited_at=now)
        .execution_options(synchronize_session=False)
    )
    notify.invitations(campaign, tokens)
    return len(rows)
