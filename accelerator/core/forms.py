"""Helpers for showing domain errors on forms."""

from __future__ import annotations

from flask import flash
from wtforms import SelectChoice

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
