"""A campaign's results as a download (core.spreadsheets): the figures, the groups of each
breakdown, the quotas, the startup's questions, and the anonymous responses.

The responses sheet holds answers only: no name, address, id or time, and no tester
attribute. One attribute column would be safe (its groups are those of the breakdowns), but
two or more let anyone pivot the rows into cross-tabulations of groups under five (the
one pro tester aged 65 and over on Linux) and read that person's answers; so the attributes
appear only through the "Groups" sheet, which follows the group rule (`results.MIN_GROUP`).
Rows are in the order the answers came in, numbered from 1.
"""

from __future__ import annotations

from accelerator.core.i18n import gettext as _
from accelerator.core.spreadsheets import FLOAT, INT, PERCENT, TEXT, Column, Sheet, rows_sheet
from accelerator.testers.models import Campaign, QuestionKind
from accelerator.testers.results import Results, answer_at
from accelerator.testers.scores import SUS_ITEMS


def result_sheets(campaign: Campaign, results: Results) -> list[Sheet]:
    return [
        _summary(results),
        _groups(results),
        _quotas(results),
        _questions(results),
        _responses(campaign, results),
    ]


def _summary(results: Results) -> Sheet:
    sus, nps = results.sus, results.nps
    rows = [
        (_("Responses wanted"), results.wanted),
        (_("Responses"), results.count),
        (_("Testers invited"), results.invited),
        (
            _("Response rate (%)"),
            None if results.response_rate is None else round(results.response_rate, 1),
        ),
        (_("SUS score (mean, 0–100)"), sus.mean),
        (_("SUS 95% interval, low"), sus.low),
        (_("SUS 95% interval, high"), sus.high),
        (_("Net Promoter Score (−100 to 100)"), nps.score if nps.n else None),
        (_("Promoters (9–10)"), nps.promoters),
        (_("Passives (7–8)"), nps.passives),
        (_("Detractors (0–6)"), nps.detractors),
    ]
    columns = [Column("figure", _("Figure"), width=34), Column("value", _("Value"), FLOAT)]
    return rows_sheet("figures", _("Figures"), columns, rows)


def _groups(results: Results) -> Sheet:
    """Every breakdown's groups (each of five responses or more), after the whole."""
    nps = results.nps
    rows = [(_("All responses"), "", results.count, results.sus.mean, nps.score if nps.n else None)]
    for breakdown in results.breakdowns:
        for group in breakdown.groups:
            rows.append((breakdown.label, group.label, group.count, group.sus_mean, group.nps))
    columns = [
        Column("attribute", _("Attribute"), width=22),
        Column("group", _("Group"), width=28),
        Column("responses", _("Responses"), INT),
        Column("sus", _("SUS score (mean)"), FLOAT),
        Column("nps", _("NPS"), FLOAT),
    ]
    return rows_sheet("groups", _("Groups"), columns, rows)


def _quotas(results: Results) -> Sheet:
    rows = [
        (
            q.label,
            q.value_label,
            q.at_least,
            q.got,
            min(1.0, q.got / q.at_least) if q.at_least else None,
        )
        for q in results.quotas
    ]
    columns = [
        Column("attribute", _("Attribute"), width=22),
        Column("value", _("Value"), width=22),
        Column("at_least", _("At least"), INT),
        Column("got", _("Responses"), INT),
        Column("share", _("Met"), PERCENT),
    ]
    return rows_sheet("quotas", _("Quotas"), columns, rows)


def _questions(results: Results) -> Sheet:
    """Choice and scale counts (a scale's mean on its own row); free text is in Responses."""
    rows = []
    for question in results.questions:
        if question.kind == QuestionKind.TEXT:
            rows.append(
                (question.number, question.text, _("Free-text answers"), question.answered, None)
            )
            continue
        for answer, count in question.counts:
            rows.append((question.number, question.text, answer, count, None))
        if question.kind == QuestionKind.SCALE:
            rows.append(
                (question.number, question.text, _("Mean"), question.answered, question.mean)
            )
    columns = [
        Column("number", _("Question"), INT, width=10),
        Column("question", _("Text"), width=40),
        Column("answer", _("Answer"), width=24),
        Column("responses", _("Responses"), INT),
        Column("mean", _("Mean (1–5)"), FLOAT),
    ]
    return rows_sheet("questions", _("Questions"), columns, rows)


def _cell(question: dict, answer):
    if answer is None:
        return None
    if isinstance(answer, list):
        return "; ".join(str(a) for a in answer)
    if question["kind"] == QuestionKind.SCALE:
        return answer if isinstance(answer, int) else None
    return str(answer)


def _responses(campaign: Campaign, results: Results) -> Sheet:
    questions = list(campaign.questions or [])
    columns = [
        Column("number", _("Response"), INT, width=10),
        *[
            Column(f"sus_{n}", _("SUS %(n)s", n=n), INT, width=8)
            for n in range(1, len(SUS_ITEMS) + 1)
        ],
        Column("sus_score", _("SUS score"), FLOAT),
        Column("nps", _("Recommendation (0–10)"), INT),
        *[
            Column(
                f"answer_{i + 1}",
                _("Q%(n)s. %(text)s", n=i + 1, text=q.get("text", ""))[:60],
                INT if q["kind"] == QuestionKind.SCALE else TEXT,
                width=30,
            )
            for i, q in enumerate(questions)
        ],
    ]
    frame = results.frame

    def rows():
        for number, (sus, score, nps, answers) in enumerate(
            zip(frame["sus"], frame["sus_score"], frame["nps"], frame["answers"], strict=True),
            start=1,
        ):
            items = list(sus or [])[: len(SUS_ITEMS)]
            items += [None] * (len(SUS_ITEMS) - len(items))
            yield (
                number,
                *items,
                score,
                nps,
                *[_cell(q, answer_at(answers, i)) for i, q in enumerate(questions)],
            )

    return rows_sheet("responses", _("Responses"), columns, rows)
