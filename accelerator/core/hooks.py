"""Every extension point of the app, declared once: how a domain adds to what it does not own.

There is one idiom. A domain connects everything it adds to others in its own `hooks.py`
(imported last by its package's `__init__`), each with `hooks.<point>.connect(...)`:

    from accelerator.core import hooks

    hooks.home_staff.connect("grants/_home_staff.html", order=40, context=panels.staff_home)
    hooks.risk_rules.connect(risk_rules.missed_checkins, name="missed_checkins")
    hooks.enrollment_created.connect(_open_grant)

The three kinds of point:

* a **Slot** is a region of a page that several domains fill with partials (a role's home, the
  navigation, the cohort and startup pages); a template renders it with `render_slot(name)`.
* a **Registry** holds named entries that core runs or reads (at-risk rules, reminder senders,
  CLI commands, history sentences).
* a **signal** (blinker) announces an act inside its transaction; a subscriber's work is part
  of the same unit, and a subscriber that raises rolls the whole act back.

Connecting the same template, name or function again replaces it, so a re-imported module never
adds anything twice. Adding a domain touches its own package and the list of domains, nothing
else (docs/architecture.md, "How to add a domain").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from blinker import Namespace
from flask import current_app, render_template
from flask_login import current_user
from markupsafe import Markup

from accelerator.core.i18n import current_locale

#: A slot's context function gets the slot's keyword arguments and returns the partial's
#: variables, or None to leave the partial out (nothing to show, or not for this user).
ContextFunction = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Contribution:
    slot: str
    template: str
    order: int
    context: ContextFunction | None
    #: The tables the partial and its context read (models or names), for a page that keeps
    #: the slot's output by data version (core.cache): empty when nobody keeps it.
    reads: tuple = ()


class Slot:
    """A region of a page that several domains fill, each with a partial template."""

    def __init__(self, name: str, doc: str, *, kept: bool = False):
        self.name, self.__doc__, self.kept = name, doc, kept
        self._contributions: dict[str, Contribution] = {}

    def connect(
        self,
        template: str,
        *,
        order: int = 50,
        context: ContextFunction | None = None,
        reads: tuple = (),
    ) -> None:
        """Add `template`, ordered by `order` (then template name); `context` gives its
        variables from the slot's arguments, or None to leave it out. `reads` names the tables
        they read, where a page keeps the slot's output by data version (`reads()`)."""
        self._contributions[template] = Contribution(self.name, template, order, context, reads)

    def reads(self) -> tuple:
        """Every table the slot's contributions read: what a page keeping its output by data
        version (core.cache.kept_fragment) must name. In tests (CACHE_CHECK_READS) a
        contribution reading a table it does not name fails the page that keeps it."""
        return tuple(table for c in self._contributions.values() for table in c.reads)

    def contributions(self) -> list[Contribution]:
        """The slot's contributions in display order."""
        return sorted(self._contributions.values(), key=lambda c: (c.order, c.template))

    def render(self, **kwargs: Any) -> Markup:
        """Every contribution rendered with the slot's arguments and its context's variables
        (each by name, and all of them as `context`)."""
        shown: list[tuple[Contribution, dict[str, Any]]] = []
        for contribution in self.contributions():
            extra: dict[str, Any] = {}
            if contribution.context is not None:
                found = contribution.context(**kwargs)
                if found is None:
                    continue
                extra = found
            shown.append((contribution, {**kwargs, **extra}))
        kept = self._kept(shown)
        if kept is not None and kept[0] in kept[1]:
            return kept[1][kept[0]]
        parts = [render_template(c.template, context=v, **v) for c, v in shown]
        html = Markup("".join(parts))  # noqa: S704  (render_template's output is escaped HTML)
        if kept is not None:
            kept[1][kept[0]] = html
        return html

    def _kept(self, shown) -> tuple[tuple, dict] | None:
        """The key and store of a kept slot's output, or None when it is rendered every time.

        A kept slot's partials read only who is signed in (the role) and the language, so its
        output is kept per (slot, language, role, partials shown).
        """
        if not self.kept or any(variables for _c, variables in shown):
            return None
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        if app.debug or app.jinja_env.auto_reload and app.config.get("TEMPLATES_AUTO_RELOAD"):
            return None  # templates edited while the server runs show at once
        role = current_user.role.value if current_user.is_authenticated else None
        key = (self.name, str(current_locale()), role, tuple(c.template for c, _v in shown))
        return key, app.extensions.setdefault("accelerator.kept_slots", {})


class Registry:
    """Named entries that core runs or reads; each entry's name is unique in its registry."""

    def __init__(self, name: str, doc: str):
        self.name, self.__doc__ = name, doc
        self._entries: dict[str, Any] = {}
        self.version = 0  # moves on every change, for readers that build a lookup from entries

    def connect(self, entry: Any = None, *, name: str | None = None) -> Any:
        """Add `entry` under `name` (by default its own `name` or qualified name); usable as
        a decorator, with or without `name`."""
        if entry is None:
            return lambda found: self.connect(found, name=name)
        key = name or getattr(entry, "name", None) or f"{entry.__module__}.{entry.__qualname__}"
        self._entries[key] = entry
        self.version += 1
        return entry

    def entries(self) -> list[tuple[str, Any]]:
        """(name, entry) pairs in name order."""
        return sorted(self._entries.items(), key=lambda pair: pair[0])

    def names(self) -> list[str]:
        return sorted(self._entries)


def render_slot(name: str, **kwargs: Any) -> Markup:
    """Render the slot called `name` (a Jinja global); an unknown slot renders nothing."""
    slot = SLOTS.get(name)
    return slot.render(**kwargs) if slot is not None else Markup("")


# --- Page slots (templates: render_slot("<name>", **arguments)) ------------------------------

nav_public = Slot("nav.public", "Navigation links everyone sees. Arguments: none.", kept=True)
nav_member = Slot(
    "nav.member", "Navigation links for signed-in people. Arguments: none.", kept=True
)
nav_admin = Slot(
    "nav.admin",
    "Items of the staff's Admin menu (under their name): <li> dropdown items. Arguments: none.",
    kept=True,
)
nav_account = Slot(
    "nav.account",
    "Links in the signed-in person's menu, under their account. Arguments: none.",
    kept=True,
)
home_staff = Slot("home.staff", "A card on program staff's home. Arguments: user.")
home_founder = Slot("home.founder", "A card on a founder's home. Arguments: user.")
home_mentor = Slot("home.mentor", "A card on a mentor's home. Arguments: user.")
home_partner = Slot("home.partner", "A card on a business-unit partner's home. Arguments: user.")
cohort_staff = Slot("cohort.staff", "A section of the staff cohort page. Arguments: cohort.")
application_staff = Slot(
    "application.staff", "A section of an application's staff page. Arguments: application."
)
application_founder = Slot(
    "application.founder",
    "A section of the founder's application status page. Arguments: application.",
)
startup_staff = Slot("startup.staff", "A section of the staff startup page. Arguments: startup.")

#: The slots by the name templates render them with.
SLOTS: dict[str, Slot] = {
    slot.name: slot
    for slot in (
        nav_public,
        nav_member,
        nav_admin,
        nav_account,
        home_staff,
        home_founder,
        home_mentor,
        home_partner,
        cohort_staff,
        application_staff,
        application_founder,
        startup_staff,
    )
}

# --- Registries ------------------------------------------------------------------------------

risk_rules = Registry(
    "risk_rules",
    """At-risk rules, each flagging the startups of a cohort with reasons a person reads.

    rule(cohort_id: int, startup_ids: Sequence[int], now: datetime) -> {startup_id: [reason]}
    It answers for the whole cohort in a fixed number of queries; its name is the flag's rule.
    """,
)
reminders = Registry(
    "reminders",
    """Reminder senders run by `flask reminders send` (cron or any scheduler).

    sender(now: datetime) -> int queues the reminders due at `now` and returns how many; each
    sender guarantees its own once-only delivery, so the command may run often and in parallel.
    """,
)
cli_commands = Registry(
    "cli_commands",
    "Click commands or groups a domain adds to `flask` (e.g. `flask report ...`).",
)
demo_day = Registry(
    "demo_day",
    """Where a cohort's demo day is written down, for `programs.queries.demo_day` (every page
    that names demo day asks it).

    finder(cohort: Cohort) -> date | None: the day the domain sets (milestones: the due date of
    the cohort's Demo day milestone), or None. Without one, demo day is the cohort's last day.
    """,
)
history = Registry(
    "history",
    """How a domain's audit actions read as sentences: a `core.history.Sentences` each.

    Pages that show a history (an application's, a startup's, the audit log) know no domain.
    """,
)

mail_locales = Registry(
    "mail_locales",
    """Where the language a mail's recipient reads is found, for `core.mail.queue_mail`.

    finder(address: str) -> str | None: the language the person at `address` chose, or None
    when it does not know them. The first one of LANGUAGES found wins, else the default.
    """,
)

jobs = Registry(
    "jobs",
    """Kinds of long work the job queue runs (accelerator/jobs), each a `jobs.services.JobKind`
    under its name, e.g. "applications.import".

    kind.run(job: Job, progress: Progress) -> JobResult | None runs in a worker, in the language
    of the person who started it, inside one transaction that the queue commits with the job's
    "done": a job retried after a crash has the effect of one. It raises a domain error to fail
    with that message (no retry), anything else to be retried up to kind.max_attempts.
    """,
)

checkin_figures = Registry(
    "checkin_figures",
    """Figures a domain knows for a startup's check-in, offered as the form's first values
    (the founder may change them).

    finder(startup_id: int, cohort_id: int) -> {kpi field name: value}, e.g. the pilots
    domain's count of pilots with business units as {"pilots": 2}.
    """,
)

# --- Signals (sent inside the act's transaction) ---------------------------------------------

_signals = Namespace()

enrollment_created = _signals.signal("enrollment-created")
enrollment_created.__doc__ = """A startup was enrolled in a cohort.

sender: the new Enrollment (flushed, so it has an id); kwargs: actor (the acting User).
Subscribers open what an enrolled startup has: its grant, its milestones."""

invitation_accepted = _signals.signal("invitation-accepted")
invitation_accepted.__doc__ = """Someone accepted an invitation and has an account.

sender: the Invitation (accepted); kwargs: user (the new User). Subscribers give the new user
what the invitation promised beyond their role (a partner's business unit)."""

audit_recorded = _signals.signal("audit-recorded")
audit_recorded.__doc__ = """An act was written to the audit log (`core.audit.record`, and so
`record_new` and `record_removal`), inside the act's transaction.

sender: the action name (e.g. "application.decided"); kwargs: event (the AuditEvent, not yet
flushed), obj (the object the act was about, or None), actor (the acting User or None).
Subscribers see every act once, as it happens (webhooks turns some into deliveries); they must
be cheap for the actions they do not want (a dictionary lookup, no query)."""
