"""Home, health check, and the staff pages for the audit log and the mail outbox."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from accelerator.auth.models import User
from accelerator.core import history
from accelerator.core.forms import ConfirmForm
from accelerator.core.hooks import render_slot
from accelerator.core.mail import send_pending
from accelerator.core.models import AuditEvent, OutboxEmail
from accelerator.core.pagination import paginate
from accelerator.core.permissions import Role, role_required
from accelerator.core.urls import bounded_int
from accelerator.extensions import db, limiter
from accelerator.site import bp


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    role = Role.STAFF if current_user.role == Role.ADMIN else current_user.role
    # Each domain adds its panels to the role's home (core/hooks.py).
    panels = render_slot(f"home.{role.value}", user=current_user)
    return render_template(f"home/{role.value}.html", panels=panels)


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


def _parse_day(value: str | None) -> datetime | None:
    try:
        return datetime.combine(datetime.strptime(value or "", "%Y-%m-%d").date(), time(), UTC)
    except ValueError:
        return None


@bp.route("/audit")
@role_required(Role.STAFF)
def audit_log():
    statement = (
        select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    action = (request.args.get("action") or "").strip()
    if action:
        statement = statement.where(AuditEvent.action.startswith(action, autoescape=True))
    actor = (request.args.get("actor") or "").strip().lower()
    if actor:
        statement = statement.join(User, AuditEvent.actor_id == User.id).where(
            User.email.contains(actor, autoescape=True)
        )
    object_type = (request.args.get("object_type") or "").strip()
    if object_type:
        statement = statement.where(AuditEvent.object_type == object_type)
    object_id = bounded_int(request.args.get("object_id"))
    if object_id is not None:
        statement = statement.where(AuditEvent.object_id == object_id)
    since, until = _parse_day(request.args.get("since")), _parse_day(request.args.get("until"))
    if since:
        statement = statement.where(AuditEvent.created_at >= since)
    if until:
        statement = statement.where(AuditEvent.created_at < until + timedelta(days=1))
    page = paginate(statement, per_page=50)
    return render_template(
        "site/audit.html",
        page=page,
        entries=history.entries(page.items, folding=False),
        filters=request.args,
    )


@bp.route("/outbox")
@role_required(Role.STAFF)
def outbox():
    status = request.args.get("status", "")
    statement = select(OutboxEmail).order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
    if status == "pending":
        statement = statement.where(OutboxEmail.sent_at.is_(None))
    elif status == "sent":
        statement = statement.where(OutboxEmail.sent_at.is_not(None))
    elif status == "failing":
        statement = statement.where(
            OutboxEmail.sent_at.is_(None), OutboxEmail.last_error.is_not(None)
        )
    return render_template(
        "site/outbox.html", page=paginate(statement), status=status, confirm_form=ConfirmForm()
    )


@bp.route("/outbox/send", methods=["POST"])
@role_required(Role.STAFF)
def outbox_send():
    if ConfirmForm().validate_on_submit():
        sent, failed = send_pending()
        flash(_("%(sent)d sent, %(failed)d failed.", sent=sent, failed=failed), "info")
    return redirect(url_for("site.outbox"))
