"""Reads of the tester panel shared by pages, services and reports, each a fixed number of
statements: a startup's cohort, who may be invited to a campaign (as the frame the fair
selection reads), responses counted per quota value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from flask import current_app
from sqlalchemy import func, or_, select

from accelerator.extensions import db
from accelerator.programs.models import Cohort, Enrollment
from accelerator.testers.models import ATTRIBUTES, Campaign, CampaignInvitation, Response, Tester


def current_cohort_id(startup_id: int) -> int | None:
    """The cohort the startup is (or was last) enrolled in."""
    return db.session.scalar(
        select(Cohort.id)
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(Enrollment.startup_id == startup_id)
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
        .limit(1)
    )


def quarter_start(now: datetime) -> datetime:
    """The first instant (UTC) of `now`'s calendar quarter."""
    month = 3 * ((now.month - 1) // 3) + 1
    return datetime(now.year, month, 1, tzinfo=UTC)


def reachable():
    """Testers on the panel and willing: consented (a CHECK), not opted out, not erased."""
    return (Tester.opted_out_at.is_(None), Tester.erased_at.is_(None))


def candidates(campaign: Campaign, *, now: datetime) -> pd.DataFrame:
    """Who may be invited to `campaign` now, as the frame `selection.select` reads: reachable
    testers matching the target, not already invited to it, not contacted in the last
    TESTERS_REST_DAYS days, not in TESTERS_MAX_CAMPAIGNS_PER_QUARTER campaigns this quarter;
    `priority` puts the least recently invited first. One statement."""
    config = current_app.config
    rested = now - timedelta(days=config["TESTERS_REST_DAYS"])
    busy = (
        select(CampaignInvitation.tester_id)
        .where(CampaignInvitation.invited_at >= quarter_start(now))
        .group_by(CampaignInvitation.tester_id)
        .having(
            func.count(func.distinct(CampaignInvitation.campaign_id))
            >= config["TESTERS_MAX_CAMPAIGNS_PER_QUARTER"]
        )
    )
    invited_here = select(CampaignInvitation.tester_id).where(
        CampaignInvitation.campaign_id == campaign.id
    )
    columns = [getattr(Tester, name) for name in ATTRIBUTES]
    statement = (
        select(Tester.id, *columns, Tester.last_invited_at)
        .where(*reachable())
        .where(or_(Tester.last_invited_at.is_(None), Tester.last_invited_at < rested))
        .where(Tester.id.not_in(busy), Tester.id.not_in(invited_here))
        .order_by(Tester.id)
    )
    for attribute, values in (campaign.criteria or {}).items():
        if attribute in ATTRIBUTES and values:
            statement = statement.where(getattr(Tester, attribute).in_(values))
    rows = db.session.execute(statement).all()
    frame = pd.DataFrame(rows, columns=["id", *ATTRIBUTES, "last_invited_at"])
    for attribute in ATTRIBUTES:
        frame[attribute] = frame[attribute].map(lambda v: None if v is None else str(v))
    never = pd.Timestamp("1970-01-01", tz="UTC")
    frame["priority"] = (
        pd.to_datetime(frame["last_invited_at"], utc=True).fillna(never).astype("int64")
    )
    return frame.drop(columns=["last_invited_at"])


@dataclass(frozen=True)
class Answered:
    total: int
    by_value: dict[tuple[str, str], int]


def response_counts(campaign: Campaign) -> Answered:
    """The campaign's responses, in all and per (attribute, value) of its quotas."""
    attributes = sorted({q["attribute"] for q in campaign.quotas if q["attribute"] in ATTRIBUTES})
    columns = [getattr(Tester, a) for a in attributes]
    rows = db.session.execute(
        select(*columns, func.count(Response.id))
        .select_from(Response)
        .join(CampaignInvitation, CampaignInvitation.id == Response.invitation_id)
        .join(Tester, Tester.id == CampaignInvitation.tester_id)
        .where(Response.campaign_id == campaign.id)
        .group_by(*columns)
    ).all()
    total = 0
    by_value: dict[tuple[str, str], int] = {}
    for row in rows:
        count = row[-1]
        total += count
        for attribute, value in zip(attributes, row[:-1], strict=True):
            key = (attribute, None if value is None else str(value))
            by_value[key] = by_value.get(key, 0) + count
    return Answered(total, by_value)


def invitation_for_token(token: str) -> CampaignInvitation | None:
    from accelerator.core.tokens import hash_token

    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(CampaignInvitation).where(CampaignInvitation.token_hash == hash_token(token))
    )


def local_day(value: date | None) -> str:
    return value.isoformat() if value else ""


#: The columns of `response_frame`: the answers, then the tester's attributes (no identity).
RESPONSE_COLUMNS = ["submitted_at", "sus", "sus_score", "nps", "answers", *ATTRIBUTES]


def response_frame(campaign_id: int) -> pd.DataFrame:
    """A campaign's responses joined to their testers' attributes, oldest first, as a frame
    (one statement). Never a name, an address or an id: the results read only this."""
    columns = [getattr(Tester, name) for name in ATTRIBUTES]
    rows = db.session.execute(
        select(
            Response.submitted_at,
            Response.sus,
            Response.sus_score,
            Response.nps,
            Response.answers,
            *columns,
        )
        .join(CampaignInvitation, CampaignInvitation.id == Response.invitation_id)
        .join(Tester, Tester.id == CampaignInvitation.tester_id)
        .where(Response.campaign_id == campaign_id)
        .order_by(Response.submitted_at, Response.id)
    ).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=RESPONSE_COLUMNS)
    for attribute in ATTRIBUTES:
        frame[attribute] = frame[attribute].map(lambda v: None if v in (None, "") else str(v))
    return frame


def invitations_sent(campaign_id: int) -> int:
    """How many testers were invited to the campaign (every wave, revoked links included)."""
    return int(
        db.session.scalar(
            select(func.count(CampaignInvitation.id)).where(
                CampaignInvitation.campaign_id == campaign_id
            )
        )
        or 0
    )
