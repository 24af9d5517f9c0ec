"""The import preview's form: which CSV column fills which field, and what to do with bad rows."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField

from accelerator.applications.fields import IMPORT_FIELDS
from accelerator.applications.importing import ALL_OR_NOTHING, GOOD_ROWS
from accelerator.core.forms import choices

PREFIX = "map_"


class _MappingBase(FlaskForm):
    mode = RadioField(
        _l("If some rows have problems"),
        choices=choices(
            [
                (ALL_OR_NOTHING, _l("Import nothing until every row is right (recommended)")),
                (GOOD_ROWS, _l("Import only the good rows and skip the others")),
            ]
        ),
        default=ALL_OR_NOTHING,
    )
    check = SubmitField(_l("Check again"))
    run = SubmitField(_l("Import"))


def mapping_form(columns: list[str], mapping: dict[str, str]) -> FlaskForm:
    """A form with one select per importable field, listing the file's columns."""
    options = choices([("", _l("(not imported)"))] + [(c, c) for c in columns])
    attrs = {
        f"{PREFIX}{f.short}": SelectField(
            f.import_name, choices=options, default=mapping.get(f.short, "")
        )
        for f in IMPORT_FIELDS
    }
    form_class = type("MappingForm", (_MappingBase,), attrs)
    return form_class()


def submitted_mapping(form: FlaskForm, columns: list[str]) -> dict[str, str]:
    """Field -> column as chosen on the form, for columns the file has."""
    chosen = {f.short: form[f"{PREFIX}{f.short}"].data for f in IMPORT_FIELDS}
    return {key: column for key, column in chosen.items() if column in columns}
