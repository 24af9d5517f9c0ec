"""Forms for programs, cohorts and expertise tags: one per action."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from accelerator.core.errors import ValidationFailed
from accelerator.core.forms import BoundedIntegerField, choices
from accelerator.core.money import cents_to_input, parse_cents
from accelerator.core.timeutil import to_local
from accelerator.core.types import utcnow
from accelerator.programs.models import (
    DEFAULT_CAPACITY,
    DEFAULT_CRITERIA,
    DEFAULT_CURRENCY,
    DEFAULT_GRANT_CENTS,
    DEFAULT_MENTORS_PER_STARTUP,
    DEFAULT_TRANCHE_PLAN,
    MAX_MENTORS_PER_STARTUP,
    Cohort,
)
from accelerator.programs.rules import (
    CURRENCIES,
    MAX_CAPACITY,
    MAX_CONFIRMATION_DAYS,
    MAX_GRANT_CENTS,
    MAX_REVIEWERS,
    MAX_ROWS,
    MAX_WEIGHT,
    CohortInput,
    check_dates,
    clean_criteria,
    clean_tranche_plan,
    valid_timezones,
)

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class ProgramForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    location = StringField(
        _l("Location"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("City or region, e.g. Paris or San Francisco."),
    )
    timezone = SelectField(
        _l("Timezone"),
        validators=[DataRequired()],
        description=_l("Cohort dates are typed and shown in this timezone."),
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    submit = SubmitField(_l("Save program"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = choices((name, name) for name in valid_timezones())

    def values(self) -> dict[str, str]:
        """What the program services take: the program's name, place, zone and description."""
        return {key: self[key].data for key in ("name", "location", "timezone", "description")}


class TrancheRowForm(Form):
    key = HiddenField()
    name = StringField(_l("Tranche"), validators=[Length(max=80)])
    percent = BoundedIntegerField(
        _l("Percent"), validators=[Optional(), NumberRange(min=1, max=100)]
    )


class CriterionRowForm(Form):
    key = HiddenField()
    name = StringField(_l("Criterion"), validators=[Length(max=80)])
    weight = BoundedIntegerField(
        _l("Weight"), validators=[Optional(), NumberRange(min=1, max=MAX_WEIGHT)]
    )


def _money(_form, field) -> None:
    cents = parse_cents(field.data)
    if cents is None:
        raise ValidationError(_l("Enter an amount such as 20000 or 20,000.00."))
    if not 0 < cents <= MAX_GRANT_CENTS:
        raise ValidationError(_l("The grant must be a positive amount up to 10,000,000."))


class CohortForm(FlaskForm):
    """A cohort's call, calendar, money, tranche plan and review settings."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("For example Season 13."),
    )
    description = TextAreaField(
        _l("Call description"),
        validators=[Length(max=10000)],
        description=_l("Shown on the public call page: who should apply and what they get."),
    )
    applications_open_at = DateTimeLocalField(
        _l("Applications open"), format=LOCAL_FORMAT, validators=[InputRequired()]
    )
    applications_close_at = DateTimeLocalField(
        _l("Applications close"), format=LOCAL_FORMAT, validators=[InputRequired()]
    )
    starts_on = DateField(_l("Program starts"), validators=[InputRequired()])
    ends_on = DateField(
        _l("Program ends"),
        validators=[Optional()],
        description=_l("Leave empty for three months after the start."),
    )
    capacity = BoundedIntegerField(
        _l("Capacity (startups)"),
        default=DEFAULT_CAPACITY,
        validators=[InputRequired(), NumberRange(min=1, max=MAX_CAPACITY)],
    )
    grant_amount = StringField(
        _l("Grant per startup"),
        default=lambda: cents_to_input(DEFAULT_GRANT_CENTS),  # in the reader's language
        validators=[InputRequired(), Length(max=30), _money],
    )
    currency = SelectField(
        _l("Currency"), default=DEFAULT_CURRENCY, choices=choices((c, c) for c in CURRENCIES)
    )
    tranche_plan = FieldList(FormField(TrancheRowForm), max_entries=MAX_ROWS + 1)
    review_criteria = FieldList(FormField(CriterionRowForm), max_entries=MAX_ROWS + 1)
    reviewers_per_application = BoundedIntegerField(
        _l("Reviewers per application"),
        default=3,
        validators=[InputRequired(), NumberRange(min=1, max=MAX_REVIEWERS)],
    )
    confirmation_days = BoundedIntegerField(
        _l("Days to confirm an offer"),
        default=7,
        validators=[InputRequired(), NumberRange(min=1, max=MAX_CONFIRMATION_DAYS)],
        description=_l("Accepted startups confirm their place within this many days."),
    )
    mentors_per_startup = BoundedIntegerField(
        _l("Mentors per startup"),
        default=DEFAULT_MENTORS_PER_STARTUP,
        # Optional: a form from before this setting existed keeps the default.
        validators=[Optional(), NumberRange(min=1, max=MAX_MENTORS_PER_STARTUP)],
        description=_l("How many mentors matching gives each enrolled startup."),
    )
    submit = SubmitField(_l("Save cohort"))

    def __init__(self, *args, tz: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz
        self._section_errors: dict[str, str] = {}

    @property
    def section_errors(self) -> dict[str, str]:
        """Errors about a whole table of rows (tranche plan, criteria), shown above the table:
        the form's own checks, and a service's refusal placed on the table
        (core.refusals.show_error)."""
        found = dict(self._section_errors)
        for rows in (self.tranche_plan, self.review_criteria):
            for message in rows.errors:
                if isinstance(message, str):
                    found.setdefault(rows.name, message)
        return found

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the cross-field rules wherever the fields parsed, so one submit
        shows every problem (the service checks them all again before saving)."""
        valid = super().validate(extra_validators)
        dates = (self.applications_open_at, self.applications_close_at, self.starts_on)
        if all(f.data is not None and not f.errors for f in dates) and not self.ends_on.errors:
            _values, errors = check_dates(*(f.data for f in dates), self.ends_on.data, self.tz)
            for name, message in errors.items():
                self[name].errors.append(message)
            valid = valid and not errors
        for rows, cleaner in (
            (self.tranche_plan, clean_tranche_plan),
            (self.review_criteria, clean_criteria),
        ):
            if rows.errors:
                continue
            try:
                cleaner([dict(row.data) for row in rows])
            except ValidationFailed as error:
                self._section_errors[rows.name] = error.message
                valid = False
        return valid

    def add_blank_rows(self) -> None:
        """One empty row under each table, so staff can add a tranche or criterion."""
        for rows in (self.tranche_plan, self.review_criteria):
            if len(rows.entries) < MAX_ROWS and not _has_blank(rows):
                rows.append_entry()

    def to_input(self) -> CohortInput:
        return CohortInput(
            name=self.name.data,
            description=self.description.data or "",
            applications_open_at=self.applications_open_at.data,
            applications_close_at=self.applications_close_at.data,
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            capacity=self.capacity.data,
            grant_amount_cents=parse_cents(self.grant_amount.data),
            currency=self.currency.data,
            tranche_plan=[dict(row.data) for row in self.tranche_plan],
            review_criteria=[dict(row.data) for row in self.review_criteria],
            reviewers_per_application=self.reviewers_per_application.data,
            confirmation_days=self.confirmation_days.data,
            mentors_per_startup=(
                DEFAULT_MENTORS_PER_STARTUP
                if self.mentors_per_startup.data is None
                else self.mentors_per_startup.data
            ),
        )


def _has_blank(rows: FieldList) -> bool:
    return any(not (entry.form.name.data or "").strip() for entry in rows.entries)


def new_cohort_defaults(tz: str) -> dict:
    """Sensible first values: applications open tomorrow for six weeks, start a month later."""
    today = to_local(utcnow(), tz).date()
    opens = datetime.combine(today + timedelta(days=1), time(9))
    closes = datetime.combine(opens.date() + timedelta(weeks=6), time(18))
    return {
        "applications_open_at": opens,
        "applications_close_at": closes,
        "starts_on": closes.date() + timedelta(weeks=4),
        "tranche_plan": [dict(t) for t in DEFAULT_TRANCHE_PLAN],
        "review_criteria": [dict(c) for c in DEFAULT_CRITERIA],
    }


def cohort_form_data(cohort: Cohort, tz: str) -> dict:
    """A stored cohort as form data, its UTC times shown as wall time in the program's zone."""

    def local(value: datetime) -> datetime:
        return to_local(value, tz).replace(tzinfo=None)

    return {
        "name": cohort.name,
        "description": cohort.description,
        "applications_open_at": local(cohort.applications_open_at),
        "applications_close_at": local(cohort.applications_close_at),
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "capacity": cohort.capacity,
        "grant_amount": cents_to_input(cohort.grant_amount_cents),
        "currency": cohort.currency,
        "tranche_plan": [dict(t) for t in cohort.tranche_plan],
        "review_criteria": [dict(c) for c in cohort.review_criteria],
        "reviewers_per_application": cohort.reviewers_per_application,
        "confirmation_days": cohort.confirmation_days,
        "mentors_per_startup": cohort.mentors_per_startup,
    }


class TagForm(FlaskForm):
    name = StringField(_l("New tag"), validators=[DataRequired(), Length(max=80)])
    submit = SubmitField(_l("Add tag"))


class RenameTagForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    submit = SubmitField(_l("Rename"))


__all__ = [
    "CohortForm",
    "ProgramForm",
    "RenameTagForm",
    "TagForm",
    "cohort_form_data",
    "new_cohort_defaults",
]
