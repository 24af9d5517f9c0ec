"""How the tester panel's audit actions read as sentences (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, says

_ACTIONS: dict[str, Sentence] = {
    "campaign.requested": says(
        _l("%(who)s asked for a test with the panel, “%(title)s” (%(wanted)s responses)."),
        title="title",
        wanted="wanted",
    ),
    "campaign.updated": says(_l("%(who)s changed the test “%(title)s”."), title="title"),
    "campaign.approved": says(_l("%(who)s approved the test “%(title)s”."), title="title"),
    "campaign.declined": says(
        _l("%(who)s declined the test “%(title)s”. Reason: %(reason)s"),
        title="title",
        reason="reason",
    ),
    "campaign.wave_sent": says(
        _l("%(who)s invited %(invited)s testers to “%(title)s” (wave %(wave)s)."),
        title="title",
        invited="invited",
        wave="wave",
    ),
    "campaign.closed": says(_l("%(who)s closed the test “%(title)s”."), title="title"),
    "tester.unsubscribed": says(_l("A tester left the panel.")),
    "tester.erased": says(_l("A tester's data was erased.")),
    "testers.imported": says(
        _l("%(who)s imported the panel: %(created)s added, %(updated)s updated."),
        created="created",
        updated="updated",
    ),
}

SENTENCES = Sentences(_ACTIONS)
