"""Demo-day forms, one per action. The service checks every rule again (the refusal stands
beside its field); the forms only read what was typed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateTimeLocalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from accelerator.core.forms import BoundedIntegerField, choices
from accelerator.core.urls import bounded_int
from accelerator.demoday.models import (
    DEFAULT_CAPACITY,
    DEFAULT_CHANGEOVER_MINUTES,
    DEFAULT_PITCH_MINUTES,
    DEFAULT_PLUS_ONES,
    MAX_PLUS_ONES,
    PITCH_MAX_CHARS,
)
from accelerator.demoday.services import MAX_BREAK_MINUTES, MAX_CAPACITY, EventFields

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _number(label, low: int, high: int, default: int, **kwargs) -> BoundedIntegerField:
    return BoundedIntegerField(
        label,
        default=default,
        validators=[InputRequired(), NumberRange(min=low, max=high)],
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
        **kwargs,
    )


class DemoDayForm(FlaskForm):
    starts_at = DateTimeLocalField(
        _l("First pitch starts"), format=LOCAL_FORMAT, validators=[InputRequired()]
    )
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    online_url = StringField(
        _l("Online link"),
        validators=[
            Optional(),
            Length(max=500),
            Regexp(r"^https?://\S+$", message=_l("Give a web address starting with https://.")),
        ],
        description=_l("Where guests watch from afar (https://…). Optional."),
        render_kw={"inputmode": "url"},
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=10_000)],
        description=_l("Shown on the public page: the welcome, what happens around the pitches."),
        render_kw={"rows": 4},
    )
    pitch_minutes = _number(_l("Minutes per pitch"), 1, 60, DEFAULT_PITCH_MINUTES)
    changeover_minutes = _number(
        _l("Minutes between two pitches"),
        0,
        60,
        DEFAULT_CHANGEOVER_MINUTES,
        description=_l("Questions and the next team on stage."),
    )
    capacity = _number(
        _l("Seats"),
        1,
        MAX_CAPACITY,
        DEFAULT_CAPACITY,
        description=_l("Guests and their plus-ones; never below the seats already taken."),
    )
    plus_ones_max = _number(_l("Plus-ones per guest at most"), 0, MAX_PLUS_ONES, DEFAULT_PLUS_ONES)
    submit = SubmitField(_l("Save demo day"))

    def __init__(self, *args, timezone: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.starts_at.description = _l("In the program's timezone (%(tz)s).", tz=timezone)

    def fields(self) -> EventFields:
        return EventFields(
            starts_at=self.starts_at.data,
            venue=self.venue.data or "",
            online_url=self.online_url.data or "",
            description=self.description.data or "",
            pitch_minutes=self.pitch_minutes.data,
            changeover_minutes=self.changeover_minutes.data,
            capacity=self.capacity.data,
            plus_ones_max=self.plus_ones_max.data,
        )


class BreakForm(FlaskForm):
    title = StringField(
        _l("Break"),
        validators=[
            InputRequired(_l("Name the break (Coffee, Lunch, Networking).")),
            Length(max=120),
        ],
    )
    minutes = _number(_l("Minutes"), 1, MAX_BREAK_MINUTES, 15)
    position = SelectField(
        _l("Where"),
        coerce=lambda value: bounded_int(value) if value not in (None, "", "None") else None,
        validators=[Optional()],
    )
    submit = SubmitField(_l("Add break"))

    def __init__(self, *args, lines=(), **kwargs):
        """`lines`: the running order's titles, in order: the break goes before one of them or
        at the end."""
        super().__init__(*args, **kwargs)
        pairs = [(i, _l("Before %(line)s", line=title)) for i, title in enumerate(lines)]
        pairs.append((len(lines), _l("At the end")))
        self.position.choices = choices(pairs)
        if self.position.data is None and not self.is_submitted():
            self.position.data = len(lines)


class MaterialsForm(FlaskForm):
    pitch = TextAreaField(
        _l("Your pitch in one paragraph"),
        validators=[Optional(), Length(max=PITCH_MAX_CHARS)],
        description=_l(
            "Printed in the programme and on the public page (%(n)d characters at most).",
            n=PITCH_MAX_CHARS,
        ),
        render_kw={"rows": 6, "maxlength": PITCH_MAX_CHARS},
    )
    deck = FileField(
        _l("Final deck (PDF)"),
        description=_l("Leave empty to keep the deck already uploaded."),
        render_kw={"accept": "application/pdf,.pdf"},
    )
    submit = SubmitField(_l("Save materials"))
