"""Browser checks of internal control (issue 5) in Chromium: the risk matrix and the plan pages pass axe (no
serious or critical WCAG violation), and a planner enters a result with a table through the form."""

from playwright.sync_api import expect

from internalcontrol.models import ControlResult
from tests.e2e.conftest import assert_accessible, sign_in


def test_the_matrix_and_the_plan_pages_are_accessible(page, demo):
    sign_in(page, "lasare")
    page.goto("/internal-control/regionkontoret/2025/matrix/")
    matrix = page.get_by_role("img", name="2025")
    expect(matrix).to_be_visible()
    expect(page.locator("svg.risk-matrix .risk-matrix__cell")).to_have_count(16)
    assert_accessible(page)
    for url in (
        "/internal-control/",
        "/internal-control/risks/",
        "/internal-control/regionkontoret/2025/",
        "/internal-control/regionkontoret/2025/actions/",
        "/internal-control/regionkontoret/2023/",
    ):
        page.goto(url)
        assert_accessible(page)
    page.get_by_role("row").filter(has_text="Risk för otydlig ansvarsfördelning").get_by_role(
        "link", name="Kontroll av inaktuella styrdokument"
    ).click()
    expect(page.get_by_role("rowheader", name="IT och Digitalisering")).to_be_visible()
    assert_accessible(page)


def test_a_planner_enters_a_result_with_a_table(page, demo):
    sign_in(page, "planerare")
    page.goto("/internal-control/regionkontoret/2025/")
    page.locator("a[href*='/controls/new/']").first.click()
    page.locator("#id_title").fill("Stickprov av driftloggar")
    page.locator("#id_method").select_option("sample_check")
    page.locator("input[name=periods][value=T1]").check()
    page.locator("main form button[type=submit]").click()
    page.locator("a[href$='/results/T1/']").first.click()
    assert_accessible(page)
    page.locator("input[name=outcome][value=partly_met]").check()
    page.locator("#id_text").fill("Två av tio loggar saknades.")
    page.locator("#id_table_text").fill("Månad; Loggar\nJanuari; 10")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("rowheader", name="Januari")).to_be_visible()
    expect(page.get_by_role("cell", name="10", exact=True)).to_be_visible()
    assert ControlResult.objects.get(period="T1", control__title="Stickprov av driftloggar").table == {
        "columns": ["Månad", "Loggar"],
        "rows": [["Januari", "10"]],
    }
