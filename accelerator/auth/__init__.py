"""Users, roles, login/logout, invitations and password reset."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from accelerator.auth import (  # noqa: E402,F401  (routes, hooks)
    admin_views,
    hooks,
    second_factor_views,
    sso_views,
    views,
)
