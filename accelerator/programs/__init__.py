"""The programs domain."""

from flask import Blueprint

from accelerator.core.registry import contribute

bp = Blueprint("programs", __name__)

from accelerator.programs import (  # noqa: E402,F401
    history,  # noqa: E402,F401  (how its audit events read)
    panels,
    views,
)

contribute("nav.public", "programs/_nav.html", order=10)
contribute("home.staff", "programs/_home_staff.html", order=10, context=panels.staff_panel)
contribute("home.founder", "programs/_home_founder.html", order=20, context=panels.founder_panel)
