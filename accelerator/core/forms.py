"""Forms every domain uses (the confirm button) and helpers for showing domain errors."""

from __future__ import annotations

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SubmitField

from accelerator.core.errors import DomainError


def show_error(form, error: DomainError) -> None:
    """Put a domain error beside its field when the form has it, else flash it; the page that
    shows it answers with the error's status (see core/refusals.py)."""
    from accelerator.core.refusals import note_refusal

    note_refusal(error)
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        if isinstance(field.errors, tuple):
            field.errors = list(field.errors)
        field.errors.append(error.message)
    else:
        flash(error.message, "danger")


def choices(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class ConfirmForm(FlaskForm):
    """A button that posts (with its CSRF token) and nothing else."""

    submit = SubmitField(_l("Confirm"))
