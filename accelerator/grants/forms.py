"""Grant forms, one per action. Amounts are typed in currency units and parsed into cents."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from accelerator.core.forms import choices
from accelerator.core.money import cents_to_input, parse_cents


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(18)


class MoneyField(StringField):
    """A text input holding an amount like "10,000.50"; `.cents` is the parsed integer."""

    cents: int | None = None

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
        if self.cents is not None and self.cents <= 0:
            raise ValidationError(_l("Enter an amount greater than zero."))
        if self.cents is not None and self.cents > 10**13:
            raise ValidationError(_l("This amount is too large."))


class IdempotentForm(FlaskForm):
    """A hidden key made when the page is shown: a double-click or a retry is recognised."""

    idempotency_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a form being shown gets a new key; a post without one is refused, not re-keyed.
        showing = kwargs.get("formdata", "") is None or not self.is_submitted()
        if showing and not self.idempotency_key.data:
            self.idempotency_key.data = new_idempotency_key()

    def rekey_if_broken(self) -> bool:
        """After a post with a missing or mangled key: give the redisplayed form a fresh one
        (nothing was created with the bad key) and say so, since a hidden field shows no error."""
        if not self.idempotency_key.errors:
            return False
        self.idempotency_key.data = new_idempotency_key()
        return True


class RequestForm(IdempotentForm):
    tranche = SelectField(_l("Tranche"), validators=[DataRequired()])
    amount = MoneyField(
        _l("Amount"),
        validators=[InputRequired(message=_l("Enter an amount."))],
        description=_l("Defaults to what the tranche still needs; a partial amount is fine."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    note = TextAreaField(
        _l("Note (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )
    submit = SubmitField(_l("Request disbursement"))

    def __init__(self, *args, tranches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tranche.choices = choices((t.key, t.name) for t in tranches)


class ApproveForm(FlaskForm):
    """No amount to type: the hidden amount is what the approver saw, checked, never used."""

    seen_amount_cents = HiddenField()
    submit = SubmitField(_l("Approve"))

    @property
    def seen_cents(self) -> int | None:
        try:
            return int(self.seen_amount_cents.data)
        except (TypeError, ValueError):
            return None


class PayForm(FlaskForm):
    paid_on = DateField(
        _l("Payment date"), validators=[InputRequired(message=_l("Enter the payment date."))]
    )
    reference = StringField(
        _l("Bank payment reference"),
        validators=[
            DataRequired(message=_l("Enter the bank's payment reference.")),
            Length(max=100),
        ],
        render_kw={"autocomplete": "off"},
    )
    submit = SubmitField(_l("Mark paid"))


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Say why it is cancelled.")), Length(max=2000)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Cancel disbursement"))


class CorrectForm(IdempotentForm):
    amount = MoneyField(
        _l("Amount to reverse"),
        validators=[InputRequired(message=_l("Enter an amount."))],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Say why this payment is corrected.")),
            Length(max=2000),
        ],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Record correction"))


class AmountForm(FlaskForm):
    amount = MoneyField(
        _l("New grant amount"),
        validators=[InputRequired(message=_l("Enter an amount."))],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Say why the amount changes.")), Length(max=2000)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Change amount"))


EXPORT_FORMATS = (("csv", "CSV"), ("xlsx", "Excel (XLSX)"))


class ExportForm(FlaskForm):
    """A GET form (no CSRF): dates and format; program and cohort come from the shared filter."""

    class Meta:
        csrf = False

    date_basis = SelectField(
        _l("Dates"),
        choices=choices([("requested", _l("Requested between")), ("paid", _l("Paid between"))]),
        default="requested",
    )
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
    format = SelectField(_l("Format"), choices=choices(EXPORT_FORMATS), default="csv")
    submit = SubmitField(_l("Download"))

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))
