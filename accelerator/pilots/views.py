"""Pages of introductions: the request, its answer and the acts on it."""

from __future__ import annotations

from flask import render_template

from accelerator.core.permissions import Role, get_or_404, role_required
from accelerator.pilots import bp, policies
from accelerator.pilots.models import Introduction

SIGNED_IN = (Role.FOUNDER, Role.MENTOR, Role.STAFF, Role.PARTNER)


@bp.get("/introductions/<int:introduction_id>")
@role_required(*SIGNED_IN)
def introduction(introduction_id: int):
    found = get_or_404(Introduction, introduction_id, policy=policies.can_view_introduction)
    return render_template("pilots/introduction.html", introduction=found)
