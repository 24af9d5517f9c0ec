"""Pages of a pilot: scoping, its moves to a decision, and what partners may see."""

from __future__ import annotations

from flask import render_template

from accelerator.core.permissions import get_or_404, role_required
from accelerator.pilots import bp, policies
from accelerator.pilots.models import Pilot
from accelerator.pilots.views import SIGNED_IN


@bp.get("/<int:pilot_id>")
@role_required(*SIGNED_IN)
def pilot(pilot_id: int):
    found = get_or_404(Pilot, pilot_id, policy=policies.can_view_pilot)
    return render_template("pilots/pilot.html", pilot=found)
