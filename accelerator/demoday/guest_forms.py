"""The forms of the guests' part of demo day: a guest typed by staff, the import, the choice
of guests to invite, and the guest's own answer. The fields only carry what was typed; every
rule is the services' (`guests`, `importing`), whose refusals stand beside these fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField

from accelerator.core.forms import choices
from accelerator.demoday.models import MAX_PLUS_ONES, GuestKind, Rsvp

LANGUAGE_CHOICES = (("en", "English"), ("fr", "Français"))


class GuestForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"autocomplete": "off", "maxlength": 120})
    email = StringField(_l("E-mail"), render_kw={"type": "email", "maxlength": 254})
    firm = StringField(_l("Firm"), render_kw={"maxlength": 160})
    kind = SelectField(
        _l("Kind"), choices=choices((k.value, k.label) for k in GuestKind), validate_choice=False
    )
    locale = SelectField(
        _l("Language of their mail and page"),
        choices=choices(LANGUAGE_CHOICES),
        validate_choice=False,
    )
    submit = SubmitField(_l("Save"))

    def fields(self) -> dict:
        return {
            name: getattr(self, name).data for name in ("name", "email", "firm", "kind", "locale")
        }


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        description=_l(
            "One line per guest; the first line names the columns: name, email, firm, kind, "
            "language (or nom, courriel, société, type, langue)."
        ),
        render_kw={"accept": ".csv,text/csv"},
    )
    submit = SubmitField(_l("Import"))


class RsvpForm(FlaskForm):
    answer = RadioField(
        _l("Will you come?"),
        choices=choices(
            (
                (Rsvp.YES.value, _l("Yes, I will come")),
                (Rsvp.MAYBE.value, _l("Maybe")),
                (Rsvp.NO.value, _l("No, I cannot come")),
            )
        ),
        validate_choice=False,
    )
    plus_ones = StringField(
        _l("People coming with you"),
        render_kw={"inputmode": "numeric", "pattern": "[0-9]*", "maxlength": 2},
    )
    dietary = TextAreaField(_l("Dietary needs (optional)"), render_kw={"rows": 2, "maxlength": 300})
    submit = SubmitField(_l("Send my answer"))


__all__ = ["GuestForm", "ImportForm", "RsvpForm", "MAX_PLUS_ONES"]
