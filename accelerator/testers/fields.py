"""What a founder types about a test campaign (one field list, read by the form, the service,
the export and the seed), and how it is checked: targets and quotas name known attributes and
values, quotas that could never be met together are refused before anyone is invited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from accelerator.applications.queries import country_pairs
from accelerator.core.errors import ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.text import checked_text
from accelerator.testers.models import ATTRIBUTE_LABELS, ATTRIBUTES, MAX_QUESTIONS, QuestionKind

MAX_RESPONSES = 5000
MAX_CHOICES = 10


@dataclass(frozen=True)
class QuotaInput:
    attribute: str
    value: str
    at_least: int


@dataclass(frozen=True)
class Question:
    kind: str
    text: str
    choices: Sequence[str] = ()


@dataclass(frozen=True)
class CampaignFields:
    title: str
    test_url: str = ""
    description: str = ""
    criteria: dict[str, list[str]] = field(default_factory=dict)
    quotas: Sequence[QuotaInput] = ()
    responses_wanted: int | None = None
    opens_on: date | None = None
    closes_on: date | None = None
    questions: Sequence[Question] = ()


def attribute_values(attribute: str) -> list[str] | None:
    """The values an attribute may take (None: free text such as a country or region)."""
    kind = ATTRIBUTES.get(attribute)
    return [member.value for member in kind] if kind is not None else None


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        error = ValidationFailed(next(iter(errors.values())), field=next(iter(errors)))
        error.errors = errors  # type: ignore[attr-defined]
        raise error


def _text(value, field_name: str, limit: int, required: str | None = None) -> str:
    too_long = _("Please keep this under %(limit)s characters.", limit=limit)
    return checked_text(value, field=field_name, limit=limit, too_long=too_long, required=required)


def checked(fields: CampaignFields, *, today: date) -> dict[str, Any]:
    """The campaign's columns from what was typed, or ValidationFailed with each message
    beside its field (`errors`)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, limit, required in (
        ("title", 160, _("Give the test a title.")),
        ("test_url", 500, None),
        ("description", 4000, None),
    ):
        try:
            values[name] = _text(getattr(fields, name), name, limit, required)
        except ValidationFailed as error:
            errors[name] = error.message
            values[name] = ""
    if not (values["test_url"] or values["description"]) and not {
        "test_url",
        "description",
    } & set(errors):
        errors["description"] = _("Give a link to test, an app build link or a description.")
    if values.get("test_url") and not values["test_url"].startswith(("https://", "http://")):
        errors["test_url"] = _("Enter a link starting with https://.")
    wanted = fields.responses_wanted
    if wanted is None or not 1 <= wanted <= MAX_RESPONSES:
        errors["responses_wanted"] = _(
            "Ask for between 1 and %(most)s responses.", most=MAX_RESPONSES
        )
    if fields.opens_on is None:
        errors["opens_on"] = _("Choose the day the test opens.")
    if fields.closes_on is None:
        errors["closes_on"] = _("Choose the day the test closes.")
    elif fields.closes_on < today:
        errors["closes_on"] = _("The test cannot close in the past.")
    elif fields.opens_on is not None and fields.closes_on < fields.opens_on:
        errors["closes_on"] = _("The test cannot close before it opens.")
    values["criteria"] = _criteria(fields.criteria, errors)
    values["quotas"] = _quotas(fields.quotas, wanted or 0, values["criteria"], errors)
    values["questions"] = _questions(fields.questions, errors)
    _refuse(errors)
    values.update(responses_wanted=wanted, opens_on=fields.opens_on, closes_on=fields.closes_on)
    return values


def _criteria(criteria: dict[str, list[str]], errors: dict[str, str]) -> dict[str, list[str]]:
    kept: dict[str, list[str]] = {}
    for attribute, chosen in (criteria or {}).items():
        wanted = sorted({str(v).strip() for v in chosen or () if str(v).strip()})
        if not wanted:
            continue
        if attribute not in ATTRIBUTES:
            errors["criteria"] = _("Unknown attribute: %(name)s.", name=attribute)
            continue
        allowed = attribute_values(attribute)
        unknown = [v for v in wanted if allowed is not None and v not in allowed]
        if unknown:
            errors[f"criteria_{attribute}"] = _(
                "Unknown %(attribute)s: %(values)s.",
                attribute=str(ATTRIBUTE_LABELS[attribute]).lower(),
                values=", ".join(unknown),
            )
        if attribute == "country":
            wanted = [v.upper() for v in wanted]
            known = {code for code, _name in country_pairs()}
            strangers = [v for v in wanted if v not in known]
            if strangers:
                errors["criteria_country"] = _(
                    "Unknown country code: %(values)s. Use two letters, such as FR or US.",
                    values=", ".join(strangers),
                )
        kept[attribute] = wanted
    return kept


def _quotas(
    quotas: Sequence[QuotaInput], wanted: int, criteria: dict, errors: dict[str, str]
) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    per_attribute: dict[str, int] = {}
    for index, quota in enumerate(quotas):
        if not (quota.attribute or quota.value or quota.at_least):
            continue
        name = f"quota_{index + 1}"
        allowed = attribute_values(quota.attribute) if quota.attribute in ATTRIBUTES else []
        value = (quota.value or "").strip()
        if quota.attribute not in ATTRIBUTES:
            errors[name] = _("Choose the attribute of this quota.")
        elif allowed is not None and value not in allowed:
            errors[name] = _("Unknown value for this quota: %(value)s.", value=value or "—")
        elif not value:
            errors[name] = _("Give the value this quota counts.")
        elif quota.at_least is None or quota.at_least < 1:
            errors[name] = _("A quota asks for at least 1 person.")
        elif quota.at_least > wanted > 0:
            errors[name] = _("A quota cannot ask for more people than the responses wanted.")
        elif criteria.get(quota.attribute) and value not in criteria[quota.attribute]:
            errors[name] = _("The target excludes the people this quota counts.")
        else:
            per_attribute[quota.attribute] = per_attribute.get(quota.attribute, 0) + quota.at_least
            kept.append({"attribute": quota.attribute, "value": value, "at_least": quota.at_least})
    for attribute, total in per_attribute.items():
        if wanted and total > wanted:
            errors["quotas"] = _(
                "The quotas on %(attribute)s add up to %(total)s, more than the %(wanted)s "
                "responses wanted: they cannot all be met.",
                attribute=str(ATTRIBUTE_LABELS[attribute]).lower(),
                total=total,
                wanted=wanted,
            )
    return kept


def _questions(questions: Sequence[Question], errors: dict[str, str]) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    for index, question in enumerate(questions):
        text = (question.text or "").strip()
        if not text:
            continue
        name = f"question_{index + 1}"
        if question.kind not in {k.value for k in QuestionKind}:
            errors[name] = _("Choose the kind of question.")
            continue
        if len(text) > 300:
            errors[name] = _("Please keep this under %(limit)s characters.", limit=300)
            continue
        choices = [c.strip() for c in question.choices if c and c.strip()]
        if question.kind in ("single", "multiple"):
            if not 2 <= len(choices) <= MAX_CHOICES:
                errors[name] = _("Give between 2 and %(most)s choices, one per line.", most=10)
                continue
            if len({c.casefold() for c in choices}) != len(choices):
                errors[name] = _("Each choice must be different.")
                continue
        else:
            choices = []
        kept.append({"kind": question.kind, "text": text, "choices": choices})
    if len(kept) > MAX_QUESTIONS:
        errors["questions"] = _("A test has at most 5 questions of its own.")
    return kept
