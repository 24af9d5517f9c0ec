"""The api domain: /api/v1 (flask-smorest, OpenAPI 3.1) and personal access tokens."""

from flask import Blueprint

bp = Blueprint("api", __name__)


@bp.record_once
def _init_api(state) -> None:
    """The JSON API joins the app when the tokens' pages do (create_app's list of domains)."""
    from accelerator.api.resources import init_api

    init_api(state.app)


from accelerator.api import hooks, views  # noqa: E402,F401  (routes, hooks)
