"""The staff's reads of the panel, each a fixed number of statements: the testers searched and
filtered (a page of them at a time), a tester's invitations with their campaigns' titles, and
the panel's health (its size, who left, who was contacted, tests per quarter, response
rates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import case, func, or_, select

from accelerator.extensions import db
from accelerator.testers.models import (
    ATTRIBUTES,
    Campaign,
    CampaignInvitation,
    CampaignStatus,
    Tester,
)
from accelerator.testers.queries import reachable

#: The states the panel's list filters on.
PANEL_STATES = ("reachable", "opted_out", "erased")


@dataclass(frozen=True)
class PanelFilters:
    q: str = ""
    attributes: tuple[tuple[str, str], ...] = ()  # (attribute, value), each a Tester column
    state: str = ""  # one of PANEL_STATES, or all

    @property
    def any(self) -> bool:
        return bool(self.q or self.attributes or self.state)

    def value(self, attribute: str) -> str:
        return dict(self.attributes).get(attribute, "")


def panel_list(filters: PanelFilters):
    """(rows statement, count statement) of the panel's testers matching `filters`, newest
    first: a name or part of an address searched, attributes equal, a state."""
    where = []
    q = filters.q.strip()
    if q:
        where.append(
            or_(
                Tester.email.contains(q.lower(), autoescape=True),
                func.lower(Tester.name).contains(q.lower(), autoescape=True),
            )
        )
    for attribute, value in filters.attributes:
        if attribute in ATTRIBUTES and value:
            where.append(getattr(Tester, attribute) == value)
    if filters.state == "reachable":
        where.extend(reachable())
    elif filters.state == "opted_out":
        where.extend((Tester.opted_out_at.is_not(None), Tester.erased_at.is_(None)))
    elif filters.state == "erased":
        where.append(Tester.erased_at.is_not(None))
    rows = select(Tester).where(*where).order_by(Tester.id.desc())
    count = select(func.count(Tester.id)).where(*where)
    return rows, count


@dataclass(frozen=True)
class TesterInvitation:
    campaign_id: int
    title: str
    status: CampaignStatus
    wave: int
    invited_at: datetime
    responded_at: datetime | None
    revoked_at: datetime | None


def tester_invitations(tester_id: int, limit: int = 200) -> list[TesterInvitation]:
    """A tester's invitations with their campaigns' titles, latest first (one statement)."""
    rows = db.session.execute(
        select(
            Campaign.id,
            Campaign.title,
            Campaign.status,
            CampaignInvitation.wave,
            CampaignInvitation.invited_at,
            CampaignInvitation.responded_at,
            CampaignInvitation.revoked_at,
        )
        .join(Campaign, Campaign.id == CampaignInvitation.campaign_id)
        .where(CampaignInvitation.tester_id == tester_id)
        .order_by(CampaignInvitation.invited_at.desc(), CampaignInvitation.id.desc())
        .limit(limit)
    ).all()
    return [TesterInvitation(*row) for row in rows]


@dataclass(frozen=True)
class CampaignRate:
    campaign_id: int
    title: str
    status: CampaignStatus
    wanted: int
    first_invited: datetime
    invited: int
    responded: int

    @property
    def rate(self) -> float:
        return self.responded / self.invited if self.invited else 0.0


@dataclass(frozen=True)
class Quarter:
    label: str  # 2026 Q1
    campaigns: int
    invited: int


@dataclass(frozen=True)
class PanelHealth:
    total: int
    reachable: int
    opted_out_this_month: int
    erased: int
    contacted: int  # invited in the last `rest_days` days
    rest_days: int
    quarters: list[Quarter]
    campaigns: list[CampaignRate]

    @property
    def overall_rate(self) -> float:
        invited = sum(c.invited for c in self.campaigns)
        return sum(c.responded for c in self.campaigns) / invited if invited else 0.0


def _counted(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def panel_health(now: datetime, *, campaigns: int = 50) -> PanelHealth:
    """The panel's size and use in two statements: the testers' counts, and every campaign
    that invited anyone (per quarter of its first wave, and its response rate)."""
    rest_days = int(current_app.config["TESTERS_REST_DAYS"])
    month = datetime(now.year, now.month, 1, tzinfo=UTC)
    reachable_now = Tester.opted_out_at.is_(None) & Tester.erased_at.is_(None)
    counts = db.session.execute(
        select(
            func.count(Tester.id),
            _counted(reachable_now),
            _counted(Tester.opted_out_at >= month),
            _counted(Tester.erased_at.is_not(None)),
            _counted(Tester.last_invited_at >= now - timedelta(days=rest_days)),
        )
    ).one()
    first = func.min(CampaignInvitation.invited_at)
    rows = db.session.execute(
        select(
            Campaign.id,
            Campaign.title,
            Campaign.status,
            Campaign.responses_wanted,
            first,
            func.count(CampaignInvitation.id),
            func.count(CampaignInvitation.responded_at),
        )
        .join(CampaignInvitation, CampaignInvitation.campaign_id == Campaign.id)
        .group_by(Campaign.id, Campaign.title, Campaign.status, Campaign.responses_wanted)
        .order_by(first.desc(), Campaign.id.desc())
    ).all()
    rates = [CampaignRate(*row) for row in rows]
    quarters: dict[str, list[int]] = {}
    for rate in rates:
        started = rate.first_invited
        key = f"{started.year} Q{(started.month - 1) // 3 + 1}"
        found = quarters.setdefault(key, [0, 0])
        found[0] += 1
        found[1] += rate.invited
    return PanelHealth(
        total=int(counts[0]),
        reachable=int(counts[1]),
        opted_out_this_month=int(counts[2]),
        erased=int(counts[3]),
        contacted=int(counts[4]),
        rest_days=rest_days,
        quarters=[Quarter(k, c, i) for k, (c, i) in sorted(quarters.items(), reverse=True)],
        campaigns=rates[:campaigns],
    )
