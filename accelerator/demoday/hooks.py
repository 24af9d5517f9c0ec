"""Everything the demoday domain adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.demoday import history

hooks.history.connect(history.SENTENCES, name="demoday")

# --- The guests: their staff pages, their pages by link, their reminders. ---------------------
from accelerator.demoday import guest_views, reminders, rsvp_views  # noqa: E402,F401

hooks.reminders.connect(reminders.remind_guests, name="demoday.guests.reminders")
