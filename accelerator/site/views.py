"""Home, health check, and the staff pages for the audit log and the mail outbox."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from accelerator.applications.queries import founder_startup_id
from accelerator.core import history, hooks
from accelerator.core.cache import kept_fragment
from accelerator.core.forms import ConfirmForm
from accelerator.core.hooks import render_slot
from accelerator.core.i18n import gettext as _
from accelerator.core.mail import send_pending
from accelerator.core.pagination import paginate
from accelerator.core.permissions import Role, role_required
from accelerator.extensions import db, limiter
from accelerator.site import bp, queries


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    role = Role.STAFF if current_user.role == Role.ADMIN else current_user.role
    return render_template(f"home/{role.value}.html", panels=_panels(role))


def _panels(role: Role):
    """The cards each domain adds to the role's home (core/hooks.py). A founder's cards show
    their startup, never the person (a founder belongs to one startup): the startup's founders
    share them, kept until a table a card reads changes or the clock changes one (an offer's
    deadline, the next office hour, a new day: core.cache.changes_at)."""

    def render():
        return render_slot(f"home.{role.value}", user=current_user)

    startup_id = founder_startup_id(current_user) if role == Role.FOUNDER else None
    if startup_id is None:
        return render()
    return kept_fragment(
        "home-founder", startup_id, reads=hooks.home_founder.reads(), render=render, forms=True
    )


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    if current_app.config["RATELIMIT_ENABLED"] and not limiter.storage.check():
        # Still serving (200): sign-in limits are counted per worker until the store is back.
        return jsonify(
            status="degraded",
            database="ok",
            rate_limits="unreachable",
            reason=(
                "The rate-limit store does not answer: limits are counted in each process's"
                " memory until it does."
            ),
        )
    return jsonify(status="ok", database="ok")


@bp.route("/audit")
@role_required(Role.STAFF)
def audit_log():
    page = paginate(queries.audit_statement(request.args), per_page=50)
    return render_template(
        "site/audit.html",
        page=page,
        entries=history.entries(page.items, folding=False),
        filters=request.args,
    )


@bp.route("/outbox")
@role_required(Role.STAFF)
def outbox():
    listed = queries.outbox_list(request.args.get("status"))
    return render_template(
        "site/outbox.html",
        page=paginate(queries.outbox_statement(listed)),
        listed=listed,
        lists=queries.OUTBOX_LISTS,
        confirm_form=ConfirmForm(),
    )


@bp.route("/outbox/send", methods=["POST"])
@role_required(Role.STAFF)
def outbox_send():
    if ConfirmForm().validate_on_submit():
        sent, failed = send_pending()
        flash(_("%(sent)d sent, %(failed)d failed.", sent=sent, failed=failed), "info")
    return redirect(url_for("site.outbox"))
