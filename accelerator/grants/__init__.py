"""The grants domain: grants per enrollment and their disbursement ledger."""

from flask import Blueprint

bp = Blueprint("grants", __name__)

from accelerator.grants import (  # noqa: E402,F401  (routes, hooks)
    export_views,
    hooks,
    ledger_views,
    views,
)
