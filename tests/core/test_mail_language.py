"""Mail speaks its reader's language: the recipient's chosen one, whoever queues the mail (a
request in another language, a command without any), else the default."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accelerator.core.mail import queue_mail, recipient_locale
from accelerator.core.models import OutboxEmail
from accelerator.extensions import db
from accelerator.milestones.models import Cadence
from accelerator.milestones.periods import all_periods
from accelerator.programs.models import Cohort
from tests import factories

PACKAGE = Path(__file__).resolve().parents[2] / "accelerator"


def _person(locale: str | None, **kwargs):
    user = factories.make_user(**kwargs)
    user.locale = locale
    db.session.flush()
    return user


def _mail_to(address: str) -> list[OutboxEmail]:
    return list(
        db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.to == address).order_by(OutboxEmail.id)
        )
    )


def test_a_reminder_from_the_command_line_reads_in_each_founders_language(app, db):
    """The reminders run has no request and no user: each founder reads their own language."""
    french = _person("fr", role="founder", name="Françoise")
    english = _person("en", role="founder", name="Emma")
    enrollment = factories.make_enrolled(founders=[french, english])
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    weeks = all_periods(cohort.starts_on, cohort.ends_on, Cadence.WEEKLY)
    factories.make_checkin(enrollment, weeks[0].starts_on)  # week 2's is missing, week 3 runs
    when = datetime.combine(weeks[2].starts_on + timedelta(days=1), time(12), UTC)

    result = app.test_cli_runner().invoke(args=["reminders", "send", "--now", when.isoformat()])
    assert result.exit_code == 0, result.output

    period = weeks[1].starts_on.isoformat()
    (missing_fr,) = [m for m in _mail_to(french.email) if period in m.subject]
    assert missing_fr.subject == f"Votre point d’étape du {period} manque"
    assert missing_fr.body.startswith("Bonjour,")
    assert "Nous n’avons pas de point d’étape de" in missing_fr.body
    (missing_en,) = [m for m in _mail_to(english.email) if period in m.subject]
    assert missing_en.subject == f"Your check-in for {period} is missing"
    assert missing_en.body.startswith("Hello,")
    assert "We have no check-in from" in missing_en.body


def test_mail_queued_in_a_french_request_reads_in_the_recipients_language(app, db):
    english = _person("en", role="founder")
    french = _person("fr", role="founder")
    subject = _l("Reset your Accelerator password")
    context = {"user": {"name": "Ana"}, "link": "L", "minutes": 5}
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert str(get_locale()) == "fr"
        to_english = queue_mail(english.email, subject, "reset_password.txt", **context)
        to_french = queue_mail(french.email, subject, "reset_password.txt", **context)
        to_stranger = queue_mail("nobody@example.org", subject, "reset_password.txt", **context)
        # The request goes on in its own language.
        assert str(get_locale()) == "fr"
        assert (
            _("Reset your Accelerator password") == "Réinitialisez votre mot de passe Accelerator"
        )
    assert to_english.subject == "Reset your Accelerator password"
    assert to_english.body.startswith("Hello Ana,")
    assert to_french.subject == "Réinitialisez votre mot de passe Accelerator"
    assert to_french.body.startswith("Bonjour Ana,")
    # Without an account: the default language, not the language of whoever queued it.
    assert to_stranger.subject == "Reset your Accelerator password"


def test_a_page_in_french_mails_an_english_account_in_english(client, db):
    english = _person("en", role="founder", email="emma@example.org")
    client.post(
        "/password/forgot", data={"email": "Emma@Example.org"}, headers={"Accept-Language": "fr"}
    )
    (mail,) = _mail_to(english.email)
    assert mail.subject == "Reset your Accelerator password"


def test_the_recipients_language_is_their_choice_or_the_default(app, db):
    _person("fr", role="mentor", email="marc@example.org")
    _person(None, role="mentor", email="nina@example.org")
    _person("xx", role="mentor", email="odd@example.org")  # not a language of the app
    assert recipient_locale("marc@example.org") == "fr"
    assert recipient_locale(" Marc@Example.org ") == "fr"
    assert recipient_locale("nina@example.org") == app.config["BABEL_DEFAULT_LOCALE"]
    assert recipient_locale("odd@example.org") == app.config["BABEL_DEFAULT_LOCALE"]
    assert recipient_locale("nobody@example.org") == app.config["BABEL_DEFAULT_LOCALE"]


# The code: subjects are translated when the mail is queued, not before ----------------------


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE.parent), ast.parse(path.read_text(), filename=str(path))


def _eager_gettext_names(tree: ast.Module) -> set[str]:
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "flask_babel"
        for alias in node.names
        if alias.name in ("gettext", "ngettext", "_")
    }


def test_notify_modules_give_subjects_as_lazy_strings():
    """A notify module only says who hears what: its strings are subjects, so none is
    translated before queue_mail knows the reader (flask_babel.gettext is not imported)."""
    offenders = [
        str(name)
        for name, tree in _modules()
        if name.stem == "notify" or name.stem.endswith("_notify")
        if _eager_gettext_names(tree)
    ]
    assert offenders == []


def test_no_subject_is_translated_before_queue_mail():
    offenders = []
    for name, tree in _modules():
        eager = _eager_gettext_names(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "queue_mail"):
                continue
            subject = node.args[1] if len(node.args) > 1 else None
            subject = subject or next((k.value for k in node.keywords if k.arg == "subject"), None)
            for inner in ast.walk(subject) if subject is not None else ():
                if isinstance(inner, ast.Call) and getattr(inner.func, "id", None) in eager:
                    offenders.append(f"{name}:{node.lineno}")
    assert offenders == []
