"""Staff pages of a demo day's guests: the list with its counts and filters, adding, editing
and removing a guest, the CSV import, invitations, and renewing or revoking a guest's link.

Each act: load the demo day (and the guest, only within it: 404 otherwise), one service call
inside `refusals_beside`, one commit, flash, redirect. A form with bad input comes back (422)
with the message beside its field and everything typed kept; a refused act (409) shows the
page it came from with the message at its top."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from accelerator.core.cache import kept_body
from accelerator.core.errors import NotFound, ValidationFailed
from accelerator.core.files import read_limited
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.i18n import ngettext
from accelerator.core.pagination import paginate_rows
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import answered, refusal_page, refusals_beside
from accelerator.demoday import bp, importing, policies
from accelerator.demoday import guests as guest_services
from accelerator.demoday.guest_forms import GuestForm, ImportForm
from accelerator.demoday.models import DemoDay, Guest, GuestKind, Rsvp
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program
from accelerator.programs.queries import cohort_timezone

PER_PAGE = 50


def _demo_day(demo_day_id: int) -> DemoDay:
    return get_or_404(DemoDay, demo_day_id, policy=policies.can_manage_guests)


def _guest(demo_day: DemoDay, guest_id: int) -> Guest:
    guest = db.session.get(Guest, guest_id)
    if guest is None or guest.demo_day_id != demo_day.id:
        raise NotFound(_("This guest is not on this demo day's list."))
    return guest


def _to_list(demo_day: DemoDay):
    return redirect(url_for("demoday.guests", demo_day_id=demo_day.id))


def _frame(demo_day: DemoDay) -> dict:
    """The cohort's name and zone, for every page of the part."""
    return {
        "demo_day": demo_day,
        "cohort_name": db.session.scalar(
            select(Cohort.name).where(Cohort.id == demo_day.cohort_id)
        ),
        "tz": cohort_timezone(demo_day.cohort_id),
    }


def _choice(enum, value):
    try:
        return enum(value) if value else None
    except ValueError:
        return None


#: What the guest list's content reads: a committed write to any of them renews it.
LIST_READS = (DemoDay, Guest, Cohort, Program)


@bp.get("/<int:demo_day_id>/guests")
@role_required(Role.STAFF)
def guests(demo_day_id: int):
    def body() -> str:
        demo_day = _demo_day(demo_day_id)
        answer = _choice(Rsvp, request.args.get("answer"))
        kind = _choice(GuestKind, request.args.get("kind"))
        conditions = [Guest.demo_day_id == demo_day.id]
        if answer is not None:
            conditions.append(Guest.rsvp == answer.value)
        if kind is not None:
            conditions.append(Guest.kind == kind.value)
        # The waitlist reads in its order (who gets the next seat); every other list by name.
        order = (
            (Guest.waitlisted_at, Guest.id) if answer == Rsvp.WAITLISTED else (Guest.name, Guest.id)
        )
        page = paginate_rows(
            select(Guest).where(*conditions).order_by(*order),
            select(func.count(Guest.id)).where(*conditions),
            per_page=PER_PAGE,
        )
        return render_template(
            "demoday/guests/_list_body.html",
            page=page,
            rows=[row[0] for row in page.items],
            counts=guest_services.counts(demo_day.id),
            answer=answer,
            kind=kind,
            answers=list(Rsvp),
            kinds=list(GuestKind),
            form=ConfirmForm(),
            **_frame(demo_day),
        )

    # The same for every staff member asking with the same filters in the same language: kept
    # as rendered until the demo day, a guest, its cohort or program changes, the invitation
    # form's token filled in for each viewer; a demo day that does not exist keeps nothing.
    return render_template(
        "demoday/guests/list.html",
        body=kept_body("demoday-guests", reads=LIST_READS, render=body, forms=True),
    )


@bp.route("/<int:demo_day_id>/guests/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def guest_new(demo_day_id: int):
    demo_day = _demo_day(demo_day_id)
    form = GuestForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            guest = guest_services.add_guest(demo_day, fields=form.fields(), actor=current_actor())
            db.session.commit()
            flash(_("%(name)s is on the guest list.", name=guest.name), "success")
            return _to_list(demo_day)
    return render_template("demoday/guests/form.html", form=form, guest=None, **_frame(demo_day))


@bp.route("/<int:demo_day_id>/guests/<int:guest_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def guest_edit(demo_day_id: int, guest_id: int):
    demo_day = _demo_day(demo_day_id)
    guest = _guest(demo_day, guest_id)
    form = GuestForm(obj=guest if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = guest.kind.value
    if form.validate_on_submit():
        with refusals_beside(form):
            guest_services.update_guest(guest, fields=form.fields(), actor=current_actor())
            db.session.commit()
            flash(_("%(name)s is saved.", name=guest.name), "success")
            return _to_list(demo_day)
    return render_template(
        "demoday/guests/form.html",
        form=form,
        guest=guest,
        confirm=ConfirmForm(),
        **_frame(demo_day),
    )


def _act(demo_day_id: int, guest_id: int):
    demo_day = _demo_day(demo_day_id)
    guest = _guest(demo_day, guest_id)
    refusal_page(url_for("demoday.guest_edit", demo_day_id=demo_day.id, guest_id=guest.id))
    if not ConfirmForm().validate_on_submit():
        flash(_("This form has expired. Try again."), "warning")
        return demo_day, guest, False
    return demo_day, guest, True


@bp.post("/<int:demo_day_id>/guests/<int:guest_id>/remove")
@role_required(Role.STAFF)
def guest_remove(demo_day_id: int, guest_id: int):
    demo_day, guest, ok = _act(demo_day_id, guest_id)
    if ok:
        name = guest.name
        promoted = guest_services.remove_guest(guest, actor=current_actor())
        db.session.commit()
        flash(_("%(name)s is off the guest list.", name=name), "success")
        if promoted:
            flash(
                ngettext(
                    "%(num)d guest from the waitlist got a seat.",
                    "%(num)d guests from the waitlist got a seat.",
                    len(promoted),
                ),
                "info",
            )
    return _to_list(demo_day)


@bp.post("/<int:demo_day_id>/guests/<int:guest_id>/renew")
@role_required(Role.STAFF)
def guest_renew(demo_day_id: int, guest_id: int):
    demo_day, guest, ok = _act(demo_day_id, guest_id)
    if ok:
        guest_services.renew_link(guest, demo_day, actor=current_actor())
        db.session.commit()
        flash(
            _("A new link was mailed to %(name)s; the old one no longer works.", name=guest.name),
            "success",
        )
    return redirect(url_for("demoday.guest_edit", demo_day_id=demo_day.id, guest_id=guest.id))


@bp.post("/<int:demo_day_id>/guests/<int:guest_id>/revoke")
@role_required(Role.STAFF)
def guest_revoke(demo_day_id: int, guest_id: int):
    demo_day, guest, ok = _act(demo_day_id, guest_id)
    if ok:
        guest_services.revoke_link(guest, actor=current_actor())
        db.session.commit()
        flash(_("%(name)s's link no longer works.", name=guest.name), "success")
    return redirect(url_for("demoday.guest_edit", demo_day_id=demo_day.id, guest_id=guest.id))


@bp.post("/<int:demo_day_id>/guests/invite")
@role_required(Role.STAFF)
def guests_invite(demo_day_id: int):
    """Invite the guests ticked (`guest` values), or every guest not invited yet (`all`)."""
    demo_day = _demo_day(demo_day_id)
    refusal_page(url_for("demoday.guests", demo_day_id=demo_day.id))
    if not ConfirmForm().validate_on_submit():
        flash(_("This form has expired. Try again."), "warning")
        return _to_list(demo_day)
    chosen = None
    if not request.form.get("all"):
        chosen = [int(v) for v in request.form.getlist("guest") if v.isdigit()][:5000]
        if not chosen:
            flash(_("Tick the guests to invite, or invite everyone not invited yet."), "warning")
            return _to_list(demo_day)
    count = guest_services.invite(demo_day, actor=current_actor(), guest_ids=chosen)
    db.session.commit()
    flash(
        ngettext("%(num)d guest invited.", "%(num)d guests invited.", count),
        "success",
    )
    return _to_list(demo_day)


@bp.route("/<int:demo_day_id>/guests/import", methods=["GET", "POST"])
@role_required(Role.STAFF)
def guests_import(demo_day_id: int):
    demo_day = _demo_day(demo_day_id)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        with refusals_beside(form):
            if upload is None or not getattr(upload, "filename", ""):
                raise ValidationFailed(_("Choose a CSV file."), field="file")
            try:
                data = read_limited(upload.stream, importing.MAX_BYTES)
            finally:
                upload.close()  # a large upload is a temporary file
            report = importing.import_guests(demo_day, data, actor=current_actor())
            db.session.commit()
            flash(
                _(
                    "Import done: %(created)d added, %(updated)d updated, "
                    "%(refused)d lines refused.",
                    created=report.created,
                    updated=report.updated,
                    refused=len(report.refused),
                ),
                "success" if not report.refused else "warning",
            )
            if not report.refused:
                return _to_list(demo_day)
            answered()  # the report of refused lines is the result
    return render_template(
        "demoday/guests/import.html", form=form, report=report, **_frame(demo_day)
    )
