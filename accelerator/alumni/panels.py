"""The context functions of the cards the alumni domain adds to other pages (hooks.py)."""

from __future__ import annotations

from flask_login import current_user

from accelerator.alumni import queries
from accelerator.applications.queries import founder_startup_id


def startup_staff(startup):
    """The startup's timeline after each program it completed; None when it is no alumnus."""
    if not current_user.is_authenticated or not current_user.is_staff:
        return None
    stories = queries.timeline(startup.id)
    if not stories:
        return None
    return {"stories": stories, "startup_id": startup.id}


def founder_home(user):
    """The alumni card: the surveys awaiting the startup's answer, else (for an alumnus) a
    link to its page after the program (timeline, public listing); None for a startup that
    has not completed a program."""
    startup_id = founder_startup_id(user)
    if startup_id is None:
        return None
    waiting = queries.waiting_surveys(startup_id)
    if not waiting and not queries.is_alumnus(startup_id):
        return None
    return {"waiting": waiting, "startup_id": startup_id}


#: What the founder home's card reads (table names): a committed write there renews the
#: startup's kept home (site.views).
FOUNDER_HOME_READS = ("alumni", "alumni_surveys", "cohorts", "programs")
