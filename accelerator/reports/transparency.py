"""The public transparency page's read model: how selection works and what past cohorts became.

Every figure comes from the staff reports' own read models, so the public page and the staff
pages cannot disagree: per past cohort from `overview.program_overview` (applications received,
shortlisted, selected, median days from the deadline to the decision, share with written
feedback), alumni outcomes from `impact.program_impact` over the alumni whose founders
consented to be listed. Only published cohorts are shown; a past cohort is a completed one.

No public figure describes a group of fewer than `MIN_GROUP`: `public_count` turns a count
under it into None (the page reads "fewer than 5"), medians and shares over fewer are None
(hidden), and a cohort's aggregate money and jobs need `MIN_GROUP` listed alumni.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from accelerator.extensions import db
from accelerator.programs.models import Cohort, CohortState, Phase, Program
from accelerator.programs.queries import demo_day
from accelerator.reports.impact import MIN_GROUP, ImpactFigures, Money, program_impact
from accelerator.reports.models import TransparencyPage
from accelerator.reports.overview import CohortFigures, program_overview


def public_count(n: int) -> int | None:
    """`n`, or None when it counts fewer than MIN_GROUP (read "fewer than 5")."""
    return n if n >= MIN_GROUP else None


@dataclass
class PastCohort:
    """One completed cohort's public figures."""

    figures: CohortFigures
    alumni: ImpactFigures  # the listed alumni only

    @property
    def cohort(self) -> Cohort:
        return self.figures.cohort

    @property
    def received(self) -> int | None:
        return public_count(self.figures.submitted)

    @property
    def shortlisted(self) -> int | None:
        return public_count(self.figures.shortlisted)

    @property
    def selected(self) -> int | None:
        """Offered a place."""
        return public_count(self.figures.offered)

    @property
    def median_deadline_days(self) -> float | None:
        f = self.figures
        return f.median_deadline_days if f.decided >= MIN_GROUP else None

    @property
    def feedback_share(self) -> float | None:
        f = self.figures
        return f.feedback_share if f.submitted >= MIN_GROUP else None

    @property
    def shows_aggregates(self) -> bool:
        """Money and jobs of the listed alumni: only with MIN_GROUP of them listed."""
        return self.alumni.count >= MIN_GROUP

    @property
    def raised(self) -> list[Money]:
        """Money raised per currency, each over MIN_GROUP answers at least."""
        if not self.shows_aggregates:
            return []
        return [money for money in self.alumni.raised if not money.small]

    @property
    def jobs_created(self) -> int | None:
        if not self.shows_aggregates or self.alumni.team_known < MIN_GROUP:
            return None
        return self.alumni.jobs_created

    @property
    def headcount(self) -> int | None:
        if not self.shows_aggregates or len(self.alumni.answered) < MIN_GROUP:
            return None
        return self.alumni.headcount


@dataclass
class Transparency:
    program: Program
    page: TransparencyPage | None
    #: The latest published cohort: its call's timeline and its selection criteria.
    call: Cohort | None
    demo_day: date | None
    past: list[PastCohort]

    @property
    def criteria(self) -> list[dict[str, Any]]:
        return list(self.call.review_criteria or []) if self.call is not None else []

    @property
    def total_weight(self) -> int:
        return sum(int(c.get("weight") or 0) for c in self.criteria)


def transparency(program: Program, page: TransparencyPage | None) -> Transparency:
    """The program's public page (`page`: its introduction), read now (a fixed number of
    statements)."""
    published = list(
        db.session.scalars(
            select(Cohort)
            .where(Cohort.program_id == program.id, Cohort.state == CohortState.PUBLISHED)
            .order_by(Cohort.applications_open_at.desc(), Cohort.id.desc())
        )
    )
    call = published[0] if published else None
    completed = [c.id for c in published if c.phase == Phase.COMPLETED]
    past: list[PastCohort] = []
    if completed:
        overview = program_overview(program, cohort_ids=completed)
        impact = program_impact(program, cohort_ids=completed, listed_only=True)
        listed = {f.cohort.id: f for f in impact.cohorts}
        past = [PastCohort(figures=f, alumni=listed[f.cohort.id]) for f in overview.cohorts]
    return Transparency(
        program=program,
        page=page,
        call=call,
        demo_day=demo_day(call) if call is not None else None,
        past=past,
    )
