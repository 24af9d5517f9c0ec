"""Users, roles, login/logout, invitations and password reset."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from accelerator.auth import (  # noqa: E402,F401
    admin_views,
    history,  # noqa: E402,F401  (how its audit events read)
    views,
)
