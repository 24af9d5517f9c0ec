"""The tester's questionnaire, built for its campaign: the 10 SUS statements (sus_1..sus_10,
1–5), the recommendation (nps, 0–10), then the startup's own questions (answer_1..answer_5).

The fields only read what was sent and keep it for the page shown again; every rule (all SUS
statements and the recommendation required, ranges, choices among those offered, lengths) is
the service's (`services.submit_response`), whose refusals stand beside these fields by name.
A value that is not a number reads as no answer, and the service says so beside its field.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from accelerator.core.forms import choices
from accelerator.core.urls import bounded_int
from accelerator.testers import scores
from accelerator.testers.models import Campaign, QuestionKind, Response

#: The five points of the SUS scale, from 1 to 5.
AGREEMENT = (
    _l("Strongly disagree"),
    _l("Disagree"),
    _l("Neither agree nor disagree"),
    _l("Agree"),
    _l("Strongly agree"),
)
SUS_COUNT = 10
NPS_RANGE = range(0, 11)
TEXT_LIMIT = 2000


def number(value: Any) -> int | None:
    """A sent number, or None for nothing or junk (the service refuses it beside the field)."""
    return bounded_int(value) if value not in (None, "") else None


def _scale(label, points: range, **kwargs) -> RadioField:
    return RadioField(
        label,
        choices=choices((str(n), str(n)) for n in points),
        coerce=number,
        validate_choice=False,
        **kwargs,
    )


class QuestionnaireForm(FlaskForm):
    """The fields common to every campaign; `questionnaire_form` adds the campaign's own."""

    submit = SubmitField(_l("Send my answers"))

    #: The words of the SUS scale's points, for the page.
    agreement = AGREEMENT
    campaign_questions: list[dict[str, Any]] = []

    def sus_answers(self) -> list[int | None]:
        return [self[f"sus_{n}"].data for n in range(1, SUS_COUNT + 1)]

    def nps_answer(self) -> int | None:
        return self["nps"].data

    def own_answers(self) -> list[Any]:
        """The startup's questions' answers by position, as the service reads them."""
        answers: list[Any] = []
        for index, question in enumerate(self.campaign_questions, start=1):
            data = self[f"answer_{index}"].data
            if question["kind"] == QuestionKind.TEXT:
                answers.append(data or "")
            elif question["kind"] == QuestionKind.MULTIPLE:
                answers.append(list(data or []))
            else:
                answers.append(data if data not in ("", None) else None)
        return answers


def _own_field(question: dict[str, Any]):
    kind, text = question["kind"], question["text"]
    if kind == QuestionKind.TEXT:
        return TextAreaField(text, render_kw={"rows": 3, "maxlength": TEXT_LIMIT})
    if kind == QuestionKind.SCALE:
        return _scale(text, range(1, 6))
    offered = choices((choice, choice) for choice in question.get("choices") or [])
    if kind == QuestionKind.MULTIPLE:
        return SelectMultipleField(
            text,
            choices=offered,
            validate_choice=False,
            widget=ListWidget(prefix_label=False),
            option_widget=CheckboxInput(),
        )
    return RadioField(text, choices=offered, validate_choice=False)


def questionnaire_form(
    campaign: Campaign, *, startup_name: str, saved: Response | None = None, **kwargs
) -> QuestionnaireForm:
    """The questionnaire of `campaign`; on a GET, filled with the tester's `saved` answers."""
    fields: dict[str, Any] = {"campaign_questions": list(campaign.questions or [])}
    for index, statement in enumerate(scores.SUS_ITEMS[:SUS_COUNT], start=1):
        fields[f"sus_{index}"] = _scale(statement, range(1, 6))
    fields["nps"] = _scale(
        _l(
            "How likely are you to recommend %(startup)s to a friend or colleague?",
            startup=startup_name,
        ),
        NPS_RANGE,
    )
    for index, question in enumerate(campaign.questions or [], start=1):
        fields[f"answer_{index}"] = _own_field(question)
    form_class = type("CampaignQuestionnaireForm", (QuestionnaireForm,), fields)
    if saved is not None:
        data: dict[str, Any] = {f"sus_{n}": v for n, v in enumerate(saved.sus or [], start=1)}
        data["nps"] = saved.nps
        for index, value in enumerate(saved.answers or [], start=1):
            data[f"answer_{index}"] = value
        kwargs.setdefault("data", data)
    return form_class(**kwargs)


class LinkActForm(FlaskForm):
    """A button on the tester's pages (erase my data; leave the panel)."""

    submit = SubmitField(_l("Confirm"))
