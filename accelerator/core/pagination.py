"""Pagination for list pages: two queries per page (count and rows), whatever the data size."""

from __future__ import annotations

from flask import current_app, request

from accelerator.extensions import db


def paginate(statement, per_page: int | None = None):
    """Paginate a select() using ?page=; out-of-range pages give an empty page, not an error."""
    per_page = per_page or current_app.config["PER_PAGE"]
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(statement, page=max(page, 1), per_page=per_page, error_out=False)
