"""Feedback on forms in a real browser (issue 19, app.js): a submit button is busy and posts once,
an upload shows its progress and lands on the page that answers it, and a busy button still
sends its own name (the import preview's "run")."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from accelerator.applications import importing
from accelerator.applications.models import Application, ApplicationImport
from accelerator.auth.models import User
from accelerator.extensions import db
from accelerator.milestones import plans
from accelerator.milestones.models import MilestoneTemplate
from accelerator.programs.models import Cohort
from tests import factories
from tests.applications.conftest import upload
from tests.browser.helpers import sign_in

STAFF = "sophie@example.com"
HEADER = "Startup name,Country,Stage,Contact email,Notes"

# Records every value an upload's <progress> takes, by listening to the page as it changes.
WATCH_PROGRESS = """
new MutationObserver((changes) => {
  for (const change of changes) {
    const nodes = change.type === "childList" ? [...change.addedNodes] : [change.target];
    for (const node of nodes) {
      const bars = node.nodeType !== 1 ? [] :
        node.matches("progress.upload-progress") ? [node] :
        [...node.querySelectorAll("progress.upload-progress")];
      bars.forEach((bar) => window.uploadProgressSeen(bar.value));
    }
  }
}).observe(document, {
  subtree: true, childList: true, attributes: true, attributeFilter: ["value"],
});
"""

# Records each submit button that says it is busy, with the spinner beside it.
WATCH_BUSY = """
new MutationObserver((changes) => {
  for (const change of changes) {
    const button = change.target;
    if (button.getAttribute("aria-busy") === "true") {
      const spinner = button.querySelector(".spinner-border") ||
        (button.previousElementSibling && button.previousElementSibling.matches(".spinner-border"));
      window.buttonBusy(button.id || button.name, Boolean(spinner));
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["aria-busy"]});
"""


def _cohort() -> int:
    program = factories.make_program(name="Programme Côte d'Azur")
    cohort = factories.make_cohort(program=program, name="Saison Été")
    factories.make_user(role="staff", email=STAFF, name="Sophie Zoé")
    return cohort.id


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_double_click_on_a_submit_button_posts_once(page: Page, in_app, monkeypatch):
    cohort_id = in_app(_cohort)
    add_template = plans.add_template

    def slowly(*args, **kwargs):  # the second click lands while the first post is on its way
        time.sleep(0.5)
        return add_template(*args, **kwargs)

    monkeypatch.setattr(plans, "add_template", slowly)
    busy: list[tuple[str, bool]] = []
    page.expose_function("buttonBusy", lambda name, spinner: busy.append((name, spinner)))
    page.add_init_script(WATCH_BUSY)
    sign_in(page, STAFF)
    page.goto(f"/milestones/cohorts/{cohort_id}/plan")
    page.get_by_text("Add a milestone to the plan…").click()
    form = page.locator("#add-form")
    form.get_by_label("Title").fill("Lancement de Société Éclair")
    form.get_by_label("Due in week").fill("2")
    button = form.get_by_role("button", name="Save milestone")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.up()
    page.wait_for_timeout(150)  # a person's double click: the first post is on its way
    page.mouse.down()
    page.mouse.up()

    expect(page.get_by_text("Milestone added to the plan")).to_be_visible()
    expect(page.locator(".plan-lines li", has_text="Lancement de Société Éclair")).to_have_count(1)
    title = MilestoneTemplate.title == "Lancement de Société Éclair"
    assert in_app(lambda: _count(MilestoneTemplate, title)) == 1
    assert busy.count(("new-submit", True)) == 1  # busy with its spinner, once


def test_an_upload_shows_its_progress_and_lands_on_the_next_page(page: Page, in_app):
    in_app(_cohort)
    seen: list[int] = []
    page.expose_function("uploadProgressSeen", lambda value: seen.append(value))
    page.add_init_script(WATCH_PROGRESS)
    notes = "Énergie solaire pour les îles, déjà 40 clients à Nouméa. " * 25  # ~1.5 kB a row
    rows = [f"Société Éclair {n},France,Seed,eclair{n}@example.org,{notes}" for n in range(250)]
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    assert len(data) > 300_000

    sign_in(page, STAFF)
    page.goto("/applications/import")
    page.get_by_label("CSV file").set_input_files(
        {"name": "société-éclair.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/applications/import/\d+$"))
    expect(page.locator(".breadcrumb")).to_contain_text("société-éclair.csv")
    assert seen, "the upload's progress bar never showed"
    assert max(seen) == 100
    assert in_app(lambda: _count(ApplicationImport)) == 1


def _uploaded_batch() -> int:
    cohort_id = _cohort()
    staff = db.session.scalar(select(User).where(User.email == STAFF))
    lines = [HEADER, "Société Éclair,France,Seed,zoe@eclair.example.org,", "Forêt Noire,DE,Seed,,"]
    batch = importing.create_import(
        cohort=db.session.get(Cohort, cohort_id),
        upload=upload(("\n".join(lines) + "\n").encode(), "éclair.csv", "text/csv"),
        actor=staff,
    )
    return batch.id


def test_the_import_preview_runs_with_its_busy_button(page: Page, in_app):
    batch_id = in_app(_uploaded_batch)
    sign_in(page, STAFF)
    page.goto(f"/applications/import/{batch_id}")
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_text("2 applications imported.")).to_be_visible()
    expect(page.get_by_role("link", name="Société Éclair")).to_be_visible()
    assert in_app(lambda: _count(Application)) == 2
