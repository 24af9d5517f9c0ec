"""How enrollment events read in a startup's history (core/history.py)."""

from __future__ import annotations

from flask_babel import gettext as _

from accelerator.core.history import describe

describe(
    {
        "enrollment.created": lambda who, d: _(
            "%(who)s enrolled the startup in the cohort.", who=who
        ),
    }
)
