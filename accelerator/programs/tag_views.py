"""Staff pages for the expertise tag vocabulary shared by startups and mentors."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from accelerator.auth.models import Role
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.extensions import db
from accelerator.programs import bp, queries, services
from accelerator.programs.forms import RenameTagForm, TagForm
from accelerator.programs.models import ExpertiseTag


def _tags_page(
    form: TagForm, renaming: int | None = None, rename_form: RenameTagForm | None = None
):
    return render_template(
        "programs/tags.html",
        tags=queries.tags_by_name(),
        usage=services.tag_usage(),
        form=form,
        rename_form=rename_form or RenameTagForm(formdata=None),
        renaming=renaming,
        confirm_form=ConfirmForm(),
    )


@bp.route("/expertise", methods=["GET", "POST"])
@role_required(Role.STAFF)
def tags():
    form = TagForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            tag = services.add_tag(actor=current_actor(), name=form.name.data)
            db.session.commit()
            flash(_("Tag %(name)s added.", name=tag.name), "success")
            return redirect(url_for("programs.tags"))
    return _tags_page(form)


@bp.route("/expertise/<int:tag_id>/rename", methods=["POST"])
@role_required(Role.STAFF)
def rename_tag(tag_id: int):
    tag = get_or_404(ExpertiseTag, tag_id)
    form = RenameTagForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            services.rename_tag(tag, actor=current_actor(), name=form.name.data)
            db.session.commit()
            flash(_("Tag renamed to %(name)s.", name=tag.name), "success")
            return redirect(url_for("programs.tags"))
    return _tags_page(TagForm(formdata=None), renaming=tag.id, rename_form=form)


@bp.route("/expertise/<int:tag_id>/delete", methods=["POST"])
@role_required(Role.STAFF)
def delete_tag(tag_id: int):
    tag = get_or_404(ExpertiseTag, tag_id)
    refusal_page(url_for("programs.tags"))
    if ConfirmForm().validate_on_submit():
        name = tag.name
        services.delete_tag(tag, actor=current_actor())
        db.session.commit()
        flash(_("Tag %(name)s deleted.", name=name), "info")
    return redirect(url_for("programs.tags"))
