"""Pagination for list pages: two queries per page (count and rows), whatever the data size."""

from __future__ import annotations

from flask import current_app, request

from accelerator.core.urls import bounded_int
from accelerator.extensions import db

MAX_PAGE = 1_000_000


def paginate(statement, per_page: int | None = None):
    """Paginate a select() using ?page=; out-of-range pages give an empty page, not an error."""
    per_page = per_page or current_app.config["PER_PAGE"]
    page = bounded_int(request.args.get("page")) or 1
    if page > MAX_PAGE:  # no list is that long; an absurd page number shows the first page
        page = 1
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)
