"""How the grant ledger's audit events read in a startup's history (core/history.py)."""

from __future__ import annotations

from flask_babel import gettext as _

from accelerator.core.history import Sentence, Sentences
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
    text = _(
        "%(who)s marked the %(tranche)s tranche paid, %(amount)s.",
        who=who,
        tranche=_tranche(d),
        amount=_money(d),
    )
    if d.get("reference"):
        text += " " + _("Bank reference: %(reference)s.", reference=d["reference"])
    return text


_ACTIONS: dict[str, Sentence] = {}

_ACTIONS.update(
    {
        "grant.disbursement_requested": lambda who, d: _(
            "%(who)s requested the %(tranche)s tranche, %(amount)s.",
            who=who,
            tranche=_tranche(d),
            amount=_money(d),
        ),
        "grant.disbursement_approved": lambda who, d: _(
            "%(who)s approved the %(tranche)s tranche, %(amount)s.",
            who=who,
            tranche=_tranche(d),
            amount=_money(d),
        ),
        "grant.disbursement_paid": _paid,
        "grant.disbursement_cancelled": lambda who, d: _with_reason(
            _(
                "%(who)s cancelled the %(tranche)s tranche, %(amount)s.",
                who=who,
                tranche=_tranche(d),
                amount=_money(d),
            ),
            d,
        ),
        "grant.payment_corrected": lambda who, d: _with_reason(
            _(
                "%(who)s corrected a payment of the %(tranche)s tranche by %(amount)s.",
                who=who,
                tranche=_tranche(d),
                amount=_money(d),
            ),
            d,
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
        "grant.ledger_exported": lambda who, d: _("%(who)s exported the grant ledger.", who=who),
    }
)

SENTENCES = Sentences(
    _ACTIONS,
)
