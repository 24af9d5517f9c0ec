"""Staff pages of the pilots domain: business units and their partners (a unit's page is also
its partners', read-only), the pilots board and the list of introductions."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accelerator.applications.models import Startup
from accelerator.applications.queries import country_pairs
from accelerator.auth.models import User
from accelerator.core.cache import kept_body
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate_rows
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.urls import bounded_int
from accelerator.extensions import db
from accelerator.pilots import board as pilot_board
from accelerator.pilots import bp, policies, queries, services
from accelerator.pilots.forms import InvitePartnerForm, UnitForm
from accelerator.pilots.models import BusinessUnit, IntroductionStatus, Pilot, PilotStatus
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import selected_filter

# --- Business units --------------------------------------------------------------------------


def _unit_form(unit: BusinessUnit | None = None) -> UnitForm:
    """The unit form with its choices; on GET of an existing unit, its saved values."""
    data = None
    if unit is not None and request.method != "POST":
        data = {
            "name": unit.name,
            "country": unit.country,
            "sponsor_name": unit.sponsor_name,
            "sponsor_title": unit.sponsor_title,
            "description": unit.description,
            "staff_lead": unit.staff_lead_id,
        }
    return UnitForm(data=data, countries=country_pairs(), staff=pilot_board.active_staff_choices())


def _load_unit(unit_id: int) -> BusinessUnit:
    return get_or_404(
        BusinessUnit,
        unit_id,
        policy=policies.can_view_business_unit,
        options=[joinedload(BusinessUnit.program), joinedload(BusinessUnit.staff_lead)],
    )


@bp.get("/units")
@role_required(Role.STAFF)
def units():
    return render_template("pilots/units/index.html", rows=pilot_board.unit_rows())


@bp.route("/units/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new_unit():
    """A unit is added to a program (?program=); with several programs and none chosen, the
    page asks which."""
    program_id = bounded_int(request.args.get("program"))
    programs = db.session.scalars(select(Program).order_by(Program.name, Program.id)).all()
    if program_id is None and len(programs) == 1:
        program_id = programs[0].id
    if program_id is None:
        return render_template("pilots/units/choose_program.html", programs=programs)
    program = get_or_404(Program, program_id)
    form = _unit_form()
    if form.validate_on_submit():
        with refusals_beside(form):
            unit = services.create_unit(
                program=program, fields=form.fields(), actor=current_actor()
            )
            db.session.commit()
            flash(_("Business unit %(name)s added.", name=unit.name), "success")
            return redirect(url_for("pilots.unit", unit_id=unit.id))
    return render_template("pilots/units/form.html", form=form, unit=None, program=program)


@bp.get("/units/<int:unit_id>")
@role_required(Role.STAFF, Role.PARTNER)
def unit(unit_id: int):
    return _unit_page(_load_unit(unit_id))


def _unit_page(unit: BusinessUnit, invite_form: InvitePartnerForm | None = None):
    """The unit's page; staff get the invite form (shown again with its errors) and buttons."""
    staff = current_user.is_staff
    intro_rows, intro_count = pilot_board.introduction_list(unit_id=unit.id)
    overdue = pilot_board.overdue_condition()
    pilot_rows, pilot_count = pilot_board.pilot_list(
        pilot_board.BoardFilters(unit_id=unit.id), overdue
    )
    overdue_rows, _count = pilot_board.pilot_list(
        pilot_board.BoardFilters(unit_id=unit.id, overdue_only=True), overdue
    )
    return render_template(
        "pilots/units/show.html",
        unit=unit,
        staff=staff,
        partners=queries.partners_of(unit.id),
        invitations=pilot_board.pending_partner_invitations(unit.id) if staff else [],
        introductions=pilot_board.introduction_rows(intro_rows, pilot_board.UNIT_PAGE_CAP),
        introduction_total=db.session.scalar(intro_count),
        pilots=pilot_board.pilot_cards(pilot_rows, pilot_board.UNIT_PAGE_CAP),
        pilot_total=db.session.scalar(pilot_count),
        overdue=pilot_board.pilot_cards(overdue_rows, 100),
        invite_form=invite_form or (InvitePartnerForm(formdata=None) if staff else None),
        confirm_form=ConfirmForm(formdata=None),
    )


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit_unit(unit_id: int):
    unit = _load_unit(unit_id)
    program = unit.program  # read now: the service re-reads the unit under its lock
    form = _unit_form(unit)
    if form.validate_on_submit():
        with refusals_beside(form):
            changed = services.update_unit(unit, fields=form.fields(), actor=current_actor())
            db.session.commit()
            flash(_("Business unit saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("pilots.unit", unit_id=unit.id))
    return render_template("pilots/units/form.html", form=form, unit=unit, program=program)


@bp.post("/units/<int:unit_id>/partners")
@role_required(Role.STAFF)
def invite_partner(unit_id: int):
    unit = _load_unit(unit_id)
    form = InvitePartnerForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            invitation, _token = services.invite_partner(
                unit, email=form.email.data, name=form.name.data, actor=current_actor()
            )
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("pilots.unit", unit_id=unit.id, _anchor="partners"))
    return _unit_page(unit, invite_form=form)


@bp.post("/units/<int:unit_id>/partners/<int:user_id>/remove")
@role_required(Role.STAFF)
def remove_partner(unit_id: int, user_id: int):
    unit = _load_unit(unit_id)
    refusal_page(url_for("pilots.unit", unit_id=unit.id))
    partner = get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        services.remove_partner(unit, partner, actor=current_actor())
        db.session.commit()
        flash(_("%(name)s is no longer a partner of %(unit)s.", name=partner.name, unit=unit.name))
    return redirect(url_for("pilots.unit", unit_id=unit.id, _anchor="partners"))


# --- The pilots board and the introductions list ---------------------------------------------


def _chosen(kind, name: str):
    """The member of the enum `kind` named by ?<name>=, or None (junk is ignored)."""
    value = request.args.get(name, "")
    return kind(value) if value in kind._value2member_map_ else None


def _board_filters() -> pilot_board.BoardFilters:
    """The board's filters from the query string; junk is ignored."""
    _program, cohort_id = selected_filter(request.args)
    return pilot_board.BoardFilters(
        cohort_id=cohort_id,
        unit_id=bounded_int(request.args.get("unit")),
        owner_id=bounded_int(request.args.get("owner")),
        overdue_only=request.args.get("overdue") == "1",
        status=_chosen(PilotStatus, "status"),
    )


#: What the board reads (cards, counts, the filters' choices, each program's today): a
#: committed write to any of them renews the kept board.
BOARD_READS = (Pilot, Startup, BusinessUnit, User, Cohort, Program)


@bp.get("/board")
@role_required(Role.STAFF)
def board():
    """A column per state, each capped; with ?status= the state's pilots as a paged list."""
    filters = _board_filters()

    def body() -> str:
        values = {
            "filters": filters,
            "units": pilot_board.unit_choices(),
            "owners": pilot_board.pilot_owner_choices(),
            "cap": pilot_board.BOARD_COLUMN_CAP,
        }
        if filters.status is not None:
            rows, count = pilot_board.pilot_list(filters)
            page = paginate_rows(rows, count)
            values.update(page=page, cards=[pilot_board.PilotCard.of(row) for row in page.items])
        else:
            values["columns"] = pilot_board.board_columns(filters, pilot_board.BOARD_COLUMN_CAP)
        return render_template("pilots/_board_body.html", **values)

    # The same for every staff member asking with the same filters (no form that posts) on
    # the same day of every program (its "overdue" is each program's today): kept as rendered
    # until a day ends or a pilot, startup, unit, user, cohort or program changes.
    return render_template(
        "pilots/board.html",
        body=kept_body(
            "pilots-board", reads=BOARD_READS, render=body, key=pilot_board.program_days()
        ),
    )


@bp.get("/introductions")
@role_required(Role.STAFF)
def introductions():
    _program, cohort_id = selected_filter(request.args)
    unit_id = bounded_int(request.args.get("unit"))
    chosen = _chosen(IntroductionStatus, "status")
    rows, count = pilot_board.introduction_list(status=chosen, cohort_id=cohort_id, unit_id=unit_id)
    page = paginate_rows(rows, count)
    return render_template(
        "pilots/introductions.html",
        page=page,
        rows=[pilot_board.IntroductionRow(*row) for row in page.items],
        status=chosen,
        statuses=list(IntroductionStatus),
        counts=pilot_board.introduction_status_counts(cohort_id=cohort_id, unit_id=unit_id),
        units=pilot_board.unit_choices(),
        unit_id=unit_id,
    )
