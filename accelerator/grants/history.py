"""How the grant ledger's audit events read in a startup's history (core/history.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accelerator.core.history import Sentence, Sentences, says
from accelerator.core.i18n import gettext as _
from accelerator.core.money import format_cents


def _money(data: dict, key: str = "amount_cents") -> str:
    return format_cents(data.get(key), data.get("currency") or "USD")


def _tranche(data: dict) -> str:
    name = data.get("tranche_name") or data.get("tranche") or ""
    return str(name).replace("_", " ")


def _with_reason(text: str, data: dict, key: str = "reason") -> str:
    reason = (data.get(key) or "").strip()
    return _("%(sentence)s Reason: %(reason)s", sentence=text, reason=reason) if reason else text


def _paid(who: str, d: dict) -> str:
    text = _tranche_act(_l("%(who)s marked the %(tranche)s tranche paid, %(amount)s."))(who, d)
    if d.get("reference"):
        text += " " + _("Bank reference: %(reference)s.", reference=d["reference"])
    return text


def _tranche_act(text, *, reason: bool = False) -> Sentence:
    """The sentence of an act on a tranche: `text` (lazy) names who, the tranche and the
    amount; with `reason`, the reason given follows."""

    said = says(text, tranche=_tranche, amount=_money)

    def sentence(who: str, d: dict) -> str:
        return _with_reason(said(who, d), d) if reason else said(who, d)

    return sentence


_ACTIONS: dict[str, Sentence] = {
    "grant.disbursement_requested": _tranche_act(
        _l("%(who)s requested the %(tranche)s tranche, %(amount)s.")
    ),
    "grant.disbursement_approved": _tranche_act(
        _l("%(who)s approved the %(tranche)s tranche, %(amount)s.")
    ),
    "grant.disbursement_paid": _paid,
    "grant.disbursement_cancelled": _tranche_act(
        _l("%(who)s cancelled the %(tranche)s tranche, %(amount)s."), reason=True
    ),
    "grant.payment_corrected": _tranche_act(
        _l("%(who)s corrected a payment of the %(tranche)s tranche by %(amount)s."), reason=True
    ),
    "grant.amount_changed": lambda who, d: _with_reason(
        _(
            "%(who)s changed the grant from %(before)s to %(after)s.",
            who=who,
            before=_money(d, "from_cents"),
            after=_money(d, "to_cents"),
        ),
        d,
    ),
    "grant.ledger_exported": says(_l("%(who)s exported the grant ledger.")),
}

SENTENCES = Sentences(_ACTIONS)
