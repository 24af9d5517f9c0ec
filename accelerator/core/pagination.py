"""Pagination for list pages: two queries per page (rows and count), whatever the data size;
one when the page is the last (shorter than a page), as the count is then what it shows."""

from __future__ import annotations

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy.exc import InvalidRequestError

from accelerator.core.urls import bounded_int
from accelerator.extensions import db

MAX_PAGE = 1_000_000


def _page_number() -> int:
    """?page= as a number; junk, zero or an absurd number (past any list) is the first page."""
    page = bounded_int(request.args.get("page")) or 1
    return page if page <= MAX_PAGE else 1


def _total_shown(page: Pagination) -> int | None:
    """The total when the page itself tells it: a short page that is not empty is the last
    one (the first page of an empty list too), so counting would only repeat what it shows."""
    shown = len(page.items)
    if shown >= page.per_page or (shown == 0 and page.page != 1):
        return None
    if getattr(page, "rows_merged", False):
        return None  # rows were one entity twice (a join): the page is short, not the last
    return (page.page - 1) * page.per_page + shown


class _Page(SelectPagination):
    """A page of a select(); counted by `count_select` if given (capped by `count_cap`), and
    not counted at all when the page shows the total."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        session = self._query_args["session"]
        if self._query_args.get("rows"):  # tuples of columns: no entity to see twice
            self.rows_merged = False
            return session.execute(statement).all()
        try:
            rows = session.execute(statement).scalars().all()
        except InvalidRequestError:  # joined eager loads of a collection: the ORM merges rows
            self.rows_merged = True
            return list(session.execute(statement).unique().scalars())
        items = list(dict.fromkeys(rows))  # as unique() does: each entity once, in order
        self.rows_merged = len(items) < len(rows)
        return items

    def _query_count(self) -> int:
        cap = self._query_args.get("count_cap")
        known = _total_shown(self)
        if known is not None and (cap is None or known <= cap):
            return known
        count_select = self._query_args.get("count_select")
        if count_select is None:
            return super()._query_count()
        if cap is None:
            return db.session.scalar(count_select)
        return capped_count(count_select, cap)


def paginate(
    statement, per_page: int | None = None, *, count_statement=None, count_cap=None, rows=False
):
    """Paginate a select() using ?page=; out-of-range pages give an empty page, not an error.

    `count_statement` (a `select(func.count())...`) counts without the joins and eager loads
    the rows need, which at 10,000 rows is most of a page's cost. With `count_cap` the count
    stops at that many rows (a search matching thousands reads "more than 1,000" and costs
    what a thousand rows cost): `page.capped` says so and the last page is the cap's. A page
    shorter than `per_page` is the last one: it is not counted (one statement, not two).
    With `rows` the statement selects columns and the page's items are its rows.
    """
    page = _Page(
        select=statement,
        session=db.session(),
        count_select=count_statement,
        count_cap=count_cap,
        rows=rows,
        page=_page_number(),
        per_page=per_page or current_app.config["PER_PAGE"],
        error_out=False,
    )
    page.capped = count_cap is not None and page.total > count_cap
    if count_cap is not None:
        from flask_babel import format_decimal

        page.cap_text = format_decimal(count_cap)
    return page


def capped_count(count_statement, cap: int) -> int:
    """What `count_statement` counts, but at most cap + 1: the rows it would count, limited."""
    from sqlalchemy import func, literal, select

    limited = (
        count_statement.with_only_columns(literal(1), maintain_column_froms=True)
        .limit(cap + 1)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(limited))


class _ReadPagination(Pagination):
    """A page whose rows a function reads (given offset and size), counted by a statement."""

    def _query_items(self) -> list:
        return self._query_args["read"](self._query_offset, self.per_page)

    def _query_count(self) -> int:
        known = _total_shown(self)
        return known if known is not None else db.session.scalar(self._query_args["count_select"])


def paginate_read(read, count_statement, per_page: int | None = None) -> Pagination:
    """Paginate rows that `read(offset, limit)` returns, for pages one statement can't read
    well (a ranking read through two indexes, say); ?page= as everywhere."""
    return _ReadPagination(
        read=read,
        count_select=count_statement,
        page=_page_number(),
        per_page=per_page or current_app.config["PER_PAGE"],
        error_out=False,
    )


def paginate_rows(statement, count_statement, per_page: int | None = None) -> Pagination:
    """A page of rows (tuples from a multi-column select), counted by its own statement."""
    return paginate_read(
        lambda offset, limit: list(db.session.execute(statement.limit(limit).offset(offset))),
        count_statement,
        per_page,
    )
