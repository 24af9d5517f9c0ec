"""A 10,000-row import in a real browser, run by a real worker process: the job's page shows
its progress bar moving to 100 % and then the result, without a reload by hand."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.helpers import sign_in
from tests.jobs.worker import Worker, queue_in

ROWS = 10_000
STAFF = "ines@example.com"

# Records every value the job's progress bar takes, as the page's script sets it.
WATCH_BAR = """
const seen = () => {
  const bar = document.querySelector("progress.job-progress");
  if (bar) window.barSeen(bar.value);
};
new MutationObserver(seen).observe(document, {
  subtree: true, childList: true, attributes: true, attributeFilter: ["value"],
});
document.addEventListener("DOMContentLoaded", seen);
"""


def test_a_10000_row_import_shows_its_progress_to_the_end(page: Page, in_app, app, tmp_path):
    def world() -> int:
        factories.make_user(role="staff", email=STAFF, name="Inès Staff")
        program = factories.make_program(name="Programme Côte d'Azur")
        return factories.make_cohort(program=program, name="Saison Été", phase="open").id

    cohort_id = in_app(world)
    rows = ["Startup name,Country,Stage,Contact email"]
    rows += [f"Société Éclair {i},FR,seed,equipe{i}@example.org" for i in range(ROWS)]
    csv_file = tmp_path / "f6s-export.csv"
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    seen: list[float] = []
    page.expose_function("barSeen", lambda value: seen.append(value))
    page.add_init_script(WATCH_BAR)

    with queue_in(tmp_path / "queue.sqlite3") as queue_url:
        worker = Worker(app.config["SQLALCHEMY_DATABASE_URI"], queue_url, tmp_path / "w.log")
        try:
            sign_in(page, STAFF)
            page.goto("/applications/import")
            page.get_by_label("Cohort the applications are for").select_option(str(cohort_id))
            page.get_by_label("CSV file").set_input_files(str(csv_file))
            page.get_by_role("button", name="Upload and preview").click()
            expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
            page.get_by_role("button", name="Import", exact=True).click()
            expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
            expect(page.get_by_role("heading", name="Import of applications")).to_be_visible()
            result = page.locator(".job-result")
            expect(result).to_contain_text("10000 applications imported.", timeout=120_000)
            expect(page.locator("progress.job-progress")).to_have_attribute("value", "100")
            expect(result.get_by_role("link", name="See the result")).to_be_visible()
        finally:
            worker.stop()
    assert seen and min(seen) < 100 and max(seen) == 100  # it moved, from below to the end
