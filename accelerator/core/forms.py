"""Forms every domain uses (the confirm button) and choices for select fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SubmitField

from accelerator.core.refusals import show_error as show_error  # TEMP: views move to refusals


def choices(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class ConfirmForm(FlaskForm):
    """A button that posts (with its CSRF token) and nothing else."""

    submit = SubmitField(_l("Confirm"))
