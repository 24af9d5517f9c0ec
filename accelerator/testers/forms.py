"""Test campaign forms, one per action. The campaign form is fields.CampaignFields as inputs,
each named after the key its refusal carries (fields.checked): title, test_url, description,
criteria_<attribute>, responses_wanted, opens_on, closes_on, quota_<n> (a quota row's "at
least"), question_<n> (a question's wording); `quotas`, `questions` and `criteria` are the
rows as a whole. Choices are not checked here: the one rule of which values an attribute
takes is fields.checked, whose refusal stands beside the field."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from accelerator.core.forms import BoundedIntegerField, choices
from accelerator.testers.fields import MAX_RESPONSES, CampaignFields, Question, QuotaInput
from accelerator.testers.models import (
    ATTRIBUTE_LABELS,
    ATTRIBUTES,
    MAX_QUESTIONS,
    Campaign,
    QuestionKind,
)

#: How many quota rows the form offers (blank rows are ignored).
QUOTA_ROWS = 5
#: The attributes typed as a list (no fixed values): codes or names, one per comma or line.
TEXT_ATTRIBUTES = tuple(name for name, kind in ATTRIBUTES.items() if kind is None)
_SPLIT = re.compile(r"[,;\n]+")


class RowErrors:
    """What a refusal about a group of inputs (all the quotas, all the questions) is put on:
    `refusals.show_error` finds it by name and adds its message; the template shows it."""

    def __init__(self, name: str):
        self.name = self.id = name
        self.errors: list[str] = []


def split_list(text: str | None) -> list[str]:
    """ "FR, BE" or one per line -> ["FR", "BE"] (blanks dropped)."""
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


def _value_of(attribute: str, typed: str) -> str:
    """A quota's value as the attribute stores it: an enum value typed as its value or its
    label in any case ("iOS", "ios"), a country code in capitals, a language in lower case;
    anything else is kept as typed (the check names it)."""
    text = (typed or "").strip()
    kind = ATTRIBUTES.get(attribute)
    if kind is not None:
        for member in kind:
            if text.casefold() in (member.value.casefold(), str(member.label).casefold()):
                return member.value
        return text
    if attribute == "country":
        return text.upper()
    if attribute == "language":
        return text.lower()
    return text


def attribute_choices() -> list:
    return choices([("", _l("Choose")), *((name, ATTRIBUTE_LABELS[name]) for name in ATTRIBUTES)])


def kind_choices() -> list:
    return choices((kind.value, kind.label) for kind in QuestionKind)


class CampaignForm(FlaskForm):
    """A test with the panel: what, whom, how many, when, and the startup's own questions."""

    title = StringField(
        _l("Title"),
        validators=[Optional()],
        description=_l("What testers read first, e.g. “The new checkout of our app”."),
    )
    test_url = StringField(
        _l("Link to test"),
        validators=[Optional()],
        description=_l("A web page, or an app build link (TestFlight, Play Store testing)."),
        render_kw={"inputmode": "url", "placeholder": "https://"},
    )
    description = TextAreaField(
        _l("What testers should do"),
        validators=[Optional()],
        render_kw={"rows": 4},
        description=_l("A link or a description is needed: the task, what to look for."),
    )
    responses_wanted = BoundedIntegerField(
        _l("Responses wanted"),
        validators=[Optional()],
        description=_l("Invitations go out in waves until this many testers have answered."),
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_RESPONSES},
    )
    opens_on = DateField(_l("Opens on"), validators=[Optional()])
    closes_on = DateField(
        _l("Closes on"),
        validators=[Optional()],
        description=_l("Personal links stop working at the end of this day."),
    )
    submit = SubmitField(_l("Ask for the test"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = RowErrors("criteria")
        self.quotas = RowErrors("quotas")
        self.questions = RowErrors("questions")
        for n in range(1, QUOTA_ROWS + 1):
            getattr(self, f"quota_attribute_{n}").choices = attribute_choices()
        for n in range(1, MAX_QUESTIONS + 1):
            getattr(self, f"question_kind_{n}").choices = kind_choices()

    @property
    def has_errors(self) -> bool:
        groups = (self.criteria, self.quotas, self.questions)
        return bool(self.errors or any(group.errors for group in groups))

    # --- rows, for the template --------------------------------------------------------

    def criteria_fields(self) -> list:
        return [getattr(self, f"criteria_{name}") for name in ATTRIBUTES]

    def quota_rows(self) -> list[tuple]:
        """(attribute, value, at least) of each quota row; errors stand on "at least"."""
        return [
            (
                getattr(self, f"quota_attribute_{n}"),
                getattr(self, f"quota_value_{n}"),
                getattr(self, f"quota_{n}"),
            )
            for n in range(1, QUOTA_ROWS + 1)
        ]

    def question_rows(self) -> list[tuple]:
        """(kind, wording, choices) of each question; errors stand on the wording."""
        return [
            (
                getattr(self, f"question_kind_{n}"),
                getattr(self, f"question_{n}"),
                getattr(self, f"question_choices_{n}"),
            )
            for n in range(1, MAX_QUESTIONS + 1)
        ]

    # --- to and from the campaign ------------------------------------------------------

    def fields(self) -> CampaignFields:
        criteria: dict[str, list[str]] = {}
        for name in ATTRIBUTES:
            data = getattr(self, f"criteria_{name}").data
            chosen = split_list(data) if name in TEXT_ATTRIBUTES else list(data or [])
            if name == "language":
                chosen = [value.lower() for value in chosen]
            if chosen:
                criteria[name] = chosen
        quotas = [
            QuotaInput(
                attribute=attribute.data or "",
                value=_value_of(attribute.data or "", value.data or ""),
                at_least=at_least.data,
            )
            for attribute, value, at_least in self.quota_rows()
        ]
        questions = [
            Question(kind=kind.data or "", text=text.data or "", choices=split_lines(listed.data))
            for kind, text, listed in self.question_rows()
        ]
        return CampaignFields(
            title=self.title.data or "",
            test_url=self.test_url.data or "",
            description=self.description.data or "",
            criteria=criteria,
            quotas=quotas,
            responses_wanted=self.responses_wanted.data,
            opens_on=self.opens_on.data,
            closes_on=self.closes_on.data,
            questions=questions,
        )

    def fill(self, campaign: Campaign) -> None:
        """Show a saved campaign (on GET of the edit page)."""
        for name in ("title", "test_url", "description", "responses_wanted"):
            getattr(self, name).data = getattr(campaign, name)
        self.opens_on.data, self.closes_on.data = campaign.opens_on, campaign.closes_on
        for name in ATTRIBUTES:
            values = (campaign.criteria or {}).get(name) or []
            field = getattr(self, f"criteria_{name}")
            field.data = ", ".join(values) if name in TEXT_ATTRIBUTES else list(values)
        for (attribute, value, at_least), quota in zip(
            self.quota_rows(), campaign.quotas or [], strict=False
        ):
            attribute.data, value.data = quota["attribute"], _label_of(quota)
            at_least.data = quota["at_least"]
        for (kind, text, listed), question in zip(
            self.question_rows(), campaign.questions or [], strict=False
        ):
            kind.data, text.data = question["kind"], question["text"]
            listed.data = "\n".join(question.get("choices") or [])


def split_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _label_of(quota: dict) -> str:
    """A saved quota's value as the form shows it: an enum value by its label ("iOS")."""
    kind = ATTRIBUTES.get(quota["attribute"])
    if kind is not None and quota["value"] in kind._value2member_map_:
        return str(kind(quota["value"]).label)
    return quota["value"]


def _criteria_field(name: str):
    label = ATTRIBUTE_LABELS[name]
    kind = ATTRIBUTES[name]
    if kind is None:
        examples = {
            "country": _l("Country codes, e.g. FR, BE. Empty: every country."),
            "language": _l("Language codes, e.g. fr, en. Empty: every language."),
            "region": _l("Region names, separated by commas. Empty: every region."),
        }
        return StringField(
            label, validators=[Optional(), Length(max=500)], description=examples.get(name)
        )
    return SelectMultipleField(
        label,
        choices=choices((member.value, member.label) for member in kind),
        validate_choice=False,  # fields.checked names an unknown value beside the field
        description=_l("None ticked: everyone."),
    )


for _name in ATTRIBUTES:
    setattr(CampaignForm, f"criteria_{_name}", _criteria_field(_name))

for _n in range(1, QUOTA_ROWS + 1):
    setattr(
        CampaignForm,
        f"quota_attribute_{_n}",
        SelectField(_l("Attribute"), validate_choice=False, validators=[Optional()]),
    )
    setattr(
        CampaignForm,
        f"quota_value_{_n}",
        StringField(_l("Value"), validators=[Optional(), Length(max=80)]),
    )
    setattr(
        CampaignForm,
        f"quota_{_n}",
        BoundedIntegerField(
            _l("At least"), validators=[Optional()], render_kw={"inputmode": "numeric", "min": 1}
        ),
    )

for _n in range(1, MAX_QUESTIONS + 1):
    setattr(
        CampaignForm,
        f"question_kind_{_n}",
        SelectField(_l("Kind"), validate_choice=False, validators=[Optional()]),
    )
    setattr(
        CampaignForm,
        f"question_{_n}",
        StringField(_l("Question"), validators=[Optional()]),
    )
    setattr(
        CampaignForm,
        f"question_choices_{_n}",
        TextAreaField(
            _l("Choices, one per line"),
            validators=[Optional(), Length(max=2000)],
            render_kw={"rows": 3},
        ),
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional()],
        render_kw={"rows": 3},
        description=_l("The founders read it in their mail and on the test's page."),
    )
    submit = SubmitField(_l("Decline the test"))
