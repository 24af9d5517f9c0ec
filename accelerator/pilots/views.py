"""Pages of introductions: asking for one, its page, and the acts on it (forward, decline,
accept, withdraw).

Each act: load the introduction the user may see (404 otherwise), refuse who may not do the act
(403) and a state that does not allow it (409, the introduction page with the message at its
top), validate, one service call, one commit, redirect to the page. A form with bad input comes
back on the page (422), the message beside its field and what was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from accelerator.applications.models import Startup
from accelerator.applications.policies import is_founder_of
from accelerator.applications.queries import timezone_of
from accelerator.core import audit, history
from accelerator.core.errors import NotAllowed
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.mentoring.queries import mentored_startup_ids
from accelerator.pilots import bp, forms, policies, queries, services
from accelerator.pilots.models import BusinessUnit, Introduction, IntroductionStatus, Side

IS = IntroductionStatus
SIGNED_IN = (Role.FOUNDER, Role.MENTOR, Role.STAFF, Role.PARTNER)
#: The forms of the acts that take words, by name (each with its prefix: one page holds all).
ACT_FORMS = {
    "decline": forms.ReasonForm,
    "accept": forms.AcceptForm,
    "withdraw": forms.WithdrawForm,
}


def may_ask(user, startup: Startup) -> bool:
    """Who may ask that `startup` meet a unit: its founders, its matched mentors and staff; a
    partner (for their own unit) when partners may see the startup."""
    if user.role == Role.PARTNER:
        return policies.can_view_partner_profile(user, startup)
    if user.is_staff or is_founder_of(user, startup.id):
        return True
    return user.role == Role.MENTOR and startup.id in mentored_startup_ids(user)


def _to_page(introduction_id: int):
    return redirect(url_for("pilots.introduction", introduction_id=introduction_id))


# --- Asking ----------------------------------------------------------------------------------


@bp.route("/startups/<int:startup_id>/introductions/new", methods=["GET", "POST"])
@role_required(*SIGNED_IN)
def ask_introduction(startup_id: int):
    startup = get_or_404(Startup, startup_id, policy=may_ask)
    own_unit_id = queries.partner_unit_id(current_user)
    own_unit = db.session.get(BusinessUnit, own_unit_id) if own_unit_id else None
    units = [(own_unit.id, own_unit.name)] if own_unit else queries.askable_units(startup.id)
    form = forms.AskIntroductionForm(units=units, startups=[(startup.id, startup.name)])
    form.startup.data = startup.id
    if own_unit is not None:
        form.business_unit.data = own_unit.id  # a partner asks for their own unit, always
    elif request.method == "GET" and bounded_int(request.args.get("unit")) in dict(units):
        form.business_unit.data = bounded_int(request.args.get("unit"))  # "ask this unit"
    if form.validate_on_submit():
        unit = db.session.get(BusinessUnit, form.business_unit.data)
        with refusals_beside(form):
            found = services.ask_introduction(
                startup=startup, unit=unit, reason=form.reason.data, actor=current_actor()
            )
            db.session.commit()
            flash(_asked_message(found, startup, unit), "success")
            return _to_page(found.id)
    return render_template(
        "pilots/ask.html", form=form, startup=startup, own_unit=own_unit, units=units
    )


def _asked_message(found: Introduction, startup: Startup, unit: BusinessUnit) -> str:
    if found.status == IS.FORWARDED:
        asked = unit.name if found.answering_side == Side.PARTNER else startup.name
        return _("Introduction asked and forwarded: %(side)s is asked to answer.", side=asked)
    if found.asked_by_side == Side.PARTNER:
        return _("Your request to meet %(startup)s is sent to program staff.", startup=startup.name)
    return _(
        "Your request to meet %(unit)s is sent to program staff, who forward it.", unit=unit.name
    )


# --- The page --------------------------------------------------------------------------------


@bp.get("/introductions/<int:introduction_id>")
@role_required(*SIGNED_IN)
def introduction(introduction_id: int):
    get_or_404(Introduction, introduction_id, policy=policies.can_view_introduction)
    return render_introduction_page(introduction_id)


def render_introduction_page(introduction_id: int, **bound):
    """The introduction page; an act shown again passes its bound form (`decline_form`...)."""
    found = queries.introduction_for_page(introduction_id)
    assert found is not None  # the caller loaded it
    return render_template(
        "pilots/introduction.html",
        introduction=found,
        timezone=timezone_of(found),
        history=history.entries(audit.events_of(found)),
        may_scope=found.status == IS.ACCEPTED
        and found.pilot is None
        and policies.can_scope_pilot(current_user, found),
        **_act_forms(found, bound),
    )


def _act_forms(found: Introduction, bound: dict) -> dict:
    """A form for each act the user may take as the introduction stands (None otherwise)."""
    forwarding = policies.can_forward_introduction(current_user, found)
    answering = policies.can_answer_introduction(current_user, found)
    allowed = {
        "decline": forwarding or answering,
        "accept": answering,
        "withdraw": policies.can_withdraw_introduction(current_user, found),
    }
    shown = {
        f"{kind}_form": form_class(prefix=kind, formdata=None) if allowed[kind] else None
        for kind, form_class in ACT_FORMS.items()
    }
    shown["forward_form"] = ConfirmForm(formdata=None) if forwarding else None
    return {**shown, **bound}


# --- The acts --------------------------------------------------------------------------------


def _may_decline(user, found: Introduction) -> bool:
    """Staff decline a request; once forwarded, the side asked (or staff) declines it."""
    return user.is_staff if found.status == IS.REQUESTED else services.can_answer(user, found)


def _may_withdraw(user, found: Introduction) -> bool:
    return user.is_staff or services.asking_side_of(user, found) == found.asked_by_side


def _loaded(introduction_id: int, target: IntroductionStatus, allowed, refusal: str):
    """The introduction, once the user may see it (404), may do the act (403) and its status
    allows the move (409)."""
    found = get_or_404(Introduction, introduction_id, policy=policies.can_view_introduction)
    refusal_page(url_for("pilots.introduction", introduction_id=found.id))
    if not allowed(current_user, found):
        raise NotAllowed(refusal)
    found.status.check_move(target)
    return found


def _act(introduction_id: int, kind: str, target, allowed, refusal: str, act: Callable):
    """An act that takes words: its form (prefixed by `kind`) validated, `act(found, form)`
    called (returns the flash message); shown again on the page with its errors."""
    found = _loaded(introduction_id, target, allowed, refusal)
    form = ACT_FORMS[kind](prefix=kind)
    if form.validate_on_submit():
        with refusals_beside(form):
            message = act(found, form)
            db.session.commit()
            flash(message, "success")
            return _to_page(found.id)
    return render_introduction_page(found.id, **{f"{kind}_form": form})


@bp.post("/introductions/<int:introduction_id>/forward")
@role_required(Role.STAFF)
def forward_introduction(introduction_id: int):
    found = _loaded(
        introduction_id,
        IS.FORWARDED,
        lambda user, _found: user.is_staff,
        _("Only program staff can forward an introduction."),
    )
    if ConfirmForm().validate_on_submit():
        services.forward_introduction(found, actor=current_actor())
        db.session.commit()
        flash(_("Introduction forwarded: the other side is asked to answer."), "success")
    return _to_page(found.id)


@bp.post("/introductions/<int:introduction_id>/decline")
@role_required(*SIGNED_IN)
def decline_introduction(introduction_id: int):
    def act(found, form):
        services.decline_introduction(found, reason=form.reason.data, actor=current_actor())
        return _("Introduction declined. Everyone concerned is told why.")

    return _act(
        introduction_id,
        "decline",
        IS.DECLINED,
        _may_decline,
        _("Only the side asked, or program staff, can decline this introduction."),
        act,
    )


@bp.post("/introductions/<int:introduction_id>/accept")
@role_required(*SIGNED_IN)
def accept_introduction(introduction_id: int):
    def act(found, form):
        services.accept_introduction(found, note=form.note.data or "", actor=current_actor())
        return _("Introduction accepted: you will meet. Everyone concerned is told.")

    return _act(
        introduction_id,
        "accept",
        IS.ACCEPTED,
        services.can_answer,
        _("Only the side asked can accept this introduction."),
        act,
    )


@bp.post("/introductions/<int:introduction_id>/withdraw")
@role_required(*SIGNED_IN)
def withdraw_introduction(introduction_id: int):
    def act(found, form):
        services.withdraw_introduction(found, reason=form.reason.data or "", actor=current_actor())
        return _("Request withdrawn.")

    return _act(
        introduction_id,
        "withdraw",
        IS.WITHDRAWN,
        _may_withdraw,
        _("Only the side that asked, or program staff, can withdraw this request."),
        act,
    )
