"""The webhooks domain: staff's endpoints, the events they hear, and signed deliveries."""

from flask import Blueprint

bp = Blueprint("webhooks", __name__)

from accelerator.webhooks import hooks, views  # noqa: E402,F401  (routes, hooks)
