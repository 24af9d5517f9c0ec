"""Forms for mentoring: one per action; choices scoped in __init__."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import Select

from accelerator.core.forms import BoundedIntegerField, choices
from accelerator.core.urls import bounded_int
from accelerator.mentoring.models import MAX_MENTOR_CAPACITY
from accelerator.mentoring.services import ProfileInput


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


class ProfileForm(FlaskForm):
    organisation = StringField(
        _l("Organisation or business unit"), validators=[DataRequired(), Length(max=120)]
    )
    title = StringField(_l("Job title"), validators=[Length(max=120)])
    bio = TextAreaField(_l("Short bio"), validators=[Length(max=4000)])
    expertise = SelectMultipleField(
        _l("Expertise"),
        coerce=bounded_int,
        validators=[Optional()],
        description=_l("The same vocabulary startups use for their needs."),
    )
    industries = StringField(
        _l("Industries"),
        validators=[Length(max=600)],
        description=_l("Separated by commas, e.g. Telecom, Health, Fintech."),
    )
    languages = StringField(
        _l("Languages"),
        validators=[DataRequired(), Length(max=60)],
        description=_l("Two-letter codes separated by commas, e.g. fr, en."),
    )
    capacity = BoundedIntegerField(
        _l("Startups per cohort"),
        default=2,
        validators=[InputRequired(), NumberRange(min=0, max=MAX_MENTOR_CAPACITY)],
    )
    available = BooleanField(_l("Available for matching"), default=True)
    availability_note = StringField(
        _l("Availability note"),
        validators=[Length(max=300)],
        description=_l("e.g. On leave in August; Tuesdays only."),
    )
    submit = SubmitField(_l("Save profile"))

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.expertise.choices = choices((tag.id, tag.name) for tag in tags)

    def to_input(self) -> ProfileInput:
        return ProfileInput(
            organisation=self.organisation.data or "",
            title=self.title.data or "",
            bio=self.bio.data or "",
            expertise_ids=list(self.expertise.data or []),
            industries=_split(self.industries.data),
            languages=_split(self.languages.data),
            capacity=self.capacity.data,
            available=bool(self.available.data),
            availability_note=self.availability_note.data or "",
        )

    @staticmethod
    def data_of(profile) -> dict:
        return {
            "organisation": profile.organisation,
            "title": profile.title,
            "bio": profile.bio,
            "expertise": [tag.id for tag in profile.expertise],
            "industries": ", ".join(profile.industries or []),
            "languages": ", ".join(profile.languages or []),
            "capacity": profile.capacity,
            "available": profile.available,
            "availability_note": profile.availability_note,
        }


class ConflictForm(FlaskForm):
    startup = SelectField(_l("Startup"), coerce=bounded_int, validators=[InputRequired()])
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("e.g. I invest in it; I advise a competitor."),
    )
    submit = SubmitField(_l("Declare conflict"))

    def __init__(self, *args, startups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.startup.choices = choices(
            [(0, _l("Choose a startup"))] + [(s.id, s.name) for s in startups]
        )


class DirectoryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    expertise = SelectField(_l("Expertise"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    cohort = SelectField(_l("Load in cohort"), validators=[Optional()])

    def __init__(self, *args, tags=(), languages=(), organisations=(), cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        any_ = [("", _l("Any"))]
        self.cohort.choices = choices([("", _l("Latest"))] + [(str(c.id), c.name) for c in cohorts])
        self.expertise.choices = choices(any_ + [(str(t.id), t.name) for t in tags])
        self.language.choices = choices(any_ + [(code, code) for code in languages])
        self.organisation.choices = choices(any_ + [(o, o) for o in organisations])

    def criteria(self) -> dict:
        """The directory's filters as `queries.directory_statement` takes them."""
        return {
            "q": self.q.data or "",
            "tag_id": bounded_int(self.expertise.data),
            "language": self.language.data or "",
            "organisation": self.organisation.data or "",
        }


class PreferenceForm(FlaskForm):
    mentor_id = BoundedIntegerField(validators=[InputRequired()])


class ActionForm(FlaskForm):
    """A button that posts: CSRF only."""


class DeclineForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=500)])
    submit = SubmitField(_l("Decline"))


class PeopleSelect(Select):
    """WTForms' select, each plain option written in one step: the same HTML as WTForms',
    without its attribute machinery per option (a list of 500 mentors is drawn on each view
    of the matching page)."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        value, label = escape(choice.value), escape(choice.label or choice.value)
        return Markup(f'<option {selected}value="{value}">{label}</option>')  # noqa: S704


class AddPairForm(FlaskForm):
    startup = SelectField(_l("Startup"), coerce=bounded_int, validators=[InputRequired()])
    mentor = SelectField(
        _l("Mentor"), coerce=bounded_int, validators=[InputRequired()], widget=PeopleSelect()
    )
    submit = SubmitField(_l("Add pair"))

    def __init__(self, *args, startups=(), mentors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.startup.choices = choices((s.id, s.name) for s in startups)
        self.mentor.choices = choices((m.id, m.name) for m in mentors)


class SwapForm(FlaskForm):
    mentor = SelectField(
        _l("Swap for"), coerce=bounded_int, validators=[InputRequired()], widget=PeopleSelect()
    )
    submit = SubmitField(_l("Swap"))

    def __init__(self, *args, mentors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.mentor.choices = choices((m.id, m.name) for m in mentors)
