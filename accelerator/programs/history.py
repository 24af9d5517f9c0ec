"""How enrollment events read in a startup's history (core/history.py)."""

from __future__ import annotations

from flask_babel import gettext as _

from accelerator.core.history import describe, fold

describe(
    {
        "enrollment.created": lambda who, d: _(
            "%(who)s enrolled the startup in the cohort.", who=who
        ),
    }
)
# Confirming an offered place enrolls the startup: one act, told by "confirmed the offered
# place: the startup is enrolled" (applications/history.py).
fold("offer.confirmed", "enrollment.created")
