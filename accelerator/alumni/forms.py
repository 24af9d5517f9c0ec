"""Alumni forms: the survey (money typed in major units with its currency, stored as cents)
and the founders' consent to be listed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from accelerator.alumni.models import Outcome, RevenueBand, RoundType
from accelerator.alumni.services import COMMENT_LIMIT, CURRENCIES, SurveyAnswers
from accelerator.core.forms import BoundedIntegerField, MoneyField, choices

MONEY_INPUT = {"inputmode": "decimal", "autocomplete": "off"}
COUNT_INPUT = {"inputmode": "numeric", "autocomplete": "off"}


def _pick(enum, prompt):
    return choices([("", prompt), *((member.value, member.label) for member in enum)])


class SurveyForm(FlaskForm):
    raised = MoneyField(
        _l("Money raised since the end of the program (total)"),
        allow_zero=True,
        validators=[InputRequired(message=_l("Give the total raised, or 0."))],
        description=_l(
            "Everything raised since the program ended, added up, in the currency below."
        ),
        render_kw=MONEY_INPUT,
    )
    currency = SelectField(_l("Currency"), choices=choices((c, c) for c in CURRENCIES))
    round_type = SelectField(
        _l("Latest round"),
        validators=[InputRequired(message=_l("Choose the latest round, or no new money."))],
    )
    headcount = BoundedIntegerField(
        _l("People working at the startup now"),
        validators=[InputRequired(message=_l("Give the number of people, founders included."))],
        description=_l("Founders and employees, full-time equivalent."),
        render_kw=COUNT_INPUT,
    )
    revenue_band = SelectField(
        _l("Revenue over the last twelve months"),
        validators=[InputRequired(message=_l("Choose a revenue band."))],
    )
    outcome = SelectField(
        _l("The startup today"),
        validators=[
            InputRequired(message=_l("Say whether the startup operates, was acquired or closed."))
        ],
    )
    contracts = BoundedIntegerField(
        _l("Contracts signed with the sponsor's business units since the program"),
        validators=[InputRequired(message=_l("Give the number of contracts, or 0."))],
        render_kw=COUNT_INPUT,
    )
    contract_value = MoneyField(
        _l("Total value of these contracts"),
        allow_zero=True,
        validators=[InputRequired(message=_l("Give their total value, or 0."))],
        description=_l("In the same currency as the money raised."),
        render_kw=MONEY_INPUT,
    )
    comment = TextAreaField(
        _l("Anything to add (optional)"),
        validators=[Optional(), Length(max=COMMENT_LIMIT)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Save the answers"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.round_type.choices = _pick(RoundType, _l("Choose the latest round"))
        self.revenue_band.choices = _pick(RevenueBand, _l("Choose a band"))
        self.outcome.choices = _pick(Outcome, _l("Choose"))

    def answers(self) -> SurveyAnswers:
        """What was typed; None where a field has nothing readable."""

        def value(name, data):
            return None if getattr(self, name).errors else data

        return SurveyAnswers(
            raised_cents=value("raised", self.raised.cents),
            currency=self.currency.data or "",
            round_type=value("round_type", self.round_type.data or None),
            headcount=value("headcount", self.headcount.data),
            revenue_band=value("revenue_band", self.revenue_band.data or None),
            outcome=value("outcome", self.outcome.data or None),
            contracts=value("contracts", self.contracts.data),
            contract_cents=value("contract_value", self.contract_value.cents),
            comment=self.comment.data or "",
        )

    def add_errors(self, errors: dict[str, str]) -> None:
        """Messages of the service's checks beside fields that have none yet."""
        for name, message in errors.items():
            field = getattr(self, name, None)
            if field is not None and not field.errors:
                field.errors = [*field.errors, message]


class ListingForm(FlaskForm):
    listed = HiddenField(validators=[AnyOf(["yes", "no"])])
    submit = SubmitField(_l("Save"))
