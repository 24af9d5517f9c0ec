"""The tokens page's forms: make a token (name, scopes, days), revoke one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput

from accelerator.api import services
from accelerator.core.forms import BoundedIntegerField


class ScopeTable:
    """The scopes as a table: a row per resource group (everything first), a column for read
    and one for read and write, each cell a checkbox named by its label."""

    def __call__(self, field, **kwargs):
        options = list(field)
        rows = [
            (_l("Everything") if i == 0 else services.scope_group(read.data), read, write)
            for i, (read, write) in enumerate(zip(options[::2], options[1::2], strict=True))
        ]
        head = Markup(
            '<table class="table table-sm align-middle w-auto mb-1" id="{id}">'
            '<thead><tr><th scope="col">{what}</th><th scope="col" class="text-center">{read}'
            '</th><th scope="col" class="text-center">{write}</th></tr></thead><tbody>'
        ).format(id=field.id, what=_l("Part"), read=_l("Read"), write=_l("Read and write"))
        body = Markup("").join(
            Markup(
                '<tr><th scope="row" class="fw-normal">{group}</th>'
                '<td class="text-center">{read}</td><td class="text-center">{write}</td></tr>'
            ).format(
                group=group,
                read=read(class_="form-check-input", **{"aria-label": escape(read.label.text)}),
                write=write(class_="form-check-input", **{"aria-label": escape(write.label.text)}),
            )
            for group, read, write in rows
        )
        return head + body + Markup("</tbody></table>")


class _Checkboxes(SelectMultipleField):
    widget = ScopeTable()
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
