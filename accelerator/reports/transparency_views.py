"""A program's transparency page: staff write its introduction and publish or withdraw it;
the public reads it, without signing in, once published (staff see a preview before)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from accelerator.auth.models import Role
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.extensions import db
from accelerator.programs.models import Program
from accelerator.reports import bp, forms, policies, services
from accelerator.reports.models import TransparencyPage
from accelerator.reports.transparency import transparency


def _edit_url(program: Program) -> str:
    return url_for("reports.transparency_edit", program_id=program.id)


@bp.route("/reports/programs/<int:program_id>/transparency", methods=["GET", "POST"])
@role_required(Role.STAFF)
def transparency_edit(program_id: int):
    program = get_or_404(Program, program_id, policy=policies.can_edit_transparency)
    page = services.transparency_page(program)
    form = forms.TransparencyForm(obj=page)
    if form.validate_on_submit():
        with refusals_beside(form):
            services.edit_transparency(
                program, actor=current_actor(), introduction=form.introduction.data
            )
            db.session.commit()
            flash(_("The introduction is saved."), "success")
            return redirect(_edit_url(program))
    return render_template(
        "reports/transparency_edit.html",
        program=program,
        page=page,
        form=form,
        confirm=ConfirmForm(),
    )


@bp.route("/reports/programs/<int:program_id>/transparency/publish", methods=["POST"])
@role_required(Role.STAFF)
def transparency_publish(program_id: int):
    program = get_or_404(Program, program_id, policy=policies.can_edit_transparency)
    if ConfirmForm().validate_on_submit():
        refusal_page(_edit_url(program))
        services.publish_transparency(program, actor=current_actor())
        db.session.commit()
        flash(_("The transparency page is public."), "success")
    return redirect(_edit_url(program))


@bp.route("/reports/programs/<int:program_id>/transparency/withdraw", methods=["POST"])
@role_required(Role.STAFF)
def transparency_withdraw(program_id: int):
    program = get_or_404(Program, program_id, policy=policies.can_edit_transparency)
    if ConfirmForm().validate_on_submit():
        refusal_page(_edit_url(program))
        services.withdraw_transparency(program, actor=current_actor())
        db.session.commit()
        flash(_("The transparency page is withdrawn from the public site."), "success")
    return redirect(_edit_url(program))


@bp.route("/transparency/<int:program_id>")
def transparency_page(program_id: int):
    program = db.session.get(Program, program_id)
    if program is None:
        abort(404)
    page = services.transparency_page(program)
    if not policies.can_view_transparency(current_user, page):
        abort(404)
    return render_template("reports/transparency.html", report=transparency(program, page))


@bp.route("/transparency")
def transparency_index():
    """The programs whose transparency page is public (the visitors' navigation links here)."""
    programs = db.session.execute(
        select(Program.id, Program.name, Program.location)
        .join(TransparencyPage, TransparencyPage.program_id == Program.id)
        .where(TransparencyPage.published_at.is_not(None))
        .order_by(Program.name)
    ).all()
    return render_template("reports/transparency_index.html", programs=programs)
