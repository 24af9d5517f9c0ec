"""Pilots forms, one per action. Money is typed in currency units and parsed into cents; a
pilot's success criteria are five rows of measure, target and actual result (blank rows are
ignored), named measure_1..5 so a refusal stands beside its field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from accelerator.core.forms import MoneyField, choices
from accelerator.core.urls import bounded_int
from accelerator.pilots.fields import Criterion, PilotFields, UnitFields
from accelerator.pilots.models import MAX_CRITERIA

CURRENCIES = ("EUR", "USD", "GBP", "CHF")
MONEY_INPUT = {"inputmode": "decimal", "autocomplete": "off"}


def _text(label, *, required=None, limit: int = 4000, rows: int = 3, **kwargs) -> TextAreaField:
    validators = [DataRequired(message=required)] if required else [Optional()]
    return TextAreaField(
        label, validators=[*validators, Length(max=limit)], render_kw={"rows": rows}, **kwargs
    )


# --- Business units --------------------------------------------------------------------------


class UnitForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Give the unit a name.")), Length(max=120)],
    )
    country = SelectField(_l("Country"), validators=[DataRequired(_l("Choose a country."))])
    sponsor_name = StringField(
        _l("Sponsor executive"),
        validators=[
            DataRequired(message=_l("Name the unit's sponsor executive.")),
            Length(max=120),
        ],
    )
    sponsor_title = StringField(_l("Sponsor's title"), validators=[Optional(), Length(max=120)])
    description = _text(_l("What the unit does and looks for"))
    staff_lead = SelectField(
        _l("Staff lead"),
        coerce=lambda value: bounded_int(value) if value not in (None, "", "None") else None,
        validators=[Optional()],
        description=_l("Gets the weekly reminder of pilots overdue for decision."),
    )
    submit = SubmitField(_l("Save business unit"))

    def __init__(self, *args, countries=(), staff=(), **kwargs):
        """`countries`: (code, name) pairs; `staff`: (id, name) of program staff."""
        super().__init__(*args, **kwargs)
        self.country.choices = choices([("", _l("Choose a country")), *countries])
        self.staff_lead.choices = choices([("", _l("No lead: the whole team")), *staff])

    def fields(self) -> UnitFields:
        return UnitFields(
            name=self.name.data or "",
            country=self.country.data or "",
            sponsor_name=self.sponsor_name.data or "",
            sponsor_title=self.sponsor_title.data or "",
            description=self.description.data or "",
            staff_lead_id=self.staff_lead.data,
        )


class InvitePartnerForm(FlaskForm):
    name = StringField(_l("Name (optional)"), validators=[Optional(), Length(max=120)])
    email = StringField(
        _l("Email"),
        validators=[DataRequired(_l("Enter their email address.")), Email(), Length(max=254)],
    )
    submit = SubmitField(_l("Invite partner"))


# --- What a startup shows business units -----------------------------------------------------


class ProfileForm(FlaskForm):
    one_liner = StringField(
        _l("One-liner"),
        validators=[Optional(), Length(max=160)],
        description=_l("What your startup does, in one sentence business units read first."),
    )
    share_deck = BooleanField(_l("Let business-unit partners see our pitch deck"))
    submit = SubmitField(_l("Save what partners see"))


# --- Introductions ---------------------------------------------------------------------------


class AskIntroductionForm(FlaskForm):
    """Ask that a startup and a business unit meet; the view narrows the choices to what the
    person may ask (a founder: the units; a partner: the startups)."""

    business_unit = SelectField(
        _l("Business unit"),
        coerce=lambda value: bounded_int(value) if value not in (None, "", "None") else None,
        validators=[DataRequired(_l("Choose a business unit."))],
    )
    startup = SelectField(
        _l("Startup"),
        coerce=lambda value: bounded_int(value) if value not in (None, "", "None") else None,
        validators=[Optional()],
    )
    reason = _text(
        _l("Why should they meet?"),
        required=_l("Say why they should meet."),
        rows=4,
        description=_l("What the startup offers the unit, and what it hopes for."),
    )
    submit = SubmitField(_l("Ask for an introduction"))

    def __init__(self, *args, units=(), startups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.business_unit.choices = choices([("", _l("Choose a business unit")), *units])
        self.startup.choices = choices([("", _l("Choose a startup")), *startups])


class ReasonForm(FlaskForm):
    """Decline or withdraw: the reason the other side reads."""

    reason = _text(_l("Reason"), required=_l("Say why."), rows=2)
    submit = SubmitField(_l("Decline"))


class WithdrawForm(FlaskForm):
    reason = _text(_l("Reason (optional)"), rows=2)
    submit = SubmitField(_l("Withdraw the request"))


class AcceptForm(FlaskForm):
    note = _text(_l("Note (optional)"), rows=2, description=_l("A time to meet, a contact..."))
    submit = SubmitField(_l("Accept"))


# --- Pilots ----------------------------------------------------------------------------------


class PilotForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the pilot a title.")), Length(max=160)],
    )
    scope_in = _text(_l("In scope"), rows=3)
    scope_out = _text(_l("Out of scope"), rows=2)
    budget = MoneyField(
        _l("Budget"), allow_zero=True, validators=[Optional()], render_kw=dict(MONEY_INPUT)
    )
    currency = SelectField(_l("Currency"), choices=choices((c, c) for c in CURRENCIES))
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    decision_on = DateField(
        _l("Go/no-go decision date"),
        validators=[Optional()],
        description=_l("Required before the pilot starts running."),
    )
    owner = SelectField(
        _l("Owner in the business unit"),
        coerce=lambda value: bounded_int(value) if value not in (None, "", "None") else None,
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save pilot"))

    def __init__(self, *args, partners=(), **kwargs):
        """`partners`: (id, name) of the unit's partners, who may own the pilot."""
        super().__init__(*args, **kwargs)
        self.owner.choices = choices([("", _l("Choose the owner")), *partners])

    def criteria_rows(self) -> list[tuple]:
        """The (measure, target, actual) fields of each criterion row, for the template."""
        return [
            (
                getattr(self, f"measure_{n}"),
                getattr(self, f"target_{n}"),
                getattr(self, f"actual_{n}"),
            )
            for n in range(1, MAX_CRITERIA + 1)
        ]

    def fields(self) -> PilotFields:
        return PilotFields(
            title=self.title.data or "",
            scope_in=self.scope_in.data or "",
            scope_out=self.scope_out.data or "",
            budget_cents=self.budget.cents if self.budget.data else None,
            currency=self.currency.data or "",
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            decision_on=self.decision_on.data,
            owner_id=self.owner.data,
            criteria=[
                Criterion(m.data or "", t.data or "", a.data or "")
                for m, t, a in self.criteria_rows()
            ],
        )

    def fill(self, pilot, criteria) -> None:
        """Show a saved pilot (on GET)."""
        for name in ("title", "scope_in", "scope_out", "currency"):
            getattr(self, name).data = getattr(pilot, name)
        self.budget.process_data(pilot.budget_cents)
        self.starts_on.data, self.ends_on.data = pilot.starts_on, pilot.ends_on
        self.decision_on.data, self.owner.data = pilot.decision_on, pilot.owner_id
        for (measure, target, actual), criterion in zip(
            self.criteria_rows(), criteria, strict=False
        ):
            measure.data, target.data = criterion.measure, criterion.target
            actual.data = criterion.actual or ""


for _n in range(1, MAX_CRITERIA + 1):
    setattr(
        PilotForm,
        f"measure_{_n}",
        StringField(_l("Measure"), validators=[Optional(), Length(max=200)]),
    )
    setattr(
        PilotForm,
        f"target_{_n}",
        StringField(_l("Target"), validators=[Optional(), Length(max=200)]),
    )
    setattr(
        PilotForm,
        f"actual_{_n}",
        StringField(_l("Actual result"), validators=[Optional(), Length(max=200)]),
    )


class DecideForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=choices([("go", _l("Go")), ("no_go", _l("No-go"))]),
        validators=[DataRequired()],
    )
    contract_reference = StringField(
        _l("Contract or purchase order (go)"), validators=[Optional(), Length(max=120)]
    )
    contract_value = MoneyField(
        _l("Contract value (go)"), validators=[Optional()], render_kw=dict(MONEY_INPUT)
    )
    reason = _text(_l("Why not (no-go)"), rows=2)
    submit = SubmitField(_l("Record the decision"))


class CloseForm(FlaskForm):
    lessons = _text(_l("Lessons learned"), required=_l("Write down the lessons learned."), rows=4)
    submit = SubmitField(_l("Close the pilot"))


class StopForm(FlaskForm):
    reason = _text(_l("Why it stops"), required=_l("Say why the pilot stops."), rows=2)
    submit = SubmitField(_l("Stop the pilot"))


class ShareKpisForm(FlaskForm):
    shared = BooleanField(_l("Share our latest check-in figures with this business unit"))
    submit = SubmitField(_l("Save"))
