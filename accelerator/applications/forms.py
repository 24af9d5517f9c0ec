"""Forms of the applications domain: one per action. The profile and application forms are
made from the one declaration of their fields (fields.py)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import func, select
from wtforms import (
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from accelerator.applications.fields import (
    APPLICATION_FIELDS,
    MAX_COUNT,
    MAX_MONEY_CENTS,
    NEEDS,
    PROFILE_KEYS,
    STARTUP_FIELDS,
    Field,
)
from accelerator.applications.models import Stage
from accelerator.applications.vocab import (
    CURRENCIES,
    SECTORS,
    STAGE_LABELS,
    country_pairs,
    normalise_website,
)
from accelerator.core.forms import BoundedIntegerField, choices
from accelerator.core.money import cents_to_input, parse_cents
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.programs.models import ExpertiseTag


class _NumberField(StringField):
    """Text a person types for a number: blank is None, not posted keeps the saved value, and
    what was typed is shown again as typed."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return  # not posted: keep the saved value
        self.data = None
        text = (valuelist[0] or "").strip()
        if text:
            self.data = self.parse(text)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.shown(self.data)

    def parse(self, text: str):  # pragma: no cover - each kind says how
        raise NotImplementedError

    def shown(self, value) -> str:
        return "" if value is None else str(value)


class MoneyField(_NumberField):
    """An amount typed by a person ("12,500.50"), kept as integer cents."""

    def parse(self, text: str) -> int:
        cents = parse_cents(text)
        if cents is None:
            raise ValueError(_l("Enter an amount such as 12500 or 12,500.50."))
        if cents < 0:
            raise ValueError(_l("Enter an amount of zero or more."))
        if cents > MAX_MONEY_CENTS:
            raise ValueError(_l("This amount is too large."))
        return cents

    def shown(self, value) -> str:
        return cents_to_input(value)


class CountField(_NumberField):
    """A whole number of things (users, people); "1,800" is fine."""

    def parse(self, text: str) -> int:
        cleaned = text.replace(",", "").replace(" ", "").replace("\u00a0", "")
        if not cleaned.isascii() or not cleaned.isdigit():
            raise ValueError(_l("Enter a whole number such as 1800."))
        if len(cleaned) > 13 or int(cleaned) > MAX_COUNT:
            raise ValueError(_l("This number is too large."))
        return int(cleaned)


def _web_address(_form, field) -> None:
    try:
        field.data = normalise_website(field.data or "")
    except ValueError as error:
        raise ValidationError(_l("Enter a web address such as https://example.com.")) from error


def _strip(value):
    """Trim, and drop NUL characters (PostgreSQL text cannot hold them)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


def _presence(f: Field) -> list:
    return [DataRequired()] if f.required else [Optional()]


def _text_field(f: Field, form_field=StringField, **kwargs):
    return form_field(
        f.label,
        validators=[*_presence(f), Length(max=f.max_length)],
        filters=[_strip],
        description=f.help,
        **kwargs,
    )


def _count_field(f: Field):
    bounds = [NumberRange(*f.bounds)] if f.bounds else []
    return CountField(
        f.label,
        validators=[*_presence(f), *bounds],
        description=f.help,
        render_kw={"inputmode": "numeric"},
    )


def _select(f: Field, options=()):
    required = [DataRequired()] if f.required else []  # else any offered choice, none blank
    return SelectField(f.label, validators=required, choices=choices(options))


#: One form field per kind of declared field (fields.py); choices that depend on the language
#: or the day are set when a form is made.
_MAKERS = {
    "line": _text_field,
    "text": lambda f: _text_field(f, TextAreaField, render_kw={"rows": 4}),
    "url": lambda f: StringField(
        f.label,
        validators=[Optional(), Length(max=f.max_length), _web_address],
        filters=[_strip],
        render_kw={"placeholder": "https://", "inputmode": "url"},
    ),
    "country": _select,
    "sector": lambda f: _select(f, [("", _l("Choose a sector"))] + [(s, s) for s in SECTORS]),
    "stage": lambda f: _select(f, [("", _l("Choose a stage"))] + list(STAGE_LABELS.items())),
    "year": lambda f: BoundedIntegerField(
        f.label, validators=[Optional()], render_kw={"inputmode": "numeric"}
    ),
    "count": _count_field,
    "money": lambda f: MoneyField(f.label, description=f.help, render_kw={"inputmode": "decimal"}),
    "currency": lambda f: _select(f, [(c, c) for c in CURRENCIES]),
}


def _declared(fields) -> dict:
    """The form fields of declared fields, in their order."""
    return {f.key: _MAKERS[f.kind](f) for f in fields}


class _Profile(FlaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = choices([("", _l("Choose a country"))] + list(country_pairs()))
        tags = db.session.execute(
            select(ExpertiseTag.id, ExpertiseTag.name).order_by(func.lower(ExpertiseTag.name))
        ).all()
        self.needs.choices = choices(tags)
        self.founded_year.validators = [Optional(), NumberRange(1900, date.today().year)]

    def profile_values(self) -> dict:
        """What the profile service saves: every declared profile field, and the needs."""
        values = {key: self[key].data for key in PROFILE_KEYS}
        values["website"] = values["website"] or None
        values["stage"] = Stage(values["stage"])
        values["needs"] = self.needs.data or []
        return values


#: The startup profile: its declared fields (fields.STARTUP_FIELDS) and the needs.
StartupForm = type(
    "StartupForm",
    (_Profile,),
    {
        **_declared(STARTUP_FIELDS),
        "needs": SelectMultipleField(NEEDS.label, coerce=bounded_int, description=NEEDS.help),
        "submit": SubmitField(_l("Save profile")),
    },
)


def profile_data(startup) -> dict:
    """The form's initial data from a startup (needs loaded), or {} for a new profile."""
    if startup is None:
        return {}
    data = {key: getattr(startup, key) for key in PROFILE_KEYS}
    data["stage"] = startup.stage.value if startup.stage else ""
    data["needs"] = [tag.id for tag in startup.needs]
    return data


class InviteCofounderForm(FlaskForm):
    email = EmailField(
        _l("Co-founder's email"),
        validators=[DataRequired(), Length(max=254), Email(check_deliverability=False)],
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
    )
    submit = SubmitField(_l("Send invitation"))


#: The application's answers (fields.APPLICATION_FIELDS), the deck and the two buttons;
#: every answer may be blank in a draft, none may be invalid.
ApplicationForm = type(
    "ApplicationForm",
    (FlaskForm,),
    {
        **_declared(APPLICATION_FIELDS),
        "pitch_deck": FileField(
            _l("Pitch deck (PDF)"), render_kw={"accept": "application/pdf,.pdf"}
        ),
        "save": SubmitField(_l("Save draft")),
        "submit": SubmitField(_l("Submit application")),
    },
)


class ImportUploadForm(FlaskForm):
    cohort = SelectField(_l("Cohort the applications are for"), validators=[DataRequired()])
    file = FileField(_l("CSV file"), render_kw={"accept": ".csv,text/csv"})
    submit = SubmitField(_l("Upload and preview"))
