"""Pages of a pilot: scoping it from an accepted introduction, its page, and its moves to a
decision (start, decide, close, stop) and the founders' sharing of their figures.

Each act: load, check, validate, one service call, one commit, redirect to the pilot page. A
move the pilot's status refuses answers 409 with the pilot page and the message at its top; a
form with bad input comes back open on the pilot page (422), the message beside its field.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from accelerator.core import audit, history
from accelerator.core.errors import InvalidState
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.extensions import db
from accelerator.pilots import bp, forms, policies, queries, services
from accelerator.pilots.models import (
    MAX_CRITERIA,
    MIN_CRITERIA,
    Decision,
    Introduction,
    Pilot,
    PilotStatus,
)
from accelerator.pilots.views import SIGNED_IN

PS = PilotStatus
#: Who scopes and runs pilots: program staff and the unit's partners.
EDITORS = (Role.STAFF, Role.PARTNER)
#: The forms of the acts on the pilot page: (form class, the status each moves the pilot to).
ACTS = {
    "decide": (forms.DecideForm, PS.DECIDED),
    "close": (forms.CloseForm, PS.CLOSED),
    "stop": (forms.StopForm, PS.STOPPED),
}


def _owner_choices(business_unit_id: int, keep: int | None = None) -> list[tuple[int, str]]:
    """The unit's active partners (and the current owner, even if no longer active)."""
    partners = queries.partners_of(business_unit_id)
    return [(user.id, user.name) for user in partners if user.active or user.id == keep]


def _to_page(pilot_id: int):
    return redirect(url_for("pilots.pilot", pilot_id=pilot_id))


@bp.route("/introductions/<int:introduction_id>/pilot/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new_pilot(introduction_id: int):
    introduction = get_or_404(
        Introduction,
        introduction_id,
        policy=policies.can_scope_pilot,
        options=[
            joinedload(Introduction.startup),
            joinedload(Introduction.business_unit),
            joinedload(Introduction.pilot),
        ],
    )
    if introduction.pilot is not None:
        flash(_("This introduction already has its pilot."), "info")
        return _to_page(introduction.pilot.id)
    if introduction.status != "accepted":
        raise InvalidState(_("Only an accepted introduction can become a pilot."))
    startup, unit = introduction.startup, introduction.business_unit
    form = forms.PilotForm(partners=_owner_choices(unit.id))
    if request.method == "GET":
        form.title.data = _("%(startup)s with %(unit)s", startup=startup.name, unit=unit.name)
    elif form.validate_on_submit():
        with refusals_beside(form):
            pilot = services.create_pilot(introduction, fields=form.fields(), actor=current_actor())
            db.session.commit()
            flash(_("Pilot saved. Start it once its criteria, owner and decision date are set."))
            return _to_page(pilot.id)
    return render_template(
        "pilots/pilot_form.html", form=form, pilot=None, startup=startup, unit=unit
    )


@bp.get("/<int:pilot_id>")
@role_required(*SIGNED_IN)
def pilot(pilot_id: int):
    get_or_404(Pilot, pilot_id, policy=policies.can_view_pilot)
    return render_pilot_page(pilot_id)


def render_pilot_page(pilot_id: int, *, open_form: str | None = None, **bound):
    """The pilot page; an act shown again passes its bound form by name (`decide_form`)."""
    found = queries.pilot_for_page(pilot_id)
    assert found is not None  # the caller loaded it
    today = queries.local_today_of(found)
    figures_shown = found.kpis_shared or current_user.role != Role.PARTNER
    return render_template(
        "pilots/pilot.html",
        pilot=found,
        today=today,
        overdue=found.overdue_on(today),
        checkin=queries.latest_checkin(found.startup_id) if figures_shown else None,
        figures_shown=figures_shown,
        history=history.entries(audit.events_of(found, newest_first=True)),
        open_form=open_form,
        **_act_forms(found, bound),
    )


def _act_forms(pilot: Pilot, bound: dict) -> dict:
    """A form for each act the user may take on the pilot as it stands (None otherwise)."""
    editing = policies.can_edit_pilot(current_user, pilot)
    shown = {"start_form": None, "share_form": None, "start_missing": []}
    if editing and pilot.status.can_become(PS.RUNNING):
        shown["start_form"] = ConfirmForm(prefix="start", formdata=None)
        shown["start_missing"] = _start_missing(pilot)
    for name, (form_class, target) in ACTS.items():
        allowed = editing and pilot.status.can_become(target)
        form = bound.get(f"{name}_form") or form_class(prefix=name, formdata=None)
        shown[f"{name}_form"] = form if allowed else None
    if shown.get("decide_form") is not None:
        shown["decide_form"].contract_value.description = _(
            "In %(currency)s, the pilot's currency.", currency=pilot.currency
        )
    if policies.can_share_kpis(current_user, pilot):
        shown["share_form"] = bound.get("share_form") or forms.ShareKpisForm(
            prefix="share", formdata=None, data={"shared": pilot.kpis_shared}
        )
    return shown


def _start_missing(pilot: Pilot) -> list[str]:
    """What a scoping pilot still lacks to start (the service refuses the start without it)."""
    missing = []
    if not MIN_CRITERIA <= len(pilot.criteria) <= MAX_CRITERIA:
        missing.append(_("3 to 5 success criteria"))
    if pilot.owner_id is None:
        missing.append(_("an owner in the business unit"))
    if pilot.decision_on is None:
        missing.append(_("a go/no-go decision date"))
    return missing


def _acting_on(pilot_id: int, target: PilotStatus | None = None) -> Pilot:
    """The pilot an act is taken on; a refusal shows its page. With `target`, a move the
    pilot's status refuses is answered (409) before any form is read."""
    found = get_or_404(Pilot, pilot_id, policy=policies.can_view_pilot)
    refusal_page(url_for("pilots.pilot", pilot_id=found.id))
    if target is not None:
        found.status.check_move(target)
    return found


@bp.route("/<int:pilot_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit_pilot(pilot_id: int):
    found = _acting_on(pilot_id)
    if found.status not in (PS.SCOPING, PS.RUNNING):
        raise InvalidState(str(PS.__refusals__[found.status.value]))
    found = queries.pilot_for_page(found.id)
    startup, unit = found.startup, found.business_unit
    form = forms.PilotForm(partners=_owner_choices(unit.id, keep=found.owner_id))
    if request.method == "GET":
        form.fill(found, found.criteria)
    elif form.validate_on_submit():
        with refusals_beside(form):
            changed = services.update_pilot(found, fields=form.fields(), actor=current_actor())
            db.session.commit()
            flash(_("Pilot saved.") if changed else _("Nothing was changed."))
            return _to_page(pilot_id)
    return render_template(
        "pilots/pilot_form.html", form=form, pilot=found, startup=startup, unit=unit
    )


@bp.post("/<int:pilot_id>/start")
@role_required(*EDITORS)
def start_pilot(pilot_id: int):
    found = _acting_on(pilot_id, PS.RUNNING)
    if ConfirmForm(prefix="start").validate_on_submit():
        services.start_pilot(found, actor=current_actor())
        db.session.commit()
        flash(
            _(
                "The pilot is running. Its go/no-go decision is due on %(day)s.",
                day=found.decision_on.isoformat(),
            ),
            "success",
        )
    return _to_page(pilot_id)


def _act(pilot_id: int, name: str, act, message: str):
    """An act with a form (decide, close, stop): `act(pilot, form)` calls the service."""
    form_class, target = ACTS[name]
    found = _acting_on(pilot_id, target)
    form = form_class(prefix=name)
    if form.validate_on_submit():
        with refusals_beside(form):
            act(found, form)
            db.session.commit()
            flash(message, "success")
            return _to_page(pilot_id)
    db.session.rollback()  # nothing of the refused attempt is shown as if saved
    return render_pilot_page(pilot_id, open_form=name, **{f"{name}_form": form})


@bp.post("/<int:pilot_id>/decide")
@role_required(*EDITORS)
def decide_pilot(pilot_id: int):
    def act(found, form):
        services.decide_pilot(
            found,
            decision=Decision(form.decision.data),
            actor=current_actor(),
            contract_reference=form.contract_reference.data or "",
            contract_value_cents=form.contract_value.cents if form.contract_value.data else None,
            reason=form.reason.data or "",
        )

    return _act(pilot_id, "decide", act, _("Decision recorded. Close the pilot with its lessons."))


@bp.post("/<int:pilot_id>/close")
@role_required(*EDITORS)
def close_pilot(pilot_id: int):
    def act(found, form):
        services.close_pilot(found, lessons=form.lessons.data, actor=current_actor())

    return _act(pilot_id, "close", act, _("Pilot closed with its lessons."))


@bp.post("/<int:pilot_id>/stop")
@role_required(*EDITORS)
def stop_pilot(pilot_id: int):
    def act(found, form):
        services.stop_pilot(found, reason=form.reason.data, actor=current_actor())

    return _act(pilot_id, "stop", act, _("Pilot stopped."))


@bp.post("/<int:pilot_id>/share")
@role_required(Role.FOUNDER)
def share_kpis(pilot_id: int):
    found = _acting_on(pilot_id)
    form = forms.ShareKpisForm(prefix="share")
    if form.validate_on_submit():
        services.share_kpis(found, shared=bool(form.shared.data), actor=current_actor())
        db.session.commit()
        if form.shared.data:
            flash(_("The unit's partners now see your latest check-in figures on this pilot."))
        else:
            flash(_("Your figures are no longer shared with the unit."))
    return _to_page(pilot_id)
