"""Forms every domain uses (the confirm button), the money and bounded integer inputs, and
choices for selects."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, StringField, SubmitField
from wtforms.validators import ValidationError

from accelerator.core.money import cents_to_input, parse_cents
from accelerator.core.refusals import show_error as show_error  # TEMP: views move to refusals
from accelerator.core.urls import bounded_int


def choices(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class ConfirmForm(FlaskForm):
    """A button that posts (with its CSRF token) and nothing else."""

    submit = SubmitField(_l("Confirm"))


class MoneyField(StringField):
    """A text input holding an amount like "10,000.50"; `.cents` is the parsed integer.

    More than zero unless `allow_zero` (a KPI: no revenue yet); the service checks the rest.
    """

    cents: int | None = None

    def __init__(self, *args, allow_zero: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_zero = allow_zero

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.cents = parse_cents(self.data)

    def process_data(self, value):
        # Given cents by the view (a default amount), show it as "10000.00".
        if isinstance(value, int):
            self.cents = value
            value = cents_to_input(value)
        super().process_data(value)

    def pre_validate(self, form):
        if self.data and self.cents is None:
            raise ValidationError(_l("Enter an amount like 10000 or 10,000.50."))
        if self.allow_zero:
            return
        if self.cents is not None and self.cents <= 0:
            raise ValidationError(_l("Enter an amount greater than zero."))
        if self.cents is not None and self.cents > 10**13:
            raise ValidationError(_l("This amount is too large."))


class BoundedIntegerField(IntegerField):
    """An IntegerField whose number fits the database: at most MAX_ID either way, read with
    `core.urls.bounded_int`. A bigger number is "Not a valid integer value." beside the field,
    never an OverflowError; ranges narrower than that stay the job of NumberRange."""

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        text = str(valuelist[0]).strip()
        negative = text.startswith("-")
        value = bounded_int(text[1:] if negative else text)
        if value is None:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        self.data = -value if negative else value
