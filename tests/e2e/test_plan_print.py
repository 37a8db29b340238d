"""A secretary previews the printed plan in Chromium, finds no accessibility problem, and downloads the PDF."""

from tests.e2e.conftest import assert_accessible, sign_in


def test_secretary_previews_and_downloads_the_plan(page, demo):
    sign_in(page, "sekreterare")
    page.goto("/plans/regionkontoret/2025/")
    page.locator("a[href='/plans/regionkontoret/2025/print/']").click()

    page.wait_for_url("**/plans/regionkontoret/2025/print/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1#document-title").inner_text() == "Verksamhetsplan och internbudget 2025"
    assert page.locator(".chapter__title").count() == 6
    assert page.locator("svg.risk-matrix").count() == 1
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.locator("a[href='/plans/regionkontoret/2025/plan.pdf']").click()
    download = download_info.value
    assert download.suggested_filename == "plan-regionkontoret-2025.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(8) == b"%PDF-1.7"
