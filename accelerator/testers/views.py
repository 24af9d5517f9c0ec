"""Staff and founder pages of test campaigns: asking for one, its page, the staff list, and the
acts on it (approve, decline, edit, send the next wave of invitations, close).

Each act: load the campaign the user may see (404 otherwise; mentors and partners 403 by
role), refuse a state that does not allow it (409, the campaign page with the message at its
top), one service call, one commit, redirect to the page. A form with bad input comes back
(422) with the message beside its field and everything typed kept.
"""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from accelerator.applications.models import Startup
from accelerator.applications.queries import timezone_of
from accelerator.core import audit, history
from accelerator.core.errors import InvalidState
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.i18n import ngettext
from accelerator.core.pagination import paginate_rows
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.timeutil import local_today
from accelerator.extensions import db
from accelerator.programs.queries import selected_filter
from accelerator.testers import bp, forms, policies, queries, services
from accelerator.testers.models import (
    ATTRIBUTE_LABELS,
    ATTRIBUTES,
    Campaign,
    CampaignStatus,
    QuestionKind,
)

CS = CampaignStatus
#: Who reads and asks for campaigns: the startup's founders and program staff.
READERS = (Role.FOUNDER, Role.STAFF)
#: How long a new test runs unless the founder says otherwise.
DEFAULT_DAYS = 14


def _to_page(campaign_id: int):
    return redirect(url_for("testers.campaign", campaign_id=campaign_id))


def _load(campaign_id: int) -> Campaign:
    return get_or_404(
        Campaign,
        campaign_id,
        policy=policies.can_view_campaign,
        options=[joinedload(Campaign.startup), joinedload(Campaign.cohort)],
    )


def _acting_on(campaign_id: int, target: CampaignStatus | None = None) -> Campaign:
    """The campaign an act is taken on; a refusal shows its page. With `target`, a move the
    campaign's status refuses is answered (409) before any form is read."""
    found = _load(campaign_id)
    refusal_page(url_for("testers.campaign", campaign_id=found.id))
    if target is not None:
        found.status.check_move(target)
    return found


# --- Asking for a test -----------------------------------------------------------------------


@bp.route("/startups/<int:startup_id>/campaigns/new", methods=["GET", "POST"])
@role_required(*READERS)
def new_campaign(startup_id: int):
    startup = get_or_404(Startup, startup_id, policy=policies.can_ask_test)
    if queries.current_cohort_id(startup.id) is None:
        raise InvalidState(_("Only a startup enrolled in a cohort can test with the panel."))
    form = forms.CampaignForm()
    if request.method == "GET":
        today = local_today(timezone_of(startup))
        form.opens_on.data, form.closes_on.data = today, today + timedelta(days=DEFAULT_DAYS)
    elif form.validate_on_submit():
        with refusals_beside(form):
            found = services.request_campaign(
                startup=startup, fields=form.fields(), actor=current_actor()
            )
            db.session.commit()
            flash(
                _("Your test is asked. Program staff approve it before anyone is invited."),
                "success",
            )
            return _to_page(found.id)
    return _form_page(form, startup=startup, campaign=None)


def _form_page(form, *, startup: Startup, campaign: Campaign | None):
    return render_template(
        "testers/campaign_form.html",
        form=form,
        startup=startup,
        campaign=campaign,
        attribute_values=_attribute_values(),
    )


def _attribute_values() -> list[tuple[str, list[str]]]:
    """What each attribute with fixed values takes (its labels), to help type a quota."""
    return [
        (str(ATTRIBUTE_LABELS[name]), [str(member.label) for member in kind])
        for name, kind in ATTRIBUTES.items()
        if kind is not None
    ]


# --- The campaign page -----------------------------------------------------------------------


@bp.get("/campaigns/<int:campaign_id>")
@role_required(*READERS)
def campaign(campaign_id: int):
    return render_campaign_page(_load(campaign_id))


def render_campaign_page(found: Campaign, *, open_form: str | None = None, **bound):
    """The campaign page; a form shown again passes its bound form by name (`decline_form`)."""
    answered = queries.response_counts(found)
    waves = queries.waves_of(found)
    return render_template(
        "testers/campaign.html",
        campaign=found,
        startup=found.startup,
        cohort=found.cohort,
        timezone=timezone_of(found),
        criteria=_criteria_shown(found),
        quotas=_quotas_shown(found, answered),
        questions=_questions_shown(found),
        waves=waves,
        invited=sum(wave.invited for wave in waves),
        responses=answered.total,
        history=history.entries(audit.events_of(found)),
        open_form=open_form,
        **_act_forms(found, bound),
    )


def _value_label(attribute: str, value: str) -> str:
    kind = ATTRIBUTES.get(attribute)
    if kind is not None and value in kind._value2member_map_:
        return str(kind(value).label)
    return value


def _criteria_shown(found: Campaign) -> list[tuple[str, str]]:
    """(attribute label, its allowed values) of each attribute the target narrows."""
    return [
        (
            str(ATTRIBUTE_LABELS[name]),
            ", ".join(_value_label(name, value) for value in found.criteria[name]),
        )
        for name in ATTRIBUTES
        if (found.criteria or {}).get(name)
    ]


def _quotas_shown(found: Campaign, answered) -> list[dict]:
    return [
        {
            "attribute": str(ATTRIBUTE_LABELS.get(quota["attribute"], quota["attribute"])),
            "value": _value_label(quota["attribute"], quota["value"]),
            "at_least": quota["at_least"],
            "responses": answered.by_value.get((quota["attribute"], quota["value"]), 0),
        }
        for quota in found.quotas or []
    ]


def _questions_shown(found: Campaign) -> list[dict]:
    kinds = QuestionKind._value2member_map_
    return [
        {
            "kind": str(kinds[q["kind"]].label) if q["kind"] in kinds else q["kind"],
            "text": q["text"],
            "choices": q.get("choices") or [],
        }
        for q in found.questions or []
    ]


def _act_forms(found: Campaign, bound: dict) -> dict:
    """A form for each act the user may take on the campaign as it stands (None otherwise)."""
    staff = current_user.is_staff
    return {
        "approve_form": ConfirmForm(formdata=None)
        if staff and found.status.can_become(CS.APPROVED)
        else None,
        "decline_form": (bound.get("decline_form") or forms.DeclineForm(formdata=None))
        if staff and found.status.can_become(CS.DECLINED)
        else None,
        "wave_form": ConfirmForm(formdata=None)
        if staff and found.status in (CS.APPROVED, CS.RUNNING)
        else None,
        "close_form": ConfirmForm(formdata=None)
        if policies.can_close_campaign(current_user, found)
        else None,
        "may_edit": policies.can_edit_campaign(current_user, found),
    }


# --- The staff list --------------------------------------------------------------------------


@bp.get("/campaigns")
@role_required(Role.STAFF)
def campaigns():
    """Every campaign, those awaiting approval first; filtered by status and cohort."""
    _program, cohort_id = selected_filter(request.args)
    value = request.args.get("status", "")
    status = CS(value) if value in CS._value2member_map_ else None
    rows, count = queries.campaign_list(status=status, cohort_id=cohort_id)
    page = paginate_rows(rows, count)
    return render_template(
        "testers/campaigns.html",
        page=page,
        rows=queries.campaign_rows(page.items),
        status=status,
        statuses=list(CS),
        counts=queries.campaign_status_counts(cohort_id=cohort_id),
    )


# --- The acts --------------------------------------------------------------------------------


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@role_required(*READERS)
def edit_campaign(campaign_id: int):
    found = _acting_on(campaign_id)
    startup = found.startup  # read now: the service reads the campaign again under its lock
    if not policies.can_edit_campaign(current_user, found):
        if found.status == CS.APPROVED:  # a founder: staff still may
            raise InvalidState(_("Only program staff can change a test once it is approved."))
        raise InvalidState(str(CS.__refusals__[found.status.value]))
    form = forms.CampaignForm()
    if request.method == "GET":
        form.fill(found)
    elif form.validate_on_submit():
        with refusals_beside(form):
            changed = services.update_campaign(found, fields=form.fields(), actor=current_actor())
            db.session.commit()
            flash(_("Test saved.") if changed else _("Nothing was changed."), "success")
            return _to_page(campaign_id)
    return _form_page(form, startup=startup, campaign=found)


@bp.post("/campaigns/<int:campaign_id>/approve")
@role_required(Role.STAFF)
def approve_campaign(campaign_id: int):
    found = _acting_on(campaign_id, CS.APPROVED)
    if ConfirmForm().validate_on_submit():
        services.approve_campaign(found, actor=current_actor())
        db.session.commit()
        flash(_("Test approved. Send its first wave of invitations when ready."), "success")
    return _to_page(campaign_id)


@bp.post("/campaigns/<int:campaign_id>/decline")
@role_required(Role.STAFF)
def decline_campaign(campaign_id: int):
    found = _acting_on(campaign_id, CS.DECLINED)
    form = forms.DeclineForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            services.decline_campaign(found, reason=form.reason.data or "", actor=current_actor())
            db.session.commit()
            flash(_("Test declined. The founders are told why."), "success")
            return _to_page(campaign_id)
    db.session.rollback()  # nothing of the refused attempt is shown as if saved
    return render_campaign_page(_load(campaign_id), open_form="decline", decline_form=form)


@bp.post("/campaigns/<int:campaign_id>/wave")
@role_required(Role.STAFF)
def send_wave(campaign_id: int):
    found = _acting_on(campaign_id)
    if ConfirmForm().validate_on_submit():
        invited = services.send_wave(found, actor=current_actor())
        db.session.commit()
        flash(
            ngettext(
                "%(num)d tester invited. Their mail goes out now.",
                "%(num)d testers invited. Their mail goes out now.",
                invited,
            ),
            "success",
        )
    return _to_page(campaign_id)


@bp.post("/campaigns/<int:campaign_id>/close")
@role_required(*READERS)
def close_campaign(campaign_id: int):
    found = _acting_on(campaign_id, CS.CLOSED)
    if ConfirmForm().validate_on_submit():
        services.close_campaign(found, actor=current_actor())
        db.session.commit()
        flash(_("Test closed. Its links no longer take answers."), "success")
    return _to_page(campaign_id)
