"""The personal access tokens' pages: your tokens (made, shown once, revoked); an
administrator also sees everyone's active tokens and may revoke any."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accelerator.api import bp, services
from accelerator.api.forms import TokenForm
from accelerator.api.models import ApiToken
from accelerator.api.policies import can_revoke_token
from accelerator.auth.policies import second_factor_required
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, get_or_404
from accelerator.core.refusals import answered, refusal_page, refusals_beside
from accelerator.core.types import utcnow
from accelerator.extensions import db


def _page(form: TokenForm, new_token: str | None = None):
    mine = db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()
    others = []
    if current_user.is_admin:
        others = db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id != current_user.id)
            .where(ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow())
            .options(joinedload(ApiToken.user))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        ).all()
    return render_template(
        "api/tokens.html",
        form=form,
        mine=mine,
        others=others,
        new_token=new_token,
        revoke_form=ConfirmForm(),
        scope_label=services.scope_label,
    )


@bp.route("/account/api-tokens")
@login_required
def tokens():
    return _page(TokenForm())


def _asks_write() -> bool:
    return any(scope.endswith("write") for scope in request.form.getlist("scopes"))


@bp.route("/account/api-tokens", methods=["POST"])
@login_required
@second_factor_required(when=_asks_write)  # a token that writes moves money: staff verify first
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            _token, clear = services.issue_token(
                current_actor(),
                actor=current_actor(),
                name=form.name.data,
                scopes=form.scopes.data,
                days=form.days.data,
            )
            db.session.commit()
            answered()  # the page that shows the token once is the result
            return _page(TokenForm(formdata=None), new_token=clear)
    return _page(form)


@bp.route("/account/api-tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = get_or_404(ApiToken, token_id, policy=can_revoke_token)
    refusal_page(url_for(".tokens"))
    services.revoke_token(token, actor=current_actor())
    db.session.commit()
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for(".tokens"))


def describe(schema: dict | None) -> str:
    """A JSON Schema of the document in a few words: `integer`, `string (date-time) or null`,
    `array of Cohort`, `one of draft, published`."""
    if not schema:
        return _("anything")
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        values = ", ".join(str(v) for v in schema["enum"] if v is not None)
        return _("one of %(values)s", values=values)
    kinds = schema.get("type", "object")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    words = []
    for kind in kinds:
        if kind == "array":
            words.append(_("array of %(items)s", items=describe(schema.get("items"))))
        elif kind != "null":
            words.append(f"{kind} ({schema['format']})" if "format" in schema else kind)
    said = " | ".join(words)
    return _("%(kind)s or null", kind=said) if "null" in kinds else said


@bp.route("/api/v1/docs")
def reference():
    """The API reference, a page of this app drawn from its own OpenAPI document."""
    from flask import current_app

    document = current_app.extensions["accelerator.api"].spec.to_dict()
    return render_template("api/reference.html", doc=document, describe=describe)
