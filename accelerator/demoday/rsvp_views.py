"""The guest's pages, by their personal link and without an account: the RSVP page (the
event's date and time with its zone, the venue, the online link; yes, maybe or no, plus-ones,
dietary needs) and the one-click unsubscribe from reminders.

The token in the URL is the credential (hashed at rest): the page shows this guest and the
event, never another guest. Unknown or tampered: 404; revoked or expired: 409; an answer
after the event has started: 409, the message on the page. Every role, signed in or not, gets
the same answer. Each page speaks the guest's language (`?lang=` first, then theirs).

Unsubscribing is RFC 8058's one-click: a mail client POSTs `List-Unsubscribe=One-Click` with
no CSRF token, so that endpoint is exempt (the token is the authentication); a GET only shows
the button (mail scanners follow links).
"""

from __future__ import annotations

import functools

from flask import current_app, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from sqlalchemy import select

from accelerator.core.errors import DomainError
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.i18n import ngettext
from accelerator.core.refusals import answered, note_refusal, refusals_beside
from accelerator.core.types import utcnow
from accelerator.demoday import bp, guests, links
from accelerator.demoday.guest_forms import RsvpForm
from accelerator.demoday.models import DemoDay, Guest, Rsvp
from accelerator.extensions import csrf, db
from accelerator.programs.models import Cohort
from accelerator.programs.queries import cohort_timezone

ONE_CLICK = "One-Click"


def _language(guest: Guest | None) -> str:
    languages = current_app.config["LANGUAGES"]
    for wanted in (request.args.get("lang"), (guest.locale or "")[:2] if guest else None):
        if wanted in languages:
            return wanted
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _lang() -> str | None:
    asked = request.args.get("lang")
    return asked if asked in current_app.config["LANGUAGES"] else None


def guest_page(view):
    """Find the link's guest (or say why not, 404/409), answer in their language, and keep
    the page private: never cached, never sent as a Referer, never indexed."""

    @functools.wraps(view)
    def wrapper(token: str):
        found = links.find(token)
        with force_locale(_language(found)):
            try:
                guest = links.guest_for(token)
            except DomainError as error:
                db.session.rollback()
                note_refusal(error)
                response = make_response(
                    render_template(
                        "demoday/rsvp/link.html", status=error.status, message=error.message
                    ),
                    error.status,
                )
            else:
                response = make_response(view(token, guest))
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex"
        return response

    return wrapper


def _event(guest: Guest) -> tuple[DemoDay, str, str]:
    demo_day = db.session.get(DemoDay, guest.demo_day_id)
    cohort_name = db.session.scalar(select(Cohort.name).where(Cohort.id == demo_day.cohort_id))
    return demo_day, cohort_name or "", cohort_timezone(demo_day.cohort_id)


@bp.route("/rsvp/<token>", methods=["GET", "POST"])
@guest_page
def rsvp(token: str, guest: Guest):
    demo_day, cohort_name, tz = _event(guest)
    now = utcnow()
    started = now >= demo_day.starts_at
    form = RsvpForm()
    # the cap stands beside the field it limits (not under the button)
    form.plus_ones.description = ngettext(
        "You may bring up to %(num)d person.",
        "You may bring up to %(num)d people.",
        demo_day.plus_ones_max,
    )
    if request.method == "GET":
        if guest.rsvp in guests.ANSWERS or guest.rsvp == Rsvp.WAITLISTED:
            form.answer.data = Rsvp.YES.value if guest.rsvp == Rsvp.WAITLISTED else guest.rsvp.value
        form.plus_ones.data = str(guest.plus_ones)
        form.dietary.data = guest.dietary
    if request.method == "POST":
        if started:
            note_refusal(status=409)
        elif form.validate_on_submit():
            with refusals_beside(form):
                outcome = guests.respond(
                    guest,
                    answer=form.answer.data,
                    plus_ones=form.plus_ones.data,
                    dietary=form.dietary.data,
                    now=now,
                )
                db.session.commit()
                return redirect(
                    url_for("demoday.rsvp", token=token, lang=_lang(), saved=outcome.rsvp.value)
                )
            db.session.rollback()
            guest = db.session.get(Guest, guest.id)
            demo_day = db.session.get(DemoDay, guest.demo_day_id)
    return render_template(
        "demoday/rsvp/page.html",
        guest=guest,
        demo_day=demo_day,
        cohort_name=cohort_name,
        tz=tz,
        form=form,
        started=started,
        saved=request.args.get("saved"),
        token=token,
        lang=_lang(),
    )


@bp.route("/rsvp/<token>/unsubscribe", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients post without a CSRF token; the token is the credential
@guest_page
def rsvp_unsubscribe(token: str, guest: Guest):
    if request.method == "GET":
        return render_template(
            "demoday/rsvp/unsubscribe.html",
            guest=guest,
            form=ConfirmForm(),
            token=token,
            lang=_lang(),
        )
    guests.unsubscribe(guest)
    db.session.commit()
    answered()
    if request.form.get("List-Unsubscribe") == ONE_CLICK:
        return (
            _("You will receive no more reminders about this demo day. Your answer stands."),
            200,
            {"Content-Type": "text/plain; charset=utf-8"},
        )
    return render_template(
        "demoday/rsvp/unsubscribe.html", guest=guest, form=None, token=token, lang=_lang()
    )
