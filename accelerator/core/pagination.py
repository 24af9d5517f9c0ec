"""Pagination for list pages: two queries per page (count and rows), whatever the data size."""

from __future__ import annotations

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination

from accelerator.core.urls import bounded_int
from accelerator.extensions import db

MAX_PAGE = 1_000_000


def _page_number() -> int:
    """?page= as a number; junk, zero or an absurd number (past any list) is the first page."""
    page = bounded_int(request.args.get("page")) or 1
    return page if page <= MAX_PAGE else 1


def paginate(statement, per_page: int | None = None, *, count_statement=None):
    """Paginate a select() using ?page=; out-of-range pages give an empty page, not an error.

    `count_statement` (a `select(func.count())...`) counts without the joins and eager loads
    the rows need, which at 10,000 rows is most of a page's cost.
    """
    per_page = per_page or current_app.config["PER_PAGE"]
    if count_statement is None:
        return db.paginate(statement, page=_page_number(), per_page=per_page, error_out=False)
    page = db.paginate(
        statement, page=_page_number(), per_page=per_page, error_out=False, count=False
    )
    page.total = db.session.scalar(count_statement)
    return page


class RowsPagination(Pagination):
    """A page of rows (tuples from a multi-column select), counted by its own statement."""

    def _query_items(self) -> list:
        statement = self._query_args["select"]
        return list(db.session.execute(statement.limit(self.per_page).offset(self._query_offset)))

    def _query_count(self) -> int:
        return db.session.scalar(self._query_args["count_select"])


def paginate_rows(statement, count_statement, per_page: int | None = None) -> RowsPagination:
    return RowsPagination(
        select=statement,
        count_select=count_statement,
        page=_page_number(),
        per_page=per_page or current_app.config["PER_PAGE"],
        error_out=False,
    )
