"""The business-unit partners' side: the directory of the startups of running and completed
cohorts, a startup's public profile (what partners see, and nothing else: no reviews, grants,
sessions or check-in figures) with "ask to meet", and its deck when the founders share it.
Staff see the same pages, and founders their own startup's profile, to see what partners see.
Their home is panels.partner_home."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from accelerator.applications.models import Stage, Startup
from accelerator.applications.queries import timezone_of
from accelerator.core.errors import NotAllowed
from accelerator.core.files import safe_filename, send_stored_file
from accelerator.core.i18n import gettext as _
from accelerator.core.models import StoredFile
from accelerator.core.pagination import paginate
from accelerator.core.permissions import Role, get_or_404, role_required
from accelerator.extensions import db
from accelerator.pilots import bp, directory, forms, policies, queries
from accelerator.pilots.models import BusinessUnit

#: The longest search partners may type (a startup's name is at most 120 characters).
MAX_SEARCH = 120


@bp.get("/startups")
@role_required(Role.PARTNER, Role.STAFF)
def startups():
    if not current_user.is_staff and queries.partner_unit_id(current_user) is None:
        raise NotAllowed(_("You see the startups once program staff add you to a business unit."))
    today = directory.partner_today()
    sectors = directory.directory_sectors(today)
    stages = {stage.value for stage in Stage}
    q = (request.args.get("q") or "").strip()[:MAX_SEARCH]
    sector = request.args.get("sector") or ""
    stage = request.args.get("stage") or ""
    filters = {
        "q": q,
        "sector": sector if sector in sectors else "",
        "stage": stage if stage in stages else "",
    }
    rows, count = directory.directory_statements(**filters, today=today)
    page = paginate(rows, per_page=directory.DIRECTORY_PAGE, count_statement=count)
    ids = [startup.id for startup in page.items]
    return render_template(
        "pilots/startups.html",
        page=page,
        filters=filters,
        sectors=sectors,
        stages=list(Stage),
        one_liners=directory.one_liners(ids),
        cohorts=directory.latest_cohorts(ids, today),
    )


@bp.get("/startups/<int:startup_id>")
@role_required(Role.PARTNER, Role.STAFF, Role.FOUNDER)
def startup_profile(startup_id: int):
    startup = get_or_404(
        Startup,
        startup_id,
        policy=policies.can_view_partner_profile,
        options=[selectinload(Startup.needs)],
    )
    profile = queries.partner_profile(startup.id)
    deck_shared = bool(profile and profile.share_deck)
    return render_template(
        "pilots/startup_profile.html",
        startup=startup,
        profile=profile,
        cohort=directory.latest_cohorts([startup.id]).get(startup.id),
        deck_shared=deck_shared,
        deck_shown=deck_shared and directory.enrolled_deck_id(startup.id) is not None,
        timezone=timezone_of(startup),
        **_ask_to_meet(startup),
    )


def _ask_to_meet(startup: Startup) -> dict:
    """For a partner: their unit, its open request with the startup (if any), whether the
    startup is in a cohort of the unit's program, and the form to ask to meet."""
    unit_id = queries.partner_unit_id(current_user)
    if unit_id is None:
        return {"unit": None}
    unit = db.session.get(BusinessUnit, unit_id)
    form = forms.AskIntroductionForm(
        units=[(unit.id, unit.name)], startups=[(startup.id, startup.name)], formdata=None
    )
    form.business_unit.data, form.startup.data = unit.id, startup.id
    form.submit.label.text = _("Ask to meet")
    return {
        "unit": unit,
        "open_request": queries.open_introduction(startup.id, unit.id),
        "in_program": queries.introduction_cohort_id(startup.id, unit.program_id) is not None,
        "ask_form": form,
    }


@bp.get("/startups/<int:startup_id>/deck")
@role_required(Role.PARTNER, Role.STAFF, Role.FOUNDER)
def startup_deck(startup_id: int):
    """The deck of the startup's enrolled application, only while its founders share it."""
    startup = get_or_404(Startup, startup_id, policy=policies.can_view_partner_profile)
    profile = queries.partner_profile(startup.id)
    deck_id = directory.enrolled_deck_id(startup.id) if profile and profile.share_deck else None
    deck = db.session.get(StoredFile, deck_id) if deck_id else None
    if deck is None:
        abort(404)
    name = safe_filename(startup.name, default="startup") + "-pitch-deck.pdf"
    return send_stored_file(deck, download_name=name)
