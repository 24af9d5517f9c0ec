"""A campaign's results, as its founders and staff read them: responses against the target and
per quota, the response rate, the SUS score with its 95 % interval, NPS, breakdowns per tester
attribute, and the answers to the startup's own questions.

Everything is computed with pandas from one frame (`queries.response_frame`: the responses
joined to their testers' attributes, never a name, an address or an id) and one count of the
invitations: two statements whatever the number of responses.

The group rule: no figure describes fewer than MIN_GROUP people. In a breakdown, the values
answered by fewer than MIN_GROUP testers are merged into one "Other" group; when that group
would still hold fewer than MIN_GROUP (but some), the smallest shown groups join it until it
holds MIN_GROUP or more (else its figures could be worked out from the total minus the others).
A breakdown left with fewer than two groups says nothing the totals do not, and is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from flask_babel import lazy_gettext as _l

from accelerator.applications.models import Startup
from accelerator.applications.queries import country_pairs
from accelerator.core.cache import kept
from accelerator.core.i18n import current_locale
from accelerator.testers import queries, scores
from accelerator.testers.models import (
    ATTRIBUTE_LABELS,
    ATTRIBUTES,
    Campaign,
    CampaignInvitation,
    QuestionKind,
    Response,
    Tester,
)

#: The smallest group of people a figure may describe.
MIN_GROUP = 5
#: The attributes results are broken down by, in the order shown.
BREAKDOWNS = ("segment", "age_band", "gender", "device", "os", "country", "language", "region")
#: SUS scores are counted in bins of this width (the last bin holds 100).
SUS_BIN = 10
OTHER = _l("Other (small groups merged)")
NOT_GIVEN = _l("Not given")
_MISSING = "\x00"  # the value of a tester who gave none, while grouping


@dataclass(frozen=True)
class QuotaProgress:
    attribute: str
    label: str
    value: str
    value_label: str
    at_least: int
    got: int

    @property
    def met(self) -> bool:
        return self.got >= self.at_least


@dataclass(frozen=True)
class Group:
    """A group of at least MIN_GROUP responses: its figures. `value` None is "Other"."""

    value: str | None
    label: str
    count: int
    sus_mean: float | None
    nps: float | None


@dataclass(frozen=True)
class Breakdown:
    attribute: str
    label: str
    groups: list[Group]
    #: How many values were merged into "Other" (0: no "Other" group).
    merged: int


@dataclass(frozen=True)
class QuestionResult:
    number: int
    kind: QuestionKind
    text: str
    answered: int
    #: (choice, count) for one or several choices; ("1".."5", count) for a scale.
    counts: list[tuple[str, int]] = field(default_factory=list)
    mean: float | None = None
    #: Free-text answers, oldest first, without anything about who wrote them.
    texts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Results:
    wanted: int
    count: int
    invited: int
    #: Responses over invitations, out of 100 (None before any invitation).
    response_rate: float | None
    sus: Any  # scores.SusSummary
    nps: Any  # scores.Nps
    sus_bins: list[tuple[str, int]]
    quotas: list[QuotaProgress]
    breakdowns: list[Breakdown]
    #: Attribute labels with no breakdown shown (too few responses in their groups).
    withheld: list[str]
    questions: list[QuestionResult]
    #: The responses, oldest first: answers only (for the export).
    frame: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.count == 0


def value_label(attribute: str, value: str | None) -> str:
    """An attribute's value as people read it: its enum's label, a country's name."""
    if value is None:
        return str(NOT_GIVEN)
    kind = ATTRIBUTES.get(attribute)
    if kind is not None:
        try:
            return kind(value).label
        except ValueError:
            return value
    if attribute == "country":
        return dict(country_pairs()).get(value, value)
    return value


def campaign_results(campaign: Campaign) -> Results:
    """The results of `campaign` (two statements)."""
    frame = queries.response_frame(campaign.id)
    invited = queries.invitations_sent(campaign.id)
    count = len(frame)
    breakdowns, withheld = [], []
    for attribute in BREAKDOWNS:
        breakdown = _breakdown(frame, attribute)
        if breakdown is not None:
            breakdowns.append(breakdown)
        elif count:
            withheld.append(str(ATTRIBUTE_LABELS[attribute]))
    return Results(
        wanted=campaign.responses_wanted,
        count=count,
        invited=invited,
        response_rate=100 * count / invited if invited else None,
        sus=scores.sus_summary(_sus_scores(frame)),
        nps=scores.nps(_nps_scores(frame)),
        sus_bins=_sus_bins(frame),
        quotas=_quotas(campaign, frame),
        breakdowns=breakdowns,
        withheld=withheld,
        questions=[_question(frame, i, q) for i, q in enumerate(campaign.questions or [])],
        frame=frame[["submitted_at", "sus", "sus_score", "nps", "answers"]],
    )


#: What a campaign's results are computed from (with its startup's name on the page).
READS = (Campaign, CampaignInvitation, Response, Tester, Startup)


def campaign_figures(campaign: Campaign) -> Results:
    """`campaign_results` without the responses' frame, kept for everyone who reads the
    campaign's results in the same language until a response, an invitation, a tester or the
    campaign changes (core/cache.py). The page and its charts read these; the downloads,
    which carry the answers, compute theirs."""
    return kept(
        "campaign-results",
        (campaign.id, str(current_locale())),
        reads=READS,
        compute=lambda: replace(campaign_results(campaign), frame=None),
    )


def _sus_scores(frame: pd.DataFrame) -> list[float]:
    return [float(v) for v in frame["sus_score"].dropna().tolist()]


def _nps_scores(frame: pd.DataFrame) -> list[int]:
    return [int(v) for v in frame["nps"].dropna().tolist()]


def _sus_bins(frame: pd.DataFrame) -> list[tuple[str, int]]:
    """How many SUS scores fall in each bin: 0–10, 10–20, ... 90–100 (100 in the last)."""
    edges = range(0, 100, SUS_BIN)
    counts = dict.fromkeys(edges, 0)
    for score in _sus_scores(frame):
        counts[min(int(score // SUS_BIN) * SUS_BIN, 100 - SUS_BIN)] += 1
    return [(f"{low}–{low + SUS_BIN}", counts[low]) for low in edges]


def _quotas(campaign: Campaign, frame: pd.DataFrame) -> list[QuotaProgress]:
    """Each quota and the responses that count towards it. Counts carry no answer: they are
    what staff and founders steer the waves by, shown whatever their size."""
    progress = []
    for quota in campaign.quotas or []:
        attribute, value = quota["attribute"], str(quota["value"])
        got = int((frame[attribute] == value).sum()) if attribute in frame else 0
        progress.append(
            QuotaProgress(
                attribute=attribute,
                label=str(ATTRIBUTE_LABELS.get(attribute, attribute)),
                value=value,
                value_label=value_label(attribute, value),
                at_least=int(quota["at_least"]),
                got=got,
            )
        )
    return progress


def merged_groups(values: pd.Series) -> dict[str | None, str | None]:
    """value -> the group it is shown in (itself, or None for "Other"), by the group rule;
    {} when no group may be shown. A tester who gave no value is in the group `_MISSING`."""
    counts = values.fillna(_MISSING).value_counts()
    shown = counts[counts >= MIN_GROUP].sort_values(kind="stable")
    other = int(counts[counts < MIN_GROUP].sum())
    merged = list(counts[counts < MIN_GROUP].index)
    # A few in "Other" could be worked out from the total: the smallest groups join them.
    while 0 < other < MIN_GROUP and len(shown):
        merged.append(shown.index[0])
        other += int(shown.iloc[0])
        shown = shown.iloc[1:]
    if 0 < other < MIN_GROUP:
        return {}
    groups: dict[str | None, str | None] = {value: value for value in shown.index}
    groups.update(dict.fromkeys(merged))
    return groups


def _breakdown(frame: pd.DataFrame, attribute: str) -> Breakdown | None:
    if frame.empty:
        return None
    groups = merged_groups(frame[attribute])
    shown = {group for group in groups.values()}
    if len(shown) < 2:
        return None
    keys = frame[attribute].fillna(_MISSING).map(groups)
    order = _value_order(attribute)
    rows = []
    for group in sorted(shown, key=lambda g: _group_sort(g, order, keys)):
        members = frame[keys.isna()] if group is None else frame[keys == group]
        sus = members["sus_score"].dropna()
        nps = scores.nps(_nps_scores(members))
        rows.append(
            Group(
                value=None if group in (None, _MISSING) else group,
                label=_group_label(attribute, group),
                count=len(members),
                sus_mean=float(sus.mean()) if len(sus) else None,
                nps=nps.score if nps.n else None,
            )
        )
    merged = sum(1 for value, group in groups.items() if group is None)
    return Breakdown(attribute, str(ATTRIBUTE_LABELS[attribute]), rows, merged)


def _value_order(attribute: str) -> dict[str, int]:
    kind = ATTRIBUTES.get(attribute)
    return {member.value: i for i, member in enumerate(kind)} if kind is not None else {}


def _group_sort(group, order: dict[str, int], keys: pd.Series):
    """Enum values in their order, free values by size (largest first), "Not given" and
    "Other" last."""
    if group is None:
        return (3, 0, "")
    if group == _MISSING:
        return (2, 0, "")
    if order:
        return (0, order.get(group, len(order)), group)
    return (1, -int((keys == group).sum()), group)


def _group_label(attribute: str, group: str | None) -> str:
    if group is None:
        return str(OTHER)
    return value_label(attribute, None if group == _MISSING else group)


def answer_at(answers: Any, index: int) -> Any:
    return answers[index] if isinstance(answers, list) and index < len(answers) else None


def _question(frame: pd.DataFrame, index: int, question: dict) -> QuestionResult:
    kind = QuestionKind(question["kind"])
    values = [answer_at(a, index) for a in frame["answers"].tolist()]
    base = dict(number=index + 1, kind=kind, text=str(question.get("text", "")))
    if kind == QuestionKind.TEXT:
        texts = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        return QuestionResult(answered=len(texts), texts=texts, **base)
    if kind == QuestionKind.SCALE:
        numbers = [v for v in values if isinstance(v, int) and 1 <= v <= 5]
        counts = [(str(n), numbers.count(n)) for n in range(1, 6)]
        mean = sum(numbers) / len(numbers) if numbers else None
        return QuestionResult(answered=len(numbers), counts=counts, mean=mean, **base)
    choices = [str(c) for c in question.get("choices", [])]
    chosen = [v if isinstance(v, list) else [v] for v in values if v not in (None, "", [])]
    counts = [(c, sum(1 for picked in chosen if c in picked)) for c in choices]
    return QuestionResult(answered=len(chosen), counts=counts, **base)
