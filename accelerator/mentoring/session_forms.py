"""Forms for office hours, sessions, ratings, red flags and calendar addresses."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from accelerator.core.forms import BoundedIntegerField, choices
from accelerator.core.urls import bounded_int
from accelerator.mentoring.session_models import FORMAT_LABELS, MAX_MINUTES, OWNER_LABELS

DURATION_RANGE = NumberRange(
    min=1, max=MAX_MINUTES, message=_l("Enter a length between 1 minute and 12 hours.")
)


def sane_year(_form, field) -> None:
    """Years far out of range cannot be converted between timezones: refuse them here."""
    if field.data is not None and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Enter a date between 2000 and 2100."))


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(FlaskForm):
    """A button with nothing to type (book, cancel, confirm, tick): CSRF only."""

    submit = SubmitField(_l("Confirm"))


class SlotForm(FlaskForm):
    starts_on = DateField(
        _l("Date"), validators=[InputRequired(message=_l("Enter the date.")), sane_year]
    )
    start_time = TimeField(
        _l("Time"), validators=[InputRequired(message=_l("Enter the time."))], default=time(10)
    )
    duration = BoundedIntegerField(
        _l("Length (minutes)"),
        default=30,
        validators=[InputRequired(message=_l("Enter a length in minutes.")), DURATION_RANGE],
    )
    location = StringField(
        _l("Place or video link"),
        validators=[InputRequired(message=_l("Say where you meet.")), Length(max=300)],
    )
    submit = SubmitField(_l("Publish office hour"))


class NewItemForm(Form):
    """One action item row inside the session form (no CSRF of its own)."""

    text = StringField(_l("Action item"), validators=[Optional(), Length(max=500)])
    owner = SelectField(_l("Owner"), choices=choices(OWNER_LABELS.items()), default="startup")
    due_on = DateField(_l("Due"), validators=[Optional(), sane_year])


class SessionForm(FlaskForm):
    startup = SelectField(_l("Startup"), coerce=bounded_int, validate_choice=True)
    mentor = SelectField(_l("Mentor"), coerce=bounded_int, validate_choice=True)
    held_on = DateField(
        _l("Date"), validators=[InputRequired(message=_l("Enter the date.")), sane_year]
    )
    start_time = TimeField(
        _l("Time"), validators=[InputRequired(message=_l("Enter the time."))], default=time(10)
    )
    duration = BoundedIntegerField(
        _l("Duration (minutes)"),
        default=60,
        validators=[InputRequired(message=_l("Enter the duration in minutes.")), DURATION_RANGE],
    )
    format = SelectField(_l("Format"), choices=choices(FORMAT_LABELS.items()), default="video")
    topics = CheckboxesField(_l("Topics"), coerce=bounded_int, validate_choice=True)
    summary = TextAreaField(
        _l("Summary shared with the startup"),
        validators=[Optional(), Length(max=10_000)],
        render_kw={"rows": 4},
    )
    private_notes = TextAreaField(
        _l("Private notes (you and program staff only)"),
        validators=[Optional(), Length(max=10_000)],
        render_kw={"rows": 3},
    )
    red_flag_reason = TextAreaField(
        _l("Red flag (optional)"),
        description=_l("Something staff must know now; writing a reason alerts them."),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
    done_items = CheckboxesField(_l("Open action items: tick what is done"), coerce=bounded_int)
    items = FieldList(FormField(NewItemForm), min_entries=3, max_entries=10)
    slot_id = HiddenField()
    submit = SubmitField(_l("Log session"))

    def __init__(self, *args, startups=(), mentors=(), tags=(), open_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.startup.choices = choices(startups)
        self.mentor.choices = choices(mentors)
        self.topics.choices = choices(tags)
        self.done_items.choices = choices(open_items)

    @property
    def slot(self) -> int | None:
        return bounded_int(self.slot_id.data) or None


class RatingForm(FlaskForm):
    score = SelectField(
        _l("Rating"),
        coerce=bounded_int,
        choices=choices([(5, "5 ★★★★★"), (4, "4 ★★★★"), (3, "3 ★★★"), (2, "2 ★★"), (1, "1 ★")]),
        validators=[InputRequired(message=_l("Choose a rating."))],
    )
    comment = TextAreaField(
        _l("Comment for the program team (optional)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Send rating"))


class ResolveFlagForm(FlaskForm):
    note = TextAreaField(
        _l("What was done"),
        validators=[InputRequired(message=_l("Say what was done about it.")), Length(max=2000)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Resolve red flag"))


class EngagementFilterForm(FlaskForm):
    class Meta:
        csrf = False

    cohort = SelectField(_l("Cohort"), coerce=bounded_int, validate_choice=False)
