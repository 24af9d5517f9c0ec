"""The tester panel: customers who test the cohort's products, campaigns and their results."""

from flask import Blueprint

bp = Blueprint("testers", __name__, url_prefix="/testers")

from accelerator.testers import hooks, panel_views, results_views, tester_views, views  # noqa: E402,F401  (routes, hooks)
