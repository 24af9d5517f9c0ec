"""How jobs' audit actions read in the audit log (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentences, says
from accelerator.core.i18n import gettext as _
from accelerator.jobs.services import label_of_kind


def _what(data: dict) -> str:
    return label_of_kind(data.get("kind") or "")


SENTENCES = Sentences(
    {
        "job.started": says(
            _l("%(who)s started a job: %(what)s (%(subject)s)."), what=_what, subject="subject"
        ),
        "job.retried": says(
            _l("%(who)s started a failed job again: %(what)s (%(subject)s)."),
            what=_what,
            subject="subject",
        ),
        "job.finished": lambda _who, d: _(
            "A job finished: %(what)s (%(subject)s).", what=_what(d), subject=d.get("subject", "")
        ),
        "job.failed": lambda _who, d: _(
            "A job failed: %(what)s (%(subject)s). %(error)s",
            what=_what(d),
            subject=d.get("subject", ""),
            error=d.get("error", ""),
        ),
    }
)
