"""The site's own pages, which belong to no domain: home, health check, audit log, mail outbox.

It sits above every domain (import-linter holds the layers, see pyproject.toml): the home page
gathers the panels each domain contributes to the registry in core, and the audit log and the
outbox read core's tables. Keeping these pages out of core lets core import nothing above it.
"""

from flask import Blueprint

bp = Blueprint("site", __name__)

from accelerator.site import views  # noqa: E402,F401  (importing registers the routes)
