"""The endpoint form (URL, description, events) and the disable form (a reason)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from accelerator.core.forms import choices
from accelerator.webhooks.events import EVENTS


class EventsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EndpointForm(FlaskForm):
    """Add or change an endpoint; the service checks the URL (scheme, private addresses)."""

    url = StringField(
        _l("URL"),
        validators=[DataRequired(message=_l("Enter the URL that receives the events."))],
        description=_l("Events are POSTed here as signed JSON (Standard Webhooks)."),
    )
    description = StringField(_l("Description"), validators=[Length(max=200)])
    events = EventsField(_l("Events"), validate_choice=False)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events.choices = choices((name, f"{name}: {label}") for name, label in EVENTS.items())


class DisableForm(FlaskForm):
    reason = StringField(
        _l("Reason"),
        validators=[Length(max=300, message=_l("Please keep this under 300 characters."))],
    )
    submit = SubmitField(_l("Disable"))
