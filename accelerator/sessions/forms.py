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

from accelerator.applications.queries import timezone_of
from accelerator.core.forms import BoundedIntegerField, choices
from accelerator.core.i18n import gettext as _
from accelerator.core.timeutil import to_local
from accelerator.core.urls import bounded_int
from accelerator.sessions.models import MAX_MINUTES, ItemOwner, SessionFormat
from accelerator.sessions.services import NewItem

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


def _meeting_day() -> DateField:
    """The day of a meeting (an office hour, a session), as both forms ask it."""
    return DateField(
        _l("Date"), validators=[InputRequired(message=_l("Enter the date.")), sane_year]
    )


def _meeting_time() -> TimeField:
    """The time a meeting starts, read in its program's zone (the form says which)."""
    return TimeField(
        _l("Time"), validators=[InputRequired(message=_l("Enter the time."))], default=time(10)
    )


class SlotForm(FlaskForm):
    """A mentor's office hour. The time is read in the zone of the program it is for: a mentor
    who follows startups in several programs chooses the program (its zone beside its name)."""

    program = SelectField(_l("Program"), coerce=bounded_int, validate_choice=True)
    starts_on = _meeting_day()
    start_time = _meeting_time()
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

    def __init__(self, *args, programs=(), timezone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if len(programs) > 1:
            self.program.choices = choices(
                [("", _l("Choose the program"))]
                + [(p.id, f"{p.name} ({timezone_of(p)})") for p in programs]
            )
            self.start_time.description = _l("In the timezone of the program chosen above.")
        else:
            del self.program  # one zone (or the default one): nothing to choose
            self.start_time.description = _l("In %(tz)s.", tz=timezone)

    @property
    def program_id(self) -> int | None:
        field = getattr(self, "program", None)
        return field.data if field is not None and field.data else None


class NewItemForm(Form):
    """One action item row inside the session form (no CSRF of its own)."""

    text = StringField(_l("Action item"), validators=[Optional(), Length(max=500)])
    owner = SelectField(
        _l("Owner"), choices=choices((o.value, o.lazy_label) for o in ItemOwner), default="startup"
    )
    due_on = DateField(_l("Due"), validators=[Optional(), sane_year])


class SessionForm(FlaskForm):
    startup = SelectField(_l("Startup"), coerce=bounded_int, validate_choice=True)
    mentor = SelectField(_l("Mentor"), coerce=bounded_int, validate_choice=True)
    held_on = _meeting_day()
    start_time = _meeting_time()
    duration = BoundedIntegerField(
        _l("Duration (minutes)"),
        default=60,
        validators=[InputRequired(message=_l("Enter the duration in minutes.")), DURATION_RANGE],
    )
    format = SelectField(
        _l("Format"),
        choices=choices((f.value, f.lazy_label) for f in SessionFormat),
        default="video",
    )
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

    def __init__(
        self,
        *args,
        pairs=(),
        is_mentor=False,
        startup_id=None,
        mentor_id=None,
        tags=(),
        open_items=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # A pair's times are typed in its program's zone: name the zone beside each startup
        # when the pairs are not all in one.
        zoned = len({p.timezone for p in pairs}) > 1
        startups = {
            p.startup_id: f"{p.startup_name} ({p.timezone})" if zoned else p.startup_name
            for p in pairs
            if is_mentor or p.mentor_id == mentor_id
        }
        mentors = {p.mentor_id: p.mentor_name for p in pairs if p.startup_id == startup_id}
        self.startup.choices = choices(startups.items())
        self.mentor.choices = choices(mentors.items())
        self.topics.choices = choices((tag.id, tag.name) for tag in tags)
        self.done_items.choices = choices((i.id, _item_label(i)) for i in open_items)

    def show_pair(self, startup_id, mentor_id, slot=None) -> None:
        """A new form for this pair (and the booked office hour it was held in)."""
        self.startup.data, self.mentor.data = startup_id, mentor_id
        if slot is not None:
            local = to_local(slot.starts_at, slot.timezone)
            self.held_on.data, self.start_time.data = local.date(), local.time()
            self.duration.data = slot.duration_minutes
            self.format.data = "video" if slot.is_video else "in_person"
            self.slot_id.data = str(slot.id)

    @property
    def slot(self) -> int | None:
        return bounded_int(self.slot_id.data) or None

    def session_input(self, *, is_mentor: bool) -> dict:
        """What the log service takes from the form, but the time (read in the pair's zone).
        Private notes and red flags are the mentor's: a founder's form sends neither."""
        return {
            "startup_id": self.startup.data,
            "mentor_id": None if is_mentor else self.mentor.data,
            "duration_minutes": self.duration.data,
            "format": self.format.data,
            "topic_ids": self.topics.data or [],
            "summary": self.summary.data,
            "private_notes": self.private_notes.data if is_mentor else "",
            "red_flag_reason": self.red_flag_reason.data if is_mentor else "",
            "new_items": [
                NewItem(row.text.data or "", row.owner.data, row.due_on.data) for row in self.items
            ],
            "done_item_ids": self.done_items.data or [],
            "slot_id": self.slot,
        }


def chosen_pair(pairs, source, *, mentor_id: int | None = None) -> tuple[int | None, int | None]:
    """The pair named by `source` ("startup", "mentor"), else the first pair that fits it;
    a mentor passes their own id."""
    startup_id = bounded_int(source.get("startup"))
    if mentor_id is None:
        mentor_id = bounded_int(source.get("mentor"))
    valid = {(p.startup_id, p.mentor_id) for p in pairs}
    if (startup_id, mentor_id) in valid:
        return startup_id, mentor_id
    fitting = [
        (p.startup_id, p.mentor_id)
        for p in pairs
        if startup_id in (None, p.startup_id) and mentor_id in (None, p.mentor_id)
    ] or [(p.startup_id, p.mentor_id) for p in pairs]
    return fitting[0] if fitting else (None, None)


def _item_label(item) -> str:
    due = _(" (due %(day)s)", day=item.due_on.isoformat()) if item.due_on else ""
    return f"{item.text} · {item.owner.label}{due}"


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
