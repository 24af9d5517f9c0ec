"""The tokens page's forms: make a token (name, scopes, days), revoke one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from accelerator.api import services
from accelerator.core.forms import BoundedIntegerField


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TokenForm(FlaskForm):
    """A new token: what it is for, what it may do, how long it lasts."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("What it is for, e.g. “CRM integration”."),
    )
    scopes = _Checkboxes(
        _l("What it may do"),
        validators=[DataRequired(message=_l("Choose at least one scope."))],
        description=_l("Write includes read. A token never does more than you can."),
    )
    days = BoundedIntegerField(
        _l("Valid for (days)"),
        default=services.DEFAULT_DAYS,
        validators=[NumberRange(min=1, max=services.MAX_DAYS)],
    )
    submit = SubmitField(_l("Make the token"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes.choices = [(s, services.scope_label(s)) for s in services.known_scopes()]
