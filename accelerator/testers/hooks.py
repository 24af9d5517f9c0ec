"""Everything the tester panel adds to others (core/hooks.py)."""

from accelerator.core import hooks
from accelerator.testers import history, reminders

hooks.history.connect(history.SENTENCES, name="testers")
hooks.reminders.connect(reminders.remind_testers, name="testers.reminders")
