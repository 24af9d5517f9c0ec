"""The tester's side, through their personal link and without an account: whether a link
opens the questionnaire, the answers (answering again updates them), one-click unsubscribe and
erasure. Called through `services`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from accelerator.auth.models import User
from accelerator.core import audit
from accelerator.core.errors import Invalid, InvalidState, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock
from accelerator.core.permissions import require_staff
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.testers import queries, scores
from accelerator.testers.models import (
    Campaign,
    CampaignInvitation,
    CampaignStatus,
    QuestionKind,
    Response,
    Tester,
)

CS = CampaignStatus


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
