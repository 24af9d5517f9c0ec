"""The context functions of the cards the pilots domain adds to other pages (hooks.py)."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from sqlalchemy import select

from accelerator.applications.models import Startup
from accelerator.applications.queries import founder_startup_id, startup_timezone, timezone_of
from accelerator.auth.models import User
from accelerator.core.cache import kept_fragment
from accelerator.core.timeutil import local_today
from accelerator.extensions import db
from accelerator.pilots import board, queries
from accelerator.pilots.models import (
    BusinessUnit,
    Introduction,
    IntroductionStatus,
    Pilot,
    PilotStatus,
)
from accelerator.programs.models import Cohort, Program

# --- Staff: home card, cohort page, startup page (owned by the staff-pages work) -------------

#: The introductions and pilots a staff card names before its link to the whole list.
STAFF_CARD_ROWS = 5


def staff_home(user):
    """Introductions awaiting staff and pilots overdue for decision, or None when neither."""
    awaiting, awaiting_count = board.introduction_list(status=IntroductionStatus.REQUESTED)
    awaiting_total = db.session.scalar(awaiting_count) or 0
    overdue, overdue_count = board.pilot_list(board.BoardFilters(overdue_only=True))
    overdue_total = db.session.scalar(overdue_count) or 0
    if not awaiting_total and not overdue_total:
        return None
    return {
        "awaiting": board.introduction_rows(awaiting, STAFF_CARD_ROWS) if awaiting_total else [],
        "awaiting_total": awaiting_total,
        "overdue": board.pilot_cards(overdue, STAFF_CARD_ROWS) if overdue_total else [],
        "overdue_total": overdue_total,
    }


def cohort_staff(cohort):
    """The cohort's pilots by state and those overdue for decision; None when its program has
    no business unit."""
    has_units = db.session.scalar(
        select(BusinessUnit.id).where(BusinessUnit.program_id == cohort.program_id).limit(1)
    )
    if has_units is None:
        return None
    # Every pilot shown is the cohort's: overdue on its program's today (board.overdue_condition
    # for one program, without reading every program's zone).
    overdue = Pilot.overdue_on(local_today(timezone_of(cohort)))
    in_cohort = board.BoardFilters(cohort_id=cohort.id)
    overdue_rows, _count = board.pilot_list(
        board.BoardFilters(cohort_id=cohort.id, overdue_only=True), overdue
    )
    return {
        "pilot_counts": board.pilot_status_counts(in_cohort, overdue),
        "statuses": list(PilotStatus),
        "overdue": board.pilot_cards(overdue_rows, 20),
        "introduction_counts": board.introduction_status_counts(cohort_id=cohort.id),
    }


def startup_staff(startup):
    """The startup's introductions and pilots, and where staff ask on its behalf; None when
    it has neither and nowhere to ask."""
    introductions, _count = board.introduction_list(startup_id=startup.id)
    pilots, _count = board.pilot_list(board.BoardFilters(startup_id=startup.id))
    ask = "pilots.ask_introduction" in current_app.view_functions
    found = {
        "introductions": board.introduction_rows(introductions, 50),
        "pilots": board.pilot_cards(pilots, 50),
        "ask_url": url_for("pilots.ask_introduction", startup_id=startup.id) if ask else None,
    }
    return found if any(found.values()) else None


# --- Founder and partner: home cards (owned by the introduction-pages work) ------------------


def founder_home(user):
    """The founder's startup's introductions and pilots and the units it may ask; None when
    it is in no program with business units and has nothing to show."""
    startup_id = founder_startup_id(user)
    if startup_id is None:
        return None
    home = queries.founder_home(startup_id)
    if not (home.units or home.introductions.total or home.pilots.total):
        return None
    return {"home": home, "startup_id": startup_id, "timezone": startup_timezone(startup_id)}


#: What a partner's card of their unit reads (its introductions and pilots with their startups,
#: owners, cohorts and programs, and each program's today): a committed write renews it.
PARTNER_HOME_READS = (Introduction, Pilot, Startup, BusinessUnit, User, Cohort, Program)


def partner_home(user):
    """The partner's unit with its introductions and pilots (`card`); `home` None for a partner
    whom staff have not yet added to a unit (the card says to ask them)."""
    unit = queries.partner_unit(user)
    if unit is None:
        return {"home": None}

    def card() -> str:
        return render_template(
            "pilots/_home_partner_unit.html",
            home=queries.partner_home(unit),
            timezone=timezone_of(unit),
        )

    # The same for every partner of the unit (it names nobody who looks, and its links are
    # the same for each): kept as rendered on each program's today (its "overdue"), until an
    # introduction, a pilot, a startup, a unit, a user, a cohort or a program changes.
    kept = kept_fragment(
        "partner-home-unit",
        (unit.id, board.program_days()),
        reads=PARTNER_HOME_READS,
        render=card,
    )
    return {"home": unit, "card": kept}


# --- Pilots on others' pages (owned by the pilot-pages work) ----------------------------------


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = (
    "introductions",
    "pilots",
    "business_units",
    "startups",
    "users",
    "cohorts",
    "enrollments",
    "programs",
)
