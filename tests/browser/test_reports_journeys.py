"""Reports in a real browser: staff open the running cohort's dashboard from the cohort page,
a chart draws, the cohort report downloads and opens in pandas, and the page reads in French."""

from __future__ import annotations

import re

import pandas as pd
from playwright.sync_api import Page, expect

from tests import factories
from tests.reports import builders


def _world() -> dict:
    factories.make_user(role="staff", email="ana@example.com", name="Ana Staff")
    cohort, _grants = builders.make_running_cohort(2)
    return {"cohort": cohort.id, "name": cohort.name}


def test_staff_open_the_dashboard_see_a_chart_download_and_read_it_in_french(
    page: Page, in_app, tmp_path
):
    from tests.browser.helpers import sign_in

    world = in_app(_world)
    sign_in(page, "ana@example.com")
    page.goto(f"/cohorts/{world['cohort']}")
    page.get_by_role("link", name="Open the dashboard").click()
    expect(page.get_by_role("heading", name=f"{world['name']} dashboard")).to_be_visible()
    expect(page.locator("article.startup-card")).to_have_count(2)
    expect(page.locator("#chart-health")).to_have_attribute("data-chart-drawn", "1")
    expect(page.locator("#chart-grants")).to_have_attribute("data-chart-drawn", "1")
    # The figures are also a table (for screen readers and printing).
    expect(page.locator("table.chart-table").first).to_contain_text("Green")

    page.get_by_role("button", name="Download").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Cohort report (Excel, every sheet)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    book = pd.read_excel(path, sheet_name=None)
    assert list(book) == ["Startups", "Check-ins", "Milestones", "Grant ledger", "Mentor sessions"]
    assert len(book["Startups"]) == 2 and len(book["Check-ins"]) == 6

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", name=f"Tableau de bord de {world['name']}")).to_be_visible()
    expect(page.get_by_role("heading", name="Santé des points d’étape par période")).to_be_visible()
    expect(page.locator("#chart-health")).to_have_attribute("data-chart-drawn", "1")
    first_card = page.locator("article.startup-card").first
    expect(first_card).to_contain_text("Jalons")
    first_card.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Profil")).to_be_visible()
    expect(page.locator("#chart-kpis")).to_have_attribute("data-chart-drawn", "1")
    # The startup's story closes the page, in French too.
    expect(page.get_by_role("heading", name="Historique")).to_be_visible()
    page.goto(page.url.rstrip("/") + "/history")
    expect(page.get_by_role("heading", name=re.compile("^Historique de "))).to_be_visible()
