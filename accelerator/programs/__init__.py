"""The programs domain."""

from flask import Blueprint

bp = Blueprint("programs", __name__)

from accelerator.programs import views  # noqa: E402,F401
