"""After a demo day: the guest's interest page (by their personal link), the founders' view of
who asked for their startup, the staff list of asks where introductions are recorded, and the
report. Rules in `interest` and `report`."""

from __future__ import annotations

import functools
from types import SimpleNamespace

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_startup_id
from accelerator.core.errors import NotFound
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate_read
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.core.refusals import refusals_beside
from accelerator.demoday import bp, interest, links, report
from accelerator.demoday.models import DemoDay, Guest, Interest, Rsvp
from accelerator.extensions import db
from accelerator.programs.models import Cohort
from accelerator.programs.queries import cohort_timezone


class GuestInterestForm(FlaskForm):
    """Only its CSRF token: the ticks and notes are one pair of fields per startup
    (`want_<id>`, `note_<id>`), read from the request."""


class IntroductionForm(FlaskForm):
    note = TextAreaField(
        _l("How you introduced them (optional)"),
        validators=[Optional(), Length(max=interest.INTRODUCTION_NOTE_MAX_CHARS)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Introduction made"))


# --- The guest, by their link ---------------------------------------------------------------


def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _language(guest) -> str:
    """The language switch's choice, else the guest's, else the app's."""
    languages = current_app.config["LANGUAGES"]
    for wanted in (session.get("language"), guest.locale[:2] if guest is not None else None):
        if wanted in languages:
            return wanted
    return str(get_locale())


def guest_page(view):
    """Find the guest by link (404 unknown, 409 revoked or expired), answer in their language,
    keep the page private (never cached, never sent as a Referer, never indexed)."""

    @functools.wraps(view)
    def wrapper(token: str):
        guest = links.find(token)
        with force_locale(_language(guest)):
            guest = links.guest_for(token)
            return _private(make_response(view(token, guest)))

    return wrapper


@bp.route("/rsvp/<token>/interest", methods=["GET", "POST"])
@guest_page
def guest_interest(token: str, guest):
    """The startups that pitched, each with "I'd like an introduction" and a short note; from
    the start of the event (409 before)."""
    demo_day = db.session.get(DemoDay, guest.demo_day_id)
    interest.interest_open(demo_day)
    pitched = interest.pitched_startups(demo_day.id)
    form = GuestInterestForm()
    fields = {f"note_{p.startup_id}": SimpleNamespace(errors=[]) for p in pitched}
    typed = None
    if form.validate_on_submit():
        choices = {
            p.startup_id: (
                bool(request.form.get(f"want_{p.startup_id}")),
                request.form.get(f"note_{p.startup_id}", ""),
            )
            for p in pitched
        }
        with refusals_beside(SimpleNamespace(**fields)):
            asked, withdrawn = interest.save_choices(guest, demo_day, choices)
            db.session.commit()
            if asked or withdrawn:
                flash(_("Saved. The program team will be in touch."), "success")
            else:
                flash(_("Saved."), "success")
            return redirect(url_for("demoday.guest_interest", token=token))
        typed = choices
    return render_template(
        "demoday/followup/guest_interest.html",
        guest=guest,
        demo_day=demo_day,
        cohort=db.session.get(Cohort, demo_day.cohort_id),
        pitched=pitched,
        mine=interest.guest_interests(guest),
        typed=typed,
        fields=fields,
        form=form,
        token=token,
        note_max=interest.NOTE_MAX_CHARS,
    )


# --- Founders -------------------------------------------------------------------------------


@bp.get("/interest")
@role_required(Role.FOUNDER)
def founder_interest():
    """Who asked for an introduction to the founder's startup: name and firm, and whether
    staff introduced them (never the guest's e-mail)."""
    startup_id = founder_startup_id(current_user)
    startup = db.session.get(Startup, startup_id) if startup_id is not None else None
    page = None
    if startup is not None:
        page = paginate_read(
            lambda offset, limit: interest.founder_view(startup.id, limit=limit, offset=offset),
            interest.founder_count_statement(startup.id),
        )
    return render_template("demoday/followup/founder_interest.html", startup=startup, page=page)


# --- Staff ----------------------------------------------------------------------------------


def _demo_day(demo_day_id: int) -> tuple[DemoDay, Cohort]:
    demo_day = get_or_404(DemoDay, demo_day_id)
    return demo_day, db.session.get(Cohort, demo_day.cohort_id)


def render_interest_page(demo_day: DemoDay, cohort: Cohort, bound_id=None, bound_form=None):
    groups = interest.staff_view(demo_day.id)
    return render_template(
        "demoday/followup/interest.html",
        demo_day=demo_day,
        cohort=cohort,
        groups=groups,
        timezone=cohort_timezone(demo_day.cohort_id),
        new_form=IntroductionForm,
        bound_id=bound_id,
        bound_form=bound_form,
    )


@bp.get("/<int:demo_day_id>/interest")
@role_required(Role.STAFF)
def interest_list(demo_day_id: int):
    """Every ask of the demo day by startup, with the guest's e-mail, and the introductions."""
    demo_day, cohort = _demo_day(demo_day_id)
    return render_interest_page(demo_day, cohort)


@bp.post("/<int:demo_day_id>/interest/<int:interest_id>/introduce")
@role_required(Role.STAFF)
def record_introduction(demo_day_id: int, interest_id: int):
    """Record the introduction made; the startup's founders are mailed."""
    demo_day, cohort = _demo_day(demo_day_id)
    found = get_or_404(Interest, interest_id)
    if db.session.get(Guest, found.guest_id).demo_day_id != demo_day.id:
        raise NotFound(_("No such ask at this demo day."))
    form = IntroductionForm()
    if form.validate_on_submit():
        with refusals_beside(form):
            interest.record_introduction(found, actor=current_actor(), note=form.note.data)
            db.session.commit()
            flash(_("Introduction recorded. The founders were told."), "success")
            return redirect(
                url_for("demoday.interest_list", demo_day_id=demo_day.id) + f"#interest-{found.id}"
            )
    return render_interest_page(demo_day, cohort, bound_id=found.id, bound_form=form)


@bp.get("/<int:demo_day_id>/report")
@role_required(Role.STAFF)
def report_page(demo_day_id: int):
    """Answers, attendance and interest per startup."""
    demo_day, cohort = _demo_day(demo_day_id)
    return render_template(
        "demoday/followup/report.html",
        report=report.build(demo_day),
        demo_day=demo_day,
        cohort=cohort,
        rsvps=list(Rsvp),
    )
