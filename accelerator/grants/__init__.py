"""The grants domain: grants per enrollment and their disbursement ledger."""

from flask import Blueprint

bp = Blueprint("grants", __name__)

from accelerator.grants import actions, export_views, views  # noqa: E402,F401
