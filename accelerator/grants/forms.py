"""Grant forms, one per action. Amounts are typed in currency units and parsed into cents."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from accelerator.core.cache import fresh_token
from accelerator.core.forms import MoneyField, choices


def new_idempotency_key() -> str:
    """A form's one-time key: each view of a kept grant page draws its own (core/cache.py)."""
    return fresh_token(18)


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


MONEY_INPUT = {"inputmode": "decimal", "autocomplete": "off"}


def _amount(label, **kwargs) -> MoneyField:
    return MoneyField(
        label,
        validators=[InputRequired(message=_l("Enter an amount."))],
        render_kw=dict(MONEY_INPUT),
        **kwargs,
    )


def _reason(message) -> TextAreaField:
    """Why the act is done: required, kept in the ledger and the history."""
    return TextAreaField(
        _l("Reason"),
        validators=[DataRequired(message=message), Length(max=2000)],
        render_kw={"rows": 2},
    )


class RequestForm(IdempotentForm):
    tranche = SelectField(_l("Tranche"), validators=[DataRequired()])
    amount = _amount(
        _l("Amount"),
        description=_l("Defaults to what the tranche still needs; a partial amount is fine."),
    )
    note = TextAreaField(
        _l("Note (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2}
    )
    submit = SubmitField(_l("Request disbursement"))

    def __init__(self, *args, tranches=(), **kwargs):
        """`tranches`: (key, name) of the plan's tranches."""
        super().__init__(*args, **kwargs)
        self.tranche.choices = choices(tranches)


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
    reason = _reason(_l("Say why it is cancelled."))
    submit = SubmitField(_l("Cancel disbursement"))


class CorrectForm(IdempotentForm):
    amount = _amount(_l("Amount to reverse"))
    reason = _reason(_l("Say why this payment is corrected."))
    submit = SubmitField(_l("Record correction"))


class AmountForm(FlaskForm):
    amount = _amount(_l("New grant amount"))
    reason = _reason(_l("Say why the amount changes."))
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
