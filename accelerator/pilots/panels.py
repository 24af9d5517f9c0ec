"""The context functions of the cards the pilots domain adds to other pages (hooks.py)."""

from __future__ import annotations

# --- Staff: home card, cohort page, startup page (owned by the staff-pages work) -------------

# --- Founder and partner: home cards (owned by the introduction-pages work) ------------------

# --- Pilots on others' pages (owned by the pilot-pages work) ----------------------------------
