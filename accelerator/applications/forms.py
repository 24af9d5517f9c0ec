"""Forms of the applications domain: one per action."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import func, select
from wtforms import (
    EmailField,
    IntegerField,
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

from accelerator.applications.fields import NEEDS, PROFILE_KEYS, field
from accelerator.applications.models import Stage
from accelerator.applications.services import MAX_COUNT, MAX_LINE, MAX_MONEY_CENTS, MAX_TEXT
from accelerator.applications.vocab import (
    CURRENCIES,
    SECTORS,
    STAGE_LABELS,
    country_pairs,
    normalise_website,
)
from accelerator.core.forms import choices
from accelerator.core.money import cents_to_input, parse_cents
from accelerator.extensions import db
from accelerator.programs.models import ExpertiseTag


def _strip(value):
    """Trim, and drop NUL characters (PostgreSQL text cannot hold them)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class MoneyField(StringField):
    """An amount typed by a person ("12,500.50"), kept as integer cents; blank is None."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return  # not posted: keep the saved value
        self.data = None
        text = valuelist[0] or ""
        if not text.strip():
            return
        cents = parse_cents(text)
        if cents is None:
            raise ValueError(_l("Enter an amount such as 12500 or 12,500.50."))
        if cents < 0:
            raise ValueError(_l("Enter an amount of zero or more."))
        if cents > MAX_MONEY_CENTS:
            raise ValueError(_l("This amount is too large."))
        self.data = cents

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return cents_to_input(self.data)


class CountField(StringField):
    """A whole number of things (users, people); "1,800" is fine; blank is None."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return  # not posted: keep the saved value
        self.data = None
        text = valuelist[0] or ""
        cleaned = text.strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
        if not cleaned:
            return
        if not cleaned.isascii() or not cleaned.isdigit():
            raise ValueError(_l("Enter a whole number such as 1800."))
        if len(cleaned) > 13 or int(cleaned) > MAX_COUNT:
            raise ValueError(_l("This number is too large."))
        self.data = int(cleaned)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


def _web_address(_form, field) -> None:
    try:
        field.data = normalise_website(field.data or "")
    except ValueError as error:
        raise ValidationError(_l("Enter a web address such as https://example.com.")) from error


class StartupForm(FlaskForm):
    name = StringField(
        field("name").label, validators=[DataRequired(), Length(max=120)], filters=[_strip]
    )
    website = StringField(
        field("website").label,
        validators=[Length(max=300), _web_address],
        filters=[_strip],
        render_kw={"placeholder": "https://", "inputmode": "url"},
    )
    country = SelectField(field("country").label, validators=[DataRequired()])
    sector = SelectField(
        field("sector").label,
        validators=[DataRequired()],
        choices=choices([("", _l("Choose a sector"))] + [(s, s) for s in SECTORS]),
    )
    stage = SelectField(
        field("stage").label,
        validators=[DataRequired()],
        choices=choices([("", _l("Choose a stage"))] + list(STAGE_LABELS.items())),
    )
    founded_year = IntegerField(
        field("founded_year").label, validators=[Optional()], render_kw={"inputmode": "numeric"}
    )
    team_size = IntegerField(
        field("team_size").label,
        validators=[Optional(), NumberRange(1, 100_000)],
        render_kw={"inputmode": "numeric"},
    )
    description = TextAreaField(
        field("description").label,
        validators=[DataRequired(), Length(max=1000)],
        filters=[_strip],
        description=_l("Two or three sentences: what you make, for whom."),
    )
    needs = SelectMultipleField(
        NEEDS.label,
        coerce=int,
        description=_l("Mentors will be matched on these."),
    )
    submit = SubmitField(_l("Save profile"))

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


def _text(label, description=None, rows=4):
    return TextAreaField(
        label,
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=description,
        render_kw={"rows": rows},
    )


class ApplicationForm(FlaskForm):
    """The application's sections; every field may be blank in a draft, none may be invalid."""

    one_liner = StringField(field("one_liner").label, validators=[Optional(), Length(max=MAX_LINE)])
    problem = _text(field("problem").label, _l("Who has it, and how do they cope today?"))
    solution = _text(field("solution").label, _l("What you built and why it is better."))
    traction = _text(
        field("traction").label, _l("Customers, pilots, growth: the facts behind the numbers.")
    )
    monthly_revenue_cents = MoneyField(
        field("monthly_revenue_cents").label,
        render_kw={"inputmode": "decimal"},
        description=_l("Last full month; 0 if none yet."),
    )
    active_users = CountField(
        field("active_users").label,
        render_kw={"inputmode": "numeric"},
        description=_l("Monthly active users or customers."),
    )
    team = _text(field("team").label, _l("Founders and key people: background and roles."))
    funding_raised_cents = MoneyField(
        field("funding_raised_cents").label,
        render_kw={"inputmode": "decimal"},
        description=_l("Total equity and grants; 0 if none."),
    )
    currency = SelectField(field("currency").label, choices=choices((c, c) for c in CURRENCIES))
    program_goals = _text(field("program_goals").label)
    business_unit_asks = _text(
        field("business_unit_asks").label,
        _l("Pilots, data, distribution, introductions..."),
    )
    pitch_deck = FileField(_l("Pitch deck (PDF)"), render_kw={"accept": "application/pdf,.pdf"})
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit application"))


class ImportUploadForm(FlaskForm):
    cohort = SelectField(_l("Cohort the applications are for"), validators=[DataRequired()])
    file = FileField(_l("CSV file"), render_kw={"accept": ".csv,text/csv"})
    submit = SubmitField(_l("Upload and preview"))
