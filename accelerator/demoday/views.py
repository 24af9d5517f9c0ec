"""The demoday domain's pages (the event): the staff list and hub of a demo day, its settings,
running order and publication; a startup's materials (staff and its founders); the public
event page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from accelerator.applications.models import Startup
from accelerator.core.files import StoredFile, safe_filename, send_stored_file
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate_rows
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.timeutil import to_local
from accelerator.demoday import bp, policies, queries, services
from accelerator.demoday.forms import LOCAL_FORMAT, BreakForm, DemoDayForm, MaterialsForm
from accelerator.demoday.models import DemoDay, Slot
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import cohort_timezone


def _load(demo_day_id: int) -> DemoDay:
    return get_or_404(DemoDay, demo_day_id, policy=policies.can_manage_demo_day)


def _context(demo_day: DemoDay) -> dict:
    """What every page of a demo day's hub shows: its cohort, program and timezone."""
    cohort = db.session.get(Cohort, demo_day.cohort_id)
    program = db.session.get(Program, cohort.program_id)
    return {"demo_day": demo_day, "cohort": cohort, "program": program, "tz": program.timezone}


@bp.get("/")
@role_required(Role.STAFF)
def index():
    page = paginate_rows(queries.list_statement(), queries.count_statement())
    rows = [queries.ListRow(*row) for row in page.items]
    return render_template("demoday/index.html", page=page, rows=rows)


@bp.route("/cohorts/<int:cohort_id>/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    existing = queries.of_cohort(cohort.id)
    if existing is not None:
        return redirect(url_for("demoday.manage", demo_day_id=existing.id))
    tz = cohort_timezone(cohort.id)
    form = DemoDayForm(timezone=tz)
    if form.validate_on_submit():
        with refusals_beside(form):
            demo_day = services.plan_demo_day(cohort, fields=form.fields(), actor=current_actor())
            db.session.commit()
            flash(_("Demo day planned for %(cohort)s.", cohort=cohort.name), "success")
            return redirect(url_for("demoday.manage", demo_day_id=demo_day.id))
    program = db.session.get(Program, cohort.program_id)
    return render_template(
        "demoday/form.html", form=form, demo_day=None, cohort=cohort, program=program, tz=tz
    )


@bp.route("/<int:demo_day_id>/edit", methods=["GET", "POST"])
@role_required(Role.STAFF)
def edit(demo_day_id: int):
    demo_day = _load(demo_day_id)
    values = _context(demo_day)
    data = None
    if request.method != "POST":
        data = {
            name: getattr(demo_day, name)
            for name in (
                "venue",
                "online_url",
                "description",
                "pitch_minutes",
                "changeover_minutes",
                "capacity",
                "plus_ones_max",
            )
        }
        data["starts_at"] = to_local(demo_day.starts_at, values["tz"]).replace(tzinfo=None)
    form = DemoDayForm(data=data, timezone=values["tz"])
    if form.validate_on_submit():
        with refusals_beside(form):
            changed = services.update_demo_day(
                demo_day, fields=form.fields(), actor=current_actor()
            )
            db.session.commit()
            flash(_("Demo day saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("demoday.manage", demo_day_id=demo_day.id))
    return render_template(
        "demoday/form.html", form=form, seats_taken=demo_day.seats_taken, **values
    )


@bp.get("/<int:demo_day_id>/manage")
@role_required(Role.STAFF)
def manage(demo_day_id: int):
    return _hub(_load(demo_day_id))


def _hub(demo_day: DemoDay, break_form: BreakForm | None = None):
    """The staff page of a demo day: its details, running order, materials and publication
    (the hub the guests and follow-up pages link from)."""
    values = _context(demo_day)
    lines = queries.running_order(demo_day)
    if break_form is None:
        break_form = BreakForm(formdata=None, lines=[line.title for line in lines])
    return render_template(
        "demoday/manage.html",
        lines=lines,
        ends_at=queries.ends_at(demo_day, lines),
        break_form=break_form,
        confirm_form=ConfirmForm(formdata=None),
        hub_tab="event",
        local_format=LOCAL_FORMAT,
        **values,
    )


@bp.post("/slots/<int:slot_id>/<any(up, down):direction>")
@role_required(Role.STAFF)
def move_slot(slot_id: int, direction: str):
    slot = get_or_404(Slot, slot_id)
    refusal_page(url_for("demoday.manage", demo_day_id=slot.demo_day_id))
    if ConfirmForm().validate_on_submit():
        services.move_slot(slot, direction=direction, actor=current_actor())
        db.session.commit()
    return redirect(
        url_for("demoday.manage", demo_day_id=slot.demo_day_id, _anchor="running-order")
    )


@bp.post("/<int:demo_day_id>/breaks")
@role_required(Role.STAFF)
def add_break(demo_day_id: int):
    demo_day = _load(demo_day_id)
    lines = queries.running_order(demo_day)
    form = BreakForm(lines=[line.title for line in lines])
    if form.validate_on_submit():
        with refusals_beside(form):
            slot = services.add_break(
                demo_day,
                title=form.title.data,
                minutes=form.minutes.data,
                position=form.position.data,
                actor=current_actor(),
            )
            db.session.commit()
            flash(_("Break “%(title)s” added.", title=slot.break_title), "success")
            return redirect(
                url_for("demoday.manage", demo_day_id=demo_day.id, _anchor="running-order")
            )
    return _hub(demo_day, break_form=form)


@bp.post("/breaks/<int:slot_id>/remove")
@role_required(Role.STAFF)
def remove_break(slot_id: int):
    slot = get_or_404(Slot, slot_id)
    demo_day_id = slot.demo_day_id
    refusal_page(url_for("demoday.manage", demo_day_id=demo_day_id))
    if ConfirmForm().validate_on_submit():
        title = slot.break_title
        services.remove_break(slot, actor=current_actor())
        db.session.commit()
        flash(_("Break “%(title)s” removed.", title=title), "success")
    return redirect(url_for("demoday.manage", demo_day_id=demo_day_id, _anchor="running-order"))


def _load_slot(slot_id: int) -> Slot:
    return get_or_404(Slot, slot_id, policy=policies.can_edit_materials)


@bp.route("/slots/<int:slot_id>/materials", methods=["GET", "POST"])
@role_required(Role.STAFF, Role.FOUNDER)
def materials(slot_id: int):
    slot = _load_slot(slot_id)
    demo_day = db.session.get(DemoDay, slot.demo_day_id)
    data = {"pitch": slot.pitch} if request.method != "POST" else None
    form = MaterialsForm(data=data)
    if form.validate_on_submit():
        with refusals_beside(form):
            changed = services.update_materials(
                slot, pitch=form.pitch.data, deck=form.deck.data, actor=current_actor()
            )
            db.session.commit()
            flash(_("Materials saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("demoday.materials", slot_id=slot.id))
    lines = queries.running_order(demo_day)
    values = _context(demo_day)
    return render_template(
        "demoday/materials.html",
        form=form,
        slot=slot,
        line=queries.line_of(lines, slot.id),
        startup=db.session.get(Startup, slot.startup_id),
        deck=db.session.get(StoredFile, slot.deck_file_id) if slot.deck_file_id else None,
        staff=current_user.is_staff,
        **values,
    )


@bp.get("/slots/<int:slot_id>/deck")
@role_required(Role.STAFF, Role.FOUNDER)
def deck(slot_id: int):
    slot = _load_slot(slot_id)
    if slot.deck_file_id is None:
        abort(404)
    stored = db.session.get(StoredFile, slot.deck_file_id)
    startup = db.session.get(Startup, slot.startup_id)
    name = safe_filename(startup.name, default="startup") + "-demo-day-deck.pdf"
    return send_stored_file(stored, download_name=name)


@bp.post("/<int:demo_day_id>/publish")
@role_required(Role.STAFF)
def publish(demo_day_id: int):
    demo_day = _load(demo_day_id)
    refusal_page(url_for("demoday.manage", demo_day_id=demo_day.id))
    if ConfirmForm().validate_on_submit():
        services.publish(demo_day, actor=current_actor())
        db.session.commit()
        flash(_("Demo day published: its public page is open to everyone."), "success")
    return redirect(url_for("demoday.manage", demo_day_id=demo_day.id))


@bp.post("/<int:demo_day_id>/unpublish")
@role_required(Role.STAFF)
def unpublish(demo_day_id: int):
    demo_day = _load(demo_day_id)
    refusal_page(url_for("demoday.manage", demo_day_id=demo_day.id))
    if ConfirmForm().validate_on_submit():
        services.unpublish(demo_day, actor=current_actor())
        db.session.commit()
        flash(_("Demo day unpublished: its public page is closed."), "success")
    return redirect(url_for("demoday.manage", demo_day_id=demo_day.id))


@bp.get("/<int:demo_day_id>")
def public(demo_day_id: int):
    """The public event page, without signing in, once published (staff may preview)."""
    demo_day = db.session.get(DemoDay, demo_day_id)
    if demo_day is None or not policies.can_view_public_demo_day(current_user, demo_day):
        abort(404)
    lines = queries.running_order(demo_day)
    return render_template(
        "demoday/public.html",
        lines=lines,
        ends_at=queries.ends_at(demo_day, lines),
        **_context(demo_day),
    )
