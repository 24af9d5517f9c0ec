"""Pilot rules: business units and their partners, introductions, and a pilot's life from
scoping to its decision.

Each act locks the row it moves, checks the move on the status enum (409 with the reason),
changes it, writes one audit event and queues the mail of the people concerned. A pilot cannot
start running without 3 to 5 success criteria, an owner in the unit and a decision date; the
database repeats what it can (pilots.models).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select

from accelerator.applications.models import Startup
from accelerator.applications.policies import is_founder_of
from accelerator.auth.models import Role, User
from accelerator.core import audit
from accelerator.core.errors import Conflict, InvalidState, NotAllowed, ValidationFailed
from accelerator.core.i18n import gettext as _
from accelerator.core.locking import lock
from accelerator.core.types import utcnow
from accelerator.core.unique import add_unique
from accelerator.extensions import db
from accelerator.pilots import notify, queries
from accelerator.pilots.fields import (  # noqa: F401  (re-exported)
    MAX_LINE,
    MAX_MONEY_CENTS,
    Criterion,
    PilotFields,
    UnitFields,
    typed_text,
)

# The rules of units and introductions live in their own modules; other domains and the views
# call every rule of the domain through this one.
from accelerator.pilots.introductions import (
    accept_introduction as accept_introduction,
)
from accelerator.pilots.introductions import (
    ask_introduction as ask_introduction,
)
from accelerator.pilots.introductions import (
    asking_side as asking_side,
)
from accelerator.pilots.introductions import (
    asking_side_of as asking_side_of,
)
from accelerator.pilots.introductions import (
    can_answer as can_answer,
)
from accelerator.pilots.introductions import (
    decline_introduction as decline_introduction,
)
from accelerator.pilots.introductions import (
    forward_introduction as forward_introduction,
)
from accelerator.pilots.introductions import (
    withdraw_introduction as withdraw_introduction,
)
from accelerator.pilots.models import (
    MAX_CRITERIA,
    MIN_CRITERIA,
    BusinessUnit,
    Decision,
    Introduction,
    IntroductionStatus,
    Pilot,
    PilotCriterion,
    PilotStatus,
)
from accelerator.pilots.units import (
    add_partner as add_partner,
)
from accelerator.pilots.units import (
    create_unit as create_unit,
)
from accelerator.pilots.units import (
    invite_partner as invite_partner,
)
from accelerator.pilots.units import (
    join_invited_unit as join_invited_unit,
)
from accelerator.pilots.units import (
    remove_partner as remove_partner,
)
from accelerator.pilots.units import (
    update_profile as update_profile,
)
from accelerator.pilots.units import (
    update_unit as update_unit,
)

IS = IntroductionStatus
PS = PilotStatus


# --- Pilots ----------------------------------------------------------------------------------


def can_edit_pilot(actor: User, pilot: Pilot) -> bool:
    """Staff and the unit's partners scope and run a pilot until it is closed or stopped."""
    if pilot.is_finished:
        return False
    if actor.is_staff:
        return True
    return actor.role == Role.PARTNER and queries.partner_unit_id(actor) == pilot.business_unit_id


def _require_editor(actor: User, business_unit_id: int) -> None:
    if actor.is_staff:
        return
    if actor.role == Role.PARTNER and queries.partner_unit_id(actor) == business_unit_id:
        return
    raise NotAllowed(_("Only program staff and the unit's partners can change a pilot."))


def _checked_criteria(criteria: Sequence[Criterion], errors: dict[str, str]) -> list[Criterion]:
    """The criteria typed (blank rows left out); what is wrong goes into `errors`."""
    kept: list[Criterion] = []
    for index, criterion in enumerate(criteria):
        measure = (criterion.measure or "").strip()
        target = (criterion.target or "").strip()
        actual = (criterion.actual or "").strip()
        if not (measure or target or actual):
            continue
        if not measure:
            errors[f"measure_{index + 1}"] = _("Say what is measured.")
        if not target:
            errors[f"target_{index + 1}"] = _("Give the target to reach.")
        for name, value in (("measure", measure), ("target", target), ("actual", actual)):
            if len(value) > MAX_LINE:
                errors[f"{name}_{index + 1}"] = _("Please keep this under 200 characters.")
        kept.append(Criterion(measure, target, actual))
    if len(kept) > MAX_CRITERIA:
        errors.setdefault("criteria", _("A pilot has at most 5 success criteria."))
    return kept


def _checked_pilot(fields: PilotFields, business_unit_id: int) -> tuple[dict, list[Criterion]]:
    """The pilot's columns and criteria from what was typed, or one refusal with every
    message beside its field (`errors`), so a person corrects everything in one go."""
    errors: dict[str, str] = {}
    title = ""
    try:
        title = typed_text(
            fields.title, field="title", limit=160, required=_("Give the pilot a title.")
        )
    except ValidationFailed as refused:
        errors["title"] = refused.message
    if fields.budget_cents is not None and not 0 <= fields.budget_cents <= MAX_MONEY_CENTS:
        errors["budget"] = _("Enter the budget as an amount of money, such as 25,000.")
    currency = (fields.currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = _("Choose a currency.")
    if fields.starts_on and fields.ends_on and fields.ends_on < fields.starts_on:
        errors["ends_on"] = _("The pilot cannot end before it starts.")
    if fields.starts_on and fields.decision_on and fields.decision_on < fields.starts_on:
        errors["decision_on"] = _("The decision date cannot be before the pilot starts.")
    if fields.owner_id is not None and fields.owner_id not in queries.partner_ids(business_unit_id):
        errors["owner"] = _("The owner must be a partner of the business unit.")
    criteria = _checked_criteria(fields.criteria, errors)
    if errors:
        error = ValidationFailed(next(iter(errors.values())), field=next(iter(errors)))
        error.errors = errors  # type: ignore[attr-defined]
        raise error
    values = {
        "title": title,
        "scope_in": typed_text(fields.scope_in, field="scope_in"),
        "scope_out": typed_text(fields.scope_out, field="scope_out"),
        "budget_cents": fields.budget_cents,
        "currency": currency,
        "starts_on": fields.starts_on,
        "ends_on": fields.ends_on,
        "decision_on": fields.decision_on,
        "owner_id": fields.owner_id,
    }
    return values, criteria


def _set_criteria(pilot: Pilot, criteria: list[Criterion]) -> bool:
    """Replace the pilot's criteria by `criteria`; whether anything changed."""
    existing = list(
        db.session.scalars(
            select(PilotCriterion)
            .where(PilotCriterion.pilot_id == pilot.id)
            .order_by(PilotCriterion.position)
        )
    )
    before = [(c.measure, c.target, c.actual or "") for c in existing]
    after = [(c.measure, c.target, c.actual) for c in criteria]
    if before == after:
        return False
    for row in existing:
        db.session.delete(row)
    db.session.flush()
    for position, criterion in enumerate(criteria, start=1):
        db.session.add(
            PilotCriterion(
                pilot_id=pilot.id,
                position=position,
                measure=criterion.measure,
                target=criterion.target,
                actual=criterion.actual or None,
            )
        )
    return True


def create_pilot(introduction: Introduction, *, fields: PilotFields, actor: User) -> Pilot:
    """Turn an accepted introduction into a pilot being scoped."""
    _require_editor(actor, introduction.business_unit_id)
    introduction = lock(Introduction, introduction.id)
    if introduction.status != IS.ACCEPTED:
        raise InvalidState(_("Only an accepted introduction can become a pilot."))
    values, criteria = _checked_pilot(fields, introduction.business_unit_id)
    pilot = Pilot(
        introduction_id=introduction.id,
        startup_id=introduction.startup_id,
        business_unit_id=introduction.business_unit_id,
        cohort_id=introduction.cohort_id,
        status=PS.SCOPING,
        **values,
    )
    if not add_unique(pilot):
        raise Conflict(_("This introduction already has its pilot."))
    _set_criteria(pilot, criteria)
    startup, unit = _pair(pilot)
    audit.record(
        "pilot.created",
        pilot,
        actor=actor,
        startup=startup.id,
        data={**_pilot_data(pilot, startup, unit), "criteria": len(criteria)},
    )
    notify.pilot("created", pilot, startup, unit, actor=actor)
    return pilot


def _pair(pilot: Pilot) -> tuple[Startup, BusinessUnit]:
    startup = db.session.get(Startup, pilot.startup_id)
    unit = db.session.get(BusinessUnit, pilot.business_unit_id)
    assert startup is not None and unit is not None  # foreign keys
    return startup, unit


def _pilot_data(pilot: Pilot, startup: Startup, unit: BusinessUnit) -> dict:
    return {"title": pilot.title, "startup": startup.name, "unit": unit.name, "unit_id": unit.id}


def update_pilot(pilot: Pilot, *, fields: PilotFields, actor: User) -> list[str]:
    """Change a scoping or running pilot (its criteria' results included); returns what
    changed. A running pilot keeps 3 to 5 criteria, its owner and its decision date."""
    _require_editor(actor, pilot.business_unit_id)
    pilot = lock(Pilot, pilot.id)
    if pilot.status not in (PS.SCOPING, PS.RUNNING):
        raise InvalidState(str(PS.__refusals__[pilot.status.value]))
    values, criteria = _checked_pilot(fields, pilot.business_unit_id)
    if pilot.status == PS.RUNNING:
        _check_ready(values, len(criteria), running=True)
    changed = [k for k, v in values.items() if getattr(pilot, k) != v]
    old_decision_on = pilot.decision_on
    for key, value in values.items():
        setattr(pilot, key, value)
    if _set_criteria(pilot, criteria):
        changed.append("criteria")
    if changed:
        startup, unit = _pair(pilot)
        data = {**_pilot_data(pilot, startup, unit), "fields": changed}
        if "decision_on" in changed:
            data["decision_on_from"] = old_decision_on.isoformat() if old_decision_on else None
            data["decision_on_to"] = pilot.decision_on.isoformat() if pilot.decision_on else None
        audit.record("pilot.updated", pilot, actor=actor, startup=startup.id, data=data)
    return changed


def _check_ready(values: dict, criteria: int, *, running: bool = False) -> None:
    """Refuse (409) a pilot that would run without its criteria, owner or decision date."""
    missing = []
    if not MIN_CRITERIA <= criteria <= MAX_CRITERIA:
        missing.append(_("3 to 5 success criteria"))
    if values.get("owner_id") is None:
        missing.append(_("an owner in the business unit"))
    if values.get("decision_on") is None:
        missing.append(_("a go/no-go decision date"))
    if missing:
        message = (
            _("A running pilot needs %(missing)s.", missing=", ".join(missing))
            if running
            else _("This pilot cannot start without %(missing)s.", missing=", ".join(missing))
        )
        raise InvalidState(message)


def start_pilot(pilot: Pilot, *, actor: User, today: date | None = None) -> None:
    """Scoping → running, once it has 3 to 5 criteria, an owner and a decision date."""
    _require_editor(actor, pilot.business_unit_id)
    pilot = lock(Pilot, pilot.id)
    pilot.status.check_move(PS.RUNNING)
    criteria = db.session.scalar(
        select(func.count()).select_from(PilotCriterion).where(PilotCriterion.pilot_id == pilot.id)
    )
    _check_ready({"owner_id": pilot.owner_id, "decision_on": pilot.decision_on}, int(criteria or 0))
    if pilot.starts_on is None:
        pilot.starts_on = today or queries.local_today_of(pilot)
        if pilot.decision_on < pilot.starts_on:
            raise InvalidState(_("The decision date is already past: set a later one first."))
    pilot.status, pilot.started_at = PS.RUNNING, utcnow()
    _moved("started", pilot, actor)


def decide_pilot(
    pilot: Pilot,
    *,
    decision: Decision,
    actor: User,
    contract_reference: str = "",
    contract_value_cents: int | None = None,
    reason: str = "",
) -> None:
    """Running → decided: go, with the contract or purchase order and its value; or no-go,
    with the reason."""
    _require_editor(actor, pilot.business_unit_id)
    pilot = lock(Pilot, pilot.id)
    pilot.status.check_move(PS.DECIDED)
    decision = Decision(decision)
    if decision == Decision.GO:
        reference = typed_text(contract_reference, field="contract_reference", limit=120)
        if contract_value_cents is None or not 0 < contract_value_cents <= MAX_MONEY_CENTS:
            raise ValidationFailed(
                _("Enter the value of the contract or purchase order, such as 120,000."),
                field="contract_value",
            )
        pilot.contract_reference = reference or None
        pilot.contract_value_cents = contract_value_cents
    else:
        pilot.no_go_reason = typed_text(
            reason, field="reason", required=_("Say why the unit does not go ahead.")
        )
    pilot.decision, pilot.decided_at = decision, utcnow()
    pilot.status = PS.DECIDED
    _moved(
        "decided",
        pilot,
        actor,
        decision=decision.value,
        contract_value_cents=pilot.contract_value_cents,
        currency=pilot.currency,
        reason=pilot.no_go_reason or "",
    )


def close_pilot(pilot: Pilot, *, lessons: str, actor: User) -> None:
    """Decided → closed, with the lessons learned."""
    _require_editor(actor, pilot.business_unit_id)
    pilot = lock(Pilot, pilot.id)
    pilot.status.check_move(PS.CLOSED)
    pilot.lessons = typed_text(
        lessons, field="lessons", required=_("Write down the lessons learned.")
    )
    pilot.status, pilot.closed_at = PS.CLOSED, utcnow()
    _moved("closed", pilot, actor, lessons=pilot.lessons)


def stop_pilot(pilot: Pilot, *, reason: str, actor: User) -> None:
    """Scoping or running → stopped, with the reason (no decision was reached)."""
    _require_editor(actor, pilot.business_unit_id)
    pilot = lock(Pilot, pilot.id)
    pilot.status.check_move(PS.STOPPED)
    pilot.stop_reason = typed_text(reason, field="reason", required=_("Say why the pilot stops."))
    pilot.status, pilot.closed_at = PS.STOPPED, utcnow()
    _moved("stopped", pilot, actor, reason=pilot.stop_reason)


def share_kpis(pilot: Pilot, *, shared: bool, actor: User) -> None:
    """The founders let the unit's partners see their latest check-in figures, or stop."""
    if not is_founder_of(actor, pilot.startup_id):
        raise NotAllowed(_("Only the startup's founders can share its figures."))
    pilot = lock(Pilot, pilot.id)
    if pilot.kpis_shared == shared:
        return
    pilot.kpis_shared = shared
    startup, unit = _pair(pilot)
    audit.record(
        "pilot.kpis_shared" if shared else "pilot.kpis_unshared",
        pilot,
        actor=actor,
        startup=startup.id,
        data=_pilot_data(pilot, startup, unit),
    )


def _moved(event: str, pilot: Pilot, actor: User, **extra) -> None:
    startup, unit = _pair(pilot)
    audit.record(
        f"pilot.{event}",
        pilot,
        actor=actor,
        startup=startup.id,
        data={**_pilot_data(pilot, startup, unit), **extra},
    )
    notify.pilot(event, pilot, startup, unit, actor=actor)
