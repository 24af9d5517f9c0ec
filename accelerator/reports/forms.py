"""Reports forms: the transparency page's introduction (its checks are the service's)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Optional


class TransparencyForm(FlaskForm):
    introduction = TextAreaField(
        _l("Introduction"),
        validators=[Optional()],
        description=_l(
            "Shown at the top of the public page: what the program is and how to read the figures."
        ),
        render_kw={"rows": 8},
    )
    submit = SubmitField(_l("Save the introduction"))
