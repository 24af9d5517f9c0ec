"""Staff pages of the decision: ranking, export, decisions, waitlist promotion, expiry."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import joinedload, load_only

from accelerator.applications.models import Application, Startup
from accelerator.auth.models import Role
from accelerator.core.cache import kept_body
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.permissions import current_actor, get_or_404, role_required
from accelerator.core.refusals import refusal_page, refusals_beside
from accelerator.core.spreadsheets import download
from accelerator.core.types import utcnow
from accelerator.extensions import db
from accelerator.programs.models import Cohort, Program
from accelerator.reviews import bp, queries, ranking, scoreboard, services
from accelerator.reviews.forms import DecisionForm
from accelerator.reviews.models import ApplicationScore, Offer, RankingState, feedback_label
from accelerator.reviews.scoring import criteria_of

_COHORT = [joinedload(Cohort.program)]


#: What the ranking's table reads (the stored ranking, its applications and startups, the
#: places held; the cohort's capacity): a committed write to any of them renews it.
RANKING_READS = (ApplicationScore, Application, Startup, Offer, Cohort)


@bp.route("/reviews/cohorts/<int:cohort_id>/ranking")
@role_required(Role.STAFF)
def ranking_page(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id, options=_COHORT)
    sort = request.args.get("sort", "rank")
    sort = sort if sort in ranking.SORT_KEYS else "rank"
    descending = request.args.get("dir", "desc" if sort != "rank" else "asc") == "desc"
    # Writes (recomputes and commits the stored ranking when a review changed): on every view,
    # before the table is looked up, so that a recompute renews the table kept below.
    scoreboard.commit_refresh(cohort)

    def body() -> str:
        page = scoreboard.ranking_page(cohort, sort=sort, descending=descending)
        return render_template(
            "reviews/_ranking_body.html",
            cohort=cohort,
            page=page,
            items=page.items,
            sort=sort,
            descending=descending,
            threshold=ranking.disagreement_threshold(),
            places=queries.places_taken(cohort.id),
        )

    # The table is the same for every staff member asking with the same sort and page ("Decide"
    # shows by the application's stage): kept as rendered until the stored ranking, an
    # application, a startup, an offer or the cohort changes. The heading (its phase badge
    # moves with the clock) is rendered on each view.
    return render_template(
        "reviews/ranking.html",
        cohort=cohort,
        body=kept_body("reviews-ranking", reads=RANKING_READS, render=body),
    )


@bp.route("/reviews/cohorts/<int:cohort_id>/ranking.<any(csv, xlsx):fmt>")
@role_required(Role.STAFF)
def export(cohort_id: int, fmt: str):
    cohort = get_or_404(Cohort, cohort_id)
    body = ranking.export_csv(cohort) if fmt == "csv" else ranking.export_xlsx(cohort)
    return download(body, fmt, f"ranking-cohort-{cohort.id}.{fmt}")


#: What the decisions page's places, waitlist and offers read (the offers with their
#: applications and startups, the waitlist in the stored ranking's order; the cohort's capacity
#: and its program's timezone): a committed write to any of them renews it.
DECISIONS_READS = (
    Offer,
    Application,
    Startup,
    ApplicationScore,
    RankingState,
    Cohort,
    Program,
)


@bp.route("/reviews/cohorts/<int:cohort_id>/decisions")
@role_required(Role.STAFF)
def decisions_page(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id, options=_COHORT)
    scoreboard.commit_refresh(cohort)  # writes: before the kept content is looked up
    now = utcnow()
    confirm_form = ConfirmForm()

    def body() -> str:
        offers = queries.offers_of(cohort.id)
        return render_template(
            "reviews/_decisions_body.html",
            cohort=cohort,
            offers=offers,
            waitlist=queries.waitlist(cohort),
            places=queries.places_taken(cohort.id),
            overdue=[offer for offer in offers if offer.is_overdue(now)],
            confirm_form=confirm_form,
        )

    # The same for every staff member while no offer passes its deadline: kept as rendered
    # (its buttons' token filled in for each viewer) under the number of offers
    # overdue now, until an offer, an application, a startup, the stored ranking, the cohort
    # or its program changes. The heading (its phase badge moves with the clock) is rendered
    # on each view.
    kept = kept_body(
        "reviews-decisions",
        reads=DECISIONS_READS,
        render=body,
        key=queries.overdue_count(cohort.id, now),
        forms=True,
    )
    return render_template("reviews/decisions.html", cohort=cohort, body=kept)


def load_application(application_id: int, policy=None) -> Application:
    return get_or_404(
        Application,
        application_id,
        policy=policy,
        options=[
            joinedload(Application.startup),
            joinedload(Application.cohort).joinedload(Cohort.program),
        ],
    )


#: What the decision dialog reads below its breadcrumb (the application's line of the stored
#: ranking, its startup, the places held, the cohort's capacity): a write to any renews it.
DECIDE_READS = RANKING_READS
#: Its GET shows the application's status and the startup's name: it loads those columns, not
#: the application's answers or the startup's profile (a POST loads the whole application).
_DIALOG = [
    load_only(Application.status, Application.startup_id, Application.cohort_id),
    joinedload(Application.startup).load_only(Startup.name),
    joinedload(Application.cohort).joinedload(Cohort.program),
]


@bp.route("/reviews/applications/<int:application_id>/decide", methods=["GET", "POST"])
@role_required(Role.STAFF)
def decide(application_id: int):
    if request.method == "GET":
        application = get_or_404(Application, application_id, options=_DIALOG)
    else:
        application = load_application(application_id)
    form = DecisionForm()
    if form.validate_on_submit():
        with refusals_beside(form):  # a refused decision has changed nothing
            services.decide(
                application, actor=current_actor(), outcome=form.outcome.data, note=form.note.data
            )
            flash(
                _(
                    "Decision recorded for %(startup)s; the startup is told by email.",
                    startup=application.startup.name,
                ),
                "success",
            )
            db.session.commit()
            return redirect(url_for("reviews.decisions_page", cohort_id=application.cohort_id))
    scoreboard.commit_refresh(application.cohort)  # writes: before the kept dialog is looked up

    def body() -> str:
        return render_template(
            "reviews/_decide_body.html",
            application=application,
            cohort=application.cohort,
            form=form,
            item=scoreboard.item_for(application),
            places=queries.places_taken(application.cohort_id),
        )

    # The same for every staff member: kept as rendered (its form's token filled in for each
    # viewer) until the stored ranking, an application, a startup, an offer or the cohort
    # changes. A refused or invalid decision comes back with its errors and what was typed,
    # rendered for its sender alone (a POST is never kept).
    kept = kept_body("reviews-decide", reads=DECIDE_READS, render=body, forms=True)
    return render_template(
        "reviews/decide.html", application=application, cohort=application.cohort, body=kept
    )


@bp.route("/reviews/cohorts/<int:cohort_id>/promote", methods=["POST"])
@role_required(Role.STAFF)
def promote(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    refusal_page(url_for("reviews.decisions_page", cohort_id=cohort.id))
    if ConfirmForm().validate_on_submit():
        decision = services.promote_next(cohort, actor=current_actor())
        db.session.commit()
        flash(
            _(
                "A place is offered to %(startup)s, the best-ranked on the waitlist.",
                startup=load_application(decision.application_id).startup.name,
            ),
            "success",
        )
    return redirect(url_for("reviews.decisions_page", cohort_id=cohort.id))


@bp.route("/reviews/cohorts/<int:cohort_id>/expire", methods=["POST"])
@role_required(Role.STAFF)
def expire(cohort_id: int):
    cohort = get_or_404(Cohort, cohort_id)
    if ConfirmForm().validate_on_submit():
        expired = services.expire_offers(actor=current_actor(), cohort=cohort)
        db.session.commit()
        flash(
            _(
                "%(count)d expired offer(s) marked as declined; their places are free.",
                count=len(expired),
            ),
            "info",
        )
    return redirect(url_for("reviews.decisions_page", cohort_id=cohort.id))


@bp.route("/reviews/applications/<int:application_id>")
@role_required(Role.STAFF)
def application_reviews(application_id: int):
    application = load_application(application_id)
    scoreboard.commit_refresh(application.cohort)
    return render_template(
        "reviews/application.html",
        application=application,
        cohort=application.cohort,
        assignments=queries.assignments_of(application.id),
        history=queries.decisions_on(application.id),
        item=scoreboard.item_for(application),
        criteria=criteria_of(application.cohort),
        feedback_label=feedback_label,
        full_url=url_for("applications.show", application_id=application.id)
        if "applications.show" in current_app.view_functions
        else None,
    )
