"""The tester's pages, through their personal link and without an account (stubs the tester
pages' work fills in)."""

from __future__ import annotations

from flask import abort

from accelerator.testers import bp


@bp.route("/t/<token>", methods=["GET", "POST"])
def answer(token: str):
    abort(404)


@bp.route("/t/<token>/unsubscribe", methods=["GET", "POST"])
def unsubscribe(token: str):
    abort(404)
