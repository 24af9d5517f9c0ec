"""The tester's pages, through their personal link and without an account: the questionnaire
and its thank-you page, the data we keep and its erasure, leaving the panel.

The token in the URL is the credential (hashed at rest; the page never names another tester
nor anything of the startup but its name and what to test). Each page speaks the tester's
language (`?lang=` or the language switch first, then the one the panel has for them).

How long a link works:
* for answering, until the campaign closes or its last day ends (`services.check_link`), and
  while the tester is on the panel: closed, expired, unsubscribed or erased answers 410 Gone;
* for seeing one's data, erasing it and leaving the panel, until erased, and for
  KEPT_AFTER_CLOSE after the link stopped taking answers: a tester reads "unsubscribe" in a
  mail days after the test closed, and must still be heard; an old link forwarded or left in
  a mailbox does not show personal data for ever (the next invitation brings a new link).
An unknown or tampered token answers 404.

Leaving the panel is RFC 8058's one-click unsubscribe: a mail client POSTs
`List-Unsubscribe=One-Click` to the link with no CSRF token, so that endpoint is exempt (the
token is the authentication; a GET only shows the button: mail scanners follow links).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, make_response, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.core.errors import Invalid, InvalidState
from accelerator.core.i18n import gettext as _
from accelerator.core.refusals import answered, refusals_beside
from accelerator.core.tokens import hash_token
from accelerator.core.types import utcnow
from accelerator.extensions import csrf, db
from accelerator.testers import bp, services
from accelerator.testers.models import Campaign, CampaignInvitation, Response, Tester
from accelerator.testers.tester_forms import LinkActForm, questionnaire_form

#: How long after it stops taking answers a link still opens the tester's data and unsubscribe.
KEPT_AFTER_CLOSE = timedelta(days=90)
GONE = 410
ONE_CLICK = "One-Click"


@dataclass(frozen=True)
class Link:
    """What a personal link opens: the invitation, its campaign, the tester, the startup name."""

    token: str
    invitation: CampaignInvitation
    campaign: Campaign
    tester: Tester
    startup_name: str


def _load(token: str) -> Link | None:
    """The link's invitation with its campaign, tester and startup name (one statement)."""
    if not token or len(token) > 100:
        return None
    row = db.session.execute(
        select(CampaignInvitation, Campaign, Tester, Startup.name)
        .join(Campaign, Campaign.id == CampaignInvitation.campaign_id)
        .join(Tester, Tester.id == CampaignInvitation.tester_id)
        .join(Startup, Startup.id == Campaign.startup_id)
        .where(CampaignInvitation.token_hash == hash_token(token))
    ).first()
    return Link(token, *row) if row is not None else None


def _language(link: Link | None) -> str:
    """`?lang=`, else the language switch's choice, else the tester's, else the app's."""
    languages = current_app.config["LANGUAGES"]
    tester_language = (link.tester.language or "")[:2].lower() if link else None
    for wanted in (request.args.get("lang"), session.get("language"), tester_language):
        if wanted in languages:
            return wanted
    return str(get_locale())


def tester_page(view):
    """Load the link, answer in the tester's language, and keep the page private: never
    cached (personal data), never sent as a Referer (the token), never indexed."""

    @functools.wraps(view)
    def wrapper(token: str):
        link = _load(token)
        language = _language(link)
        with force_locale(language):
            response = make_response(view(token, link))
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex"
        return response

    return wrapper


def _lang() -> str | None:
    """The `?lang=` to carry on the page's links and forms (None: not asked)."""
    asked = request.args.get("lang")
    return asked if asked in current_app.config["LANGUAGES"] else None


def _gone(status: int, message: str):
    return render_template("testers/tester/link.html", status=status, message=message), status


def _not_valid():
    return _gone(
        404,
        _(
            "This link is not valid. Check that it was copied whole; if we sent you a "
            "reminder, use the link in our latest mail."
        ),
    )


def _own_data_refused(link: Link | None, now: datetime):
    """Why the link no longer opens the tester's data and unsubscribe, or None."""
    if link is None:
        return _not_valid()
    if link.tester.erased_at is not None or link.invitation.revoked_at is not None:
        return _gone(GONE, _("This link no longer works: the data behind it was erased."))
    if now >= link.invitation.expires_at + KEPT_AFTER_CLOSE:
        return _gone(
            GONE,
            _("This link has expired. A new invitation from the panel brings a new link."),
        )
    return None


def _answering_refused(link: Link | None, now: datetime):
    """Why the link no longer takes answers, or None."""
    refused = _own_data_refused(link, now)
    if refused is not None:
        return refused
    if link.tester.opted_out_at is not None:
        return _gone(GONE, _("You left the panel: this link no longer takes answers."))
    try:
        services.check_link(link.invitation, now=now)
    except Invalid:
        return _not_valid()
    except InvalidState as error:
        return _gone(GONE, error.message)
    return None


def _saved(link: Link) -> Response | None:
    return db.session.scalar(select(Response).where(Response.invitation_id == link.invitation.id))


@bp.route("/t/<token>", methods=["GET", "POST"])
@tester_page
def answer(token: str, link: Link | None):
    refused = _answering_refused(link, utcnow())
    if refused is not None:
        return refused
    saved = _saved(link)
    form = questionnaire_form(
        link.campaign,
        startup_name=link.startup_name,
        saved=saved if request.method == "GET" else None,
    )
    if form.validate_on_submit():
        with refusals_beside(form):
            services.submit_response(
                link.invitation,
                sus=form.sus_answers(),
                nps=form.nps_answer(),
                answers=form.own_answers(),
            )
            db.session.commit()
            return redirect(url_for("testers.thanks", token=token, lang=_lang()))
    return render_template(
        "testers/tester/answer.html", link=link, form=form, saved=saved, lang=_lang()
    )


@bp.get("/t/<token>/thanks")
@tester_page
def thanks(token: str, link: Link | None):
    now = utcnow()
    refused = _own_data_refused(link, now)
    if refused is not None:
        return refused
    if link.invitation.responded_at is None:
        return redirect(url_for("testers.answer", token=token, lang=_lang()))
    still_open = _answering_refused(link, now) is None
    return render_template(
        "testers/tester/thanks.html", link=link, still_open=still_open, lang=_lang()
    )


def _invitations_of(tester: Tester) -> list:
    """The campaigns the tester was invited to: title, startup, when, whether they answered."""
    return db.session.execute(
        select(
            Campaign.title,
            Startup.name.label("startup_name"),
            CampaignInvitation.invited_at,
            CampaignInvitation.responded_at,
        )
        .join(Campaign, Campaign.id == CampaignInvitation.campaign_id)
        .join(Startup, Startup.id == Campaign.startup_id)
        .where(CampaignInvitation.tester_id == tester.id)
        .order_by(CampaignInvitation.invited_at.desc(), CampaignInvitation.id.desc())
    ).all()


@bp.get("/t/<token>/data")
@tester_page
def data(token: str, link: Link | None):
    refused = _own_data_refused(link, utcnow())
    if refused is not None:
        return refused
    return render_template(
        "testers/tester/data.html",
        link=link,
        tester=link.tester,
        invitations=_invitations_of(link.tester),
        form=LinkActForm(),
        lang=_lang(),
    )


@bp.post("/t/<token>/erase")
@tester_page
def erase(token: str, link: Link | None):
    refused = _own_data_refused(link, utcnow())
    if refused is not None:
        return refused
    if not LinkActForm().validate_on_submit():
        return redirect(url_for("testers.data", token=token, lang=_lang()))
    services.erase_tester(link.tester)
    db.session.commit()
    answered()
    return render_template("testers/tester/erased.html", lang=_lang())


@bp.route("/t/<token>/unsubscribe", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients post without a CSRF token; the token is the credential
@tester_page
def unsubscribe(token: str, link: Link | None):
    refused = _own_data_refused(link, utcnow())
    if refused is not None:
        return refused
    if request.method == "GET":
        return render_template(
            "testers/tester/unsubscribe.html", link=link, form=LinkActForm(), lang=_lang()
        )
    services.unsubscribe(link.invitation)
    db.session.commit()
    answered()
    if request.form.get("List-Unsubscribe") == ONE_CLICK:
        return (
            _("You left the panel: you will receive nothing more from it."),
            200,
            {"Content-Type": "text/plain; charset=utf-8"},
        )
    return render_template("testers/tester/left.html", link=link, lang=_lang())
