"""Reads of the tester panel shared by pages, services and reports, each a fixed number of
statements: a startup's cohort, who may be invited to a campaign (as the frame the fair
selection reads), responses counted per quota value, the campaign lists and their progress,
what the import matches by e-mail. The staff's own reads of the panel (its list, a tester's
invitations, its health) are in `roster`."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from flask import current_app
from sqlalchemy import case, func, or_, select

from accelerator.core.models import AuditEvent
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Enrollment
from accelerator.testers.models import (
    ATTRIBUTES,
    Campaign,
    CampaignInvitation,
    CampaignStatus,
    Response,
    Tester,
)


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


# --- The campaign pages: lists, progress, waves ----------------------------------------------


@dataclass(frozen=True)
class Progress:
    invited: int = 0
    responses: int = 0


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    startup_name: str
    cohort_name: str
    progress: Progress

    @property
    def percent(self) -> int:
        """Responses against the target, 0–100, for a progress bar."""
        wanted = self.campaign.responses_wanted or 1
        return min(100, round(100 * self.progress.responses / wanted))


def progress_of(campaign_ids) -> dict[int, Progress]:
    """Invitations sent and responses received per campaign, for the given ids. One statement."""
    ids = list(campaign_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            CampaignInvitation.campaign_id,
            func.count(CampaignInvitation.id),
            func.count(Response.id),
        )
        .outerjoin(Response, Response.invitation_id == CampaignInvitation.id)
        .where(CampaignInvitation.campaign_id.in_(ids))
        .group_by(CampaignInvitation.campaign_id)
    ).all()
    return {campaign_id: Progress(invited, responses) for campaign_id, invited, responses in rows}


@dataclass(frozen=True)
class Figures:
    """A campaign's aggregate figures: counts, the response rate, and SUS and NPS once at
    least `results.MIN_GROUP` people answered them (else None: no figure of fewer people)."""

    invited: int = 0
    responses: int = 0
    sus_mean: float | None = None
    nps: int | None = None

    @property
    def response_rate(self) -> float | None:
        return round(self.responses / self.invited, 4) if self.invited else None


def figures_of(campaign_ids) -> dict[int, Figures]:
    """Figures per campaign, for the given ids, never a tester's identity. One statement."""
    from accelerator.testers import scores
    from accelerator.testers.results import MIN_GROUP

    ids = list(campaign_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            CampaignInvitation.campaign_id,
            func.count(CampaignInvitation.id),
            func.count(Response.id),
            func.count(Response.sus_score),
            func.avg(Response.sus_score),
            func.count(case((Response.nps >= 9, 1))),
            func.count(case((Response.nps.between(7, 8), 1))),
            func.count(case((Response.nps <= 6, 1))),
        )
        .outerjoin(Response, Response.invitation_id == CampaignInvitation.id)
        .where(CampaignInvitation.campaign_id.in_(ids))
        .group_by(CampaignInvitation.campaign_id)
    ).all()
    figures = {}
    for campaign_id, invited, responses, sus_n, sus_avg, pro, passive, detractor in rows:
        sus_mean = round(float(sus_avg), 1) if sus_n >= MIN_GROUP and sus_avg is not None else None
        answered = pro + passive + detractor
        nps = (
            scores.nps([10] * pro + [8] * passive + [0] * detractor).score
            if answered >= MIN_GROUP
            else None
        )
        figures[campaign_id] = Figures(invited, responses, sus_mean, nps)
    return figures


def campaign_list(*, status=None, cohort_id: int | None = None, startup_id: int | None = None):
    """(rows, count) statements of campaigns with their startup's and cohort's names, those
    awaiting approval first, then the newest; read a page of rows with `campaign_rows`.
    `status`: one CampaignStatus or several (a tuple)."""
    from accelerator.applications.models import Startup

    conditions = []
    if isinstance(status, tuple):
        conditions.append(Campaign.status.in_(status))
    elif status is not None:
        conditions.append(Campaign.status == status)
    if cohort_id is not None:
        conditions.append(Campaign.cohort_id == cohort_id)
    if startup_id is not None:
        conditions.append(Campaign.startup_id == startup_id)
    awaiting_first = case((Campaign.status == CampaignStatus.REQUESTED, 0), else_=1)
    rows = (
        select(Campaign, Startup.name, Cohort.name)
        .join(Startup, Startup.id == Campaign.startup_id)
        .join(Cohort, Cohort.id == Campaign.cohort_id)
        .where(*conditions)
        .order_by(awaiting_first, Campaign.created_at.desc(), Campaign.id.desc())
    )
    count = select(func.count(Campaign.id)).where(*conditions)
    return rows, count


def campaign_rows(rows) -> list[CampaignRow]:
    """Rows of `campaign_list` (already read) with their progress: one more statement."""
    rows = list(rows)
    progress = progress_of(row[0].id for row in rows)
    return [
        CampaignRow(campaign, startup_name, cohort_name, progress.get(campaign.id, Progress()))
        for campaign, startup_name, cohort_name in rows
    ]


def first_campaign_rows(statement, limit: int) -> list[CampaignRow]:
    return campaign_rows(db.session.execute(statement.limit(limit)).all())


def campaign_status_counts(*, cohort_id: int | None = None) -> dict[str, int]:
    """How many campaigns in each status (of a cohort). One statement."""
    statement = select(Campaign.status, func.count(Campaign.id)).group_by(Campaign.status)
    if cohort_id is not None:
        statement = statement.where(Campaign.cohort_id == cohort_id)
    return {
        (status.value if hasattr(status, "value") else str(status)): count
        for status, count in db.session.execute(statement).all()
    }


@dataclass(frozen=True)
class Wave:
    number: int
    invited: int
    responses: int
    sent_at: datetime


def waves_of(campaign: Campaign) -> list[Wave]:
    """The campaign's waves of invitations: how many invited, when, how many answered."""
    rows = db.session.execute(
        select(
            CampaignInvitation.wave,
            func.count(CampaignInvitation.id),
            func.count(CampaignInvitation.responded_at),
            func.min(CampaignInvitation.invited_at),
        )
        .where(CampaignInvitation.campaign_id == campaign.id)
        .group_by(CampaignInvitation.wave)
        .order_by(CampaignInvitation.wave)
    ).all()
    return [Wave(wave, invited, responses, sent_at) for wave, invited, responses, sent_at in rows]


# --- The import's reads: who left the panel, who is known by their address ---------------


def erased_key(email: str) -> str:
    """What is kept of an erased tester's address: a keyed digest (HMAC-SHA-256 with
    TESTERS_ERASURE_KEY, by default the app's secret key), in the audit event of the erasure,
    so that an import knows not to add them back. Without the key nobody can test an address
    against it; the address itself is gone."""
    key = current_app.config.get("TESTERS_ERASURE_KEY") or current_app.config["SECRET_KEY"]
    message = f"testers.erased:{email.strip().lower()}".encode()
    return hmac.new(str(key).encode(), message, hashlib.sha256).hexdigest()


def erased_email_keys() -> set[str]:
    """The digests of the addresses of every tester erased (one statement)."""
    found = db.session.scalars(select(AuditEvent.data).where(AuditEvent.action == "tester.erased"))
    return {d["email_key"] for d in found if isinstance(d, dict) and d.get("email_key")}


#: What an import compares: the columns it may change, and whether the tester left.
IMPORTED_COLUMNS = (
    "id",
    "email",
    "name",
    *ATTRIBUTES,
    "interests",
    "consent_at",
    "consent_source",
    "consent_version",
    "opted_out_at",
    "erased_at",
)
_BY_EMAIL_IN = 1_000


def testers_by_email(emails: list[str]) -> dict[str, dict]:
    """The testers with these (lower-cased) addresses, by address, in one statement: a long
    list reads the whole panel once rather than binding thousands of parameters."""
    if not emails:
        return {}
    table = Tester.__table__
    statement = select(*(table.c[c] for c in IMPORTED_COLUMNS))  # rows, not ORM objects
    if len(emails) <= _BY_EMAIL_IN:
        statement = statement.where(table.c.email.in_(sorted(set(emails))))
    else:
        statement = statement.where(table.c.erased_at.is_(None))
    wanted = set(emails)
    return {
        row[1]: dict(zip(IMPORTED_COLUMNS, row, strict=True))
        for row in db.session.execute(statement)
        if row[1] in wanted
    }
