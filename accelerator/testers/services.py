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
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update

from accelerator.applications.models import Startup
from accelerator.applications.policies import is_founder_of
from accelerator.applications.queries import timezone_of
from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import Conflict, Invalid, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.locking import lock
from accelerator.core.permissions import require_staff
from accelerator.core.text import checked_text
from accelerator.core.timeutil import local_to_utc, local_today
from accelerator.core.tokens import new_token
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.testers import notify, queries, scores
from accelerator.testers.fields import CampaignFields, checked
from accelerator.testers.models import (
    ATTRIBUTE_LABELS,
    ATTRIBUTES,
    Campaign,
    CampaignInvitation,
    CampaignStatus,
    QuestionKind,
    Response,
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


# --- The tester's side (no account: the personal link) ---------------------------------------


def check_link(invitation: CampaignInvitation | None, *, now: datetime | None = None) -> None:
    """Refuse a link that does not open the questionnaire: unknown or tampered (404 by the
    caller), erased or unsubscribed tester, closed test or past its last day (409)."""
    if invitation is None:
        raise Invalid(_("This link is not valid. Check that it was copied whole."))
    campaign = db.session.get(Campaign, invitation.campaign_id)
    tester = db.session.get(Tester, invitation.tester_id)
    if tester is None or tester.erased_at is not None or invitation.revoked_at is not None:
        raise InvalidState(_("This link no longer works."))
    if campaign.status == CS.CLOSED or (now or utcnow()) >= invitation.expires_at:
        raise InvalidState(
            _("This test is closed: it no longer takes answers. Thank you for your help.")
        )
    if campaign.status != CS.RUNNING:
        raise InvalidState(_("This test is not open yet."))


def _answers(campaign: Campaign, raw: list[Any]) -> tuple[list[Any], dict[str, str]]:
    kept: list[Any] = []
    errors: dict[str, str] = {}
    for index, question in enumerate(campaign.questions):
        value = raw[index] if index < len(raw) else None
        name = f"answer_{index + 1}"
        kind = question["kind"]
        if kind == QuestionKind.TEXT:
            text = (value or "").strip() if isinstance(value, str) else ""
            if len(text) > 2000:
                errors[name] = _("Please keep this under %(limit)s characters.", limit=2000)
            kept.append(text)
        elif kind == QuestionKind.SCALE:
            if value in (None, ""):
                kept.append(None)
            elif isinstance(value, int) and 1 <= value <= 5:
                kept.append(value)
            else:
                errors[name] = _("Choose a number from 1 to 5.")
                kept.append(None)
        else:
            chosen = value if isinstance(value, list) else ([value] if value else [])
            if any(c not in question["choices"] for c in chosen) or (
                kind == QuestionKind.SINGLE and len(chosen) > 1
            ):
                errors[name] = _("Choose among the answers offered.")
            kept.append(chosen if kind == QuestionKind.MULTIPLE else (chosen or [None])[0])
    return kept, errors


def submit_response(
    invitation: CampaignInvitation,
    *,
    sus: list[int | None],
    nps: int | None,
    answers: list[Any],
    now: datetime | None = None,
) -> Response:
    """A tester answers (again: the answer is updated). Every SUS statement and the
    recommendation are required; refusals stand beside their fields."""
    invitation = lock(CampaignInvitation, invitation.id)
    check_link(invitation, now=now)
    campaign = db.session.get(Campaign, invitation.campaign_id)
    errors: dict[str, str] = {}
    for index, answer in enumerate(sus[:10] + [None] * (10 - len(sus))):
        if answer not in (1, 2, 3, 4, 5):
            errors[f"sus_{index + 1}"] = _("Choose how much you agree, from 1 to 5.")
    if nps is None or not 0 <= nps <= 10:
        errors["nps"] = _("Choose a number from 0 to 10.")
    kept, answer_errors = _answers(campaign, answers)
    errors.update(answer_errors)
    if errors:
        error = ValidationFailed(next(iter(errors.values())), field=next(iter(errors)))
        error.errors = errors  # type: ignore[attr-defined]
        raise error
    now = now or utcnow()
    response = db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))
    if response is None:
        response = Response(invitation_id=invitation.id, campaign_id=campaign.id, submitted_at=now)
        db.session.add(response)
    response.sus = [int(a) for a in sus[:10]]
    response.sus_score = scores.sus_score(response.sus)
    response.nps, response.answers, response.updated_at = nps, kept, now
    invitation.responded_at = invitation.responded_at or now
    return response


def unsubscribe(invitation: CampaignInvitation, *, now: datetime | None = None) -> bool:
    """The tester leaves the panel (one click, RFC 8058): never mailed again. Whether it
    changed anything (a second click is harmless)."""
    tester = lock(Tester, invitation.tester_id)
    if tester.opted_out_at is not None or tester.erased_at is not None:
        return False
    tester.opted_out_at = now or utcnow()
    audit.record("tester.unsubscribed", tester, actor=None, data={"via": "link"})
    return True


def erase_tester(tester: Tester, *, actor: User | None = None) -> None:
    """Erase a tester (their own request through their link, or staff's): name, address,
    region and interests are gone, free-text answers blanked; their choices and scores keep
    counting, anonymous. Their links stop working."""
    if actor is not None:
        require_staff(actor, _("Only program staff can erase a tester."))
    tester = lock(Tester, tester.id)
    if tester.erased_at is not None:
        return
    now = utcnow()
    email_key = queries.erased_key(tester.email)  # kept: an import never adds them back
    tester.email = f"erased-{tester.id}@invalid"
    tester.name, tester.region, tester.interests = "", "", []
    tester.erased_at = tester.opted_out_at = now
    db.session.execute(
        update(CampaignInvitation)
        .where(CampaignInvitation.tester_id == tester.id, CampaignInvitation.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    for response in db.session.scalars(
        select(Response)
        .join(CampaignInvitation, CampaignInvitation.id == Response.invitation_id)
        .where(CampaignInvitation.tester_id == tester.id)
    ):
        campaign = db.session.get(Campaign, response.campaign_id)
        response.answers = [
            "" if q["kind"] == QuestionKind.TEXT else a
            for q, a in zip(campaign.questions, response.answers, strict=False)
        ]
    audit.record(
        "tester.erased",
        tester,
        actor=actor,
        data={"via": "staff" if actor else "link", "email_key": email_key},
    )
