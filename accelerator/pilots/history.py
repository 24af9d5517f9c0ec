"""How the pilots domain's audit actions read as sentences (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, says
from accelerator.core.i18n import gettext as _
from accelerator.core.money import format_cents

#: The words for a pilot's and a unit's fields, for "changed the scope and the budget".
FIELD_LABELS = {
    "title": _l("title"),
    "scope_in": _l("scope"),
    "scope_out": _l("what is out of scope"),
    "budget_cents": _l("budget"),
    "currency": _l("currency"),
    "starts_on": _l("start date"),
    "ends_on": _l("end date"),
    "decision_on": _l("decision date"),
    "owner_id": _l("owner"),
    "criteria": _l("success criteria"),
    "name": _l("name"),
    "country": _l("country"),
    "sponsor_name": _l("sponsor executive"),
    "sponsor_title": _l("sponsor's title"),
    "description": _l("description"),
    "staff_lead_id": _l("staff lead"),
}


def _fields(data: dict) -> str:
    return ", ".join(str(FIELD_LABELS.get(name, name)) for name in data.get("fields") or [])


def _with(text: str, data: dict, key: str, label) -> str:
    value = (data.get(key) or "").strip()
    return f"{text} {label % {'value': value}}" if value else text


def _reason(message) -> Sentence:
    said = says(message, startup="startup", unit="unit", title="title")
    return lambda who, d: _with(said(who, d), d, "reason", _l("Reason: %(value)s"))


def _updated(who: str, d: dict) -> str:
    text = _(
        "%(who)s changed the %(fields)s of the pilot “%(title)s”.",
        who=who,
        fields=_fields(d),
        title=d.get("title", ""),
    )
    if d.get("decision_on_to"):
        text += " " + _(
            "The decision is now due on %(date)s (it was %(before)s).",
            date=d["decision_on_to"],
            before=d.get("decision_on_from") or _("not set"),
        )
    return text


def _decided(who: str, d: dict) -> str:
    if d.get("decision") == "go":
        return _(
            "%(who)s recorded a go for the pilot “%(title)s” with %(unit)s: a contract worth "
            "%(value)s.",
            who=who,
            title=d.get("title", ""),
            unit=d.get("unit", ""),
            value=format_cents(d.get("contract_value_cents"), d.get("currency") or "EUR"),
        )
    return _with(
        _(
            "%(who)s recorded a no-go for the pilot “%(title)s” with %(unit)s.",
            who=who,
            title=d.get("title", ""),
            unit=d.get("unit", ""),
        ),
        d,
        "reason",
        _l("Reason: %(value)s"),
    )


_ACTIONS: dict[str, Sentence] = {
    "pilots.exported": says(
        _l("%(who)s downloaded the list of %(what)s (%(rows)s rows)."),
        what=lambda data: (
            _("introductions") if data.get("what") == "introductions" else _("pilots")
        ),
        rows="rows",
    ),
    "business_unit.created": says(_l("%(who)s added the business unit %(name)s."), name="name"),
    "business_unit.updated": lambda who, d: _(
        "%(who)s changed the %(fields)s of the business unit %(name)s.",
        who=who,
        fields=_fields(d),
        name=d.get("name", ""),
    ),
    "business_unit.partner_invited": says(
        _l("%(who)s invited %(email)s to join %(name)s as a partner."), email="email", name="name"
    ),
    "business_unit.partner_added": says(
        _l("%(who)s added %(partner)s to %(name)s as a partner."), partner="partner", name="name"
    ),
    "business_unit.partner_removed": says(
        _l("%(who)s took %(partner)s out of %(name)s."), partner="partner", name="name"
    ),
    "startup.partner_profile_changed": says(
        _l("%(who)s changed what business units see of the startup.")
    ),
    "introduction.requested": lambda who, d: _with(
        _(
            "%(who)s asked that %(startup)s and %(unit)s meet.",
            who=who,
            startup=d.get("startup", ""),
            unit=d.get("unit", ""),
        ),
        d,
        "reason",
        _l("Why: %(value)s"),
    ),
    "introduction.forwarded": says(
        _l("%(who)s forwarded the introduction of %(startup)s to %(unit)s."),
        startup="startup",
        unit="unit",
    ),
    "introduction.accepted": says(
        _l("%(who)s accepted the introduction of %(startup)s and %(unit)s."),
        startup="startup",
        unit="unit",
    ),
    "introduction.declined": _reason(
        _l("%(who)s declined the introduction of %(startup)s and %(unit)s.")
    ),
    "introduction.withdrawn": _reason(
        _l("%(who)s withdrew the request that %(startup)s and %(unit)s meet.")
    ),
    "pilot.created": says(
        _l("%(who)s opened the pilot “%(title)s” with %(unit)s, to be scoped."),
        title="title",
        unit="unit",
    ),
    "pilot.updated": _updated,
    "pilot.started": says(
        _l("%(who)s started the pilot “%(title)s” with %(unit)s."), title="title", unit="unit"
    ),
    "pilot.decided": _decided,
    "pilot.closed": says(
        _l("%(who)s closed the pilot “%(title)s” with %(unit)s and wrote down its lessons."),
        title="title",
        unit="unit",
    ),
    "pilot.stopped": _reason(_l("%(who)s stopped the pilot “%(title)s” with %(unit)s.")),
    "pilot.kpis_shared": says(
        _l("%(who)s shared the startup's latest figures with %(unit)s for “%(title)s”."),
        title="title",
        unit="unit",
    ),
    "pilot.kpis_unshared": says(
        _l("%(who)s stopped sharing the startup's figures with %(unit)s for “%(title)s”."),
        title="title",
        unit="unit",
    ),
}

SENTENCES = Sentences(_ACTIONS)
