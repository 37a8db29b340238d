"""The secretary's T1 2023 follow-up in Chromium: the plan's PDF made by a job, then the T1 report from the plan's
reports: see what is missing and write it, preview, make the PDF with progress and download it, send it for review,
approve it (the edit controls go), and reopen it with a reason. axe finds no serious or critical WCAG violation on
the report lists, the dashboard and the job page."""

import re

from playwright.sync_api import expect

from followup.models import FollowUpReport, ReportText
from tests.e2e.conftest import assert_accessible, sign_in

REPORT = "/plans/regionkontoret/2023/reports/T1/"


def test_the_secretary_follows_up_t1_from_missing_to_approved_and_reopened(page, demo):
    ReportText.objects.filter(report__period__code="T1", report__period__year=2023, key="summary").delete()
    sign_in(page, "sekreterare")
    page.goto("/plans/regionkontoret/2023/")
    page.locator("form[action='/plans/regionkontoret/2023/pdf-jobs/'] button").click()  # the plan's PDF, by a job
    plan_pdf = page.locator("#document-followup-plan-pdf-job [data-job-status='done'] a[download]")
    expect(plan_pdf).to_be_visible(timeout=60_000)
    with page.expect_download() as download_info:
        plan_pdf.click()
    assert download_info.value.suggested_filename == "plan-regionkontoret-2023.pdf"

    page.locator("a[href='/plans/regionkontoret/2023/reports/']").click()
    expect(page.locator("#report-list tbody tr")).to_have_count(3)
    assert_accessible(page)
    page.goto("/reports/")  # every plan's reports, from the main menu
    assert_accessible(page)
    page.go_back()

    page.locator(f"#report-list a[href='{REPORT}']").click()
    page.wait_for_url(f"**{REPORT}")
    expect(page.locator("h1")).to_have_text("Uppföljningsrapport 1 2023")
    expect(page.locator("#completion-sections tbody")).to_have_count(6)
    expect(page.locator("#report-facts")).to_contain_text("24")  # of 25 entered: the summary is missing
    expect(page.locator("#progress-goals .missing-list a")).to_have_count(0)
    expect(page.locator("#completion-units tbody tr").first).to_be_visible()
    assert_accessible(page)

    page.locator("#progress-summary .missing-list a").click()  # to where it is written
    page.wait_for_url(f"**{REPORT}summary/#text-summary")
    page.locator("#text-summary-body").fill("Alla förvaltningsuppdrag pågår enligt plan.")
    page.locator("#text-summary-save").click()
    expect(page.locator("#text-summary .entry__saved")).to_be_visible()
    page.goto(REPORT)
    expect(page.locator("#report-facts")).to_contain_text("25")
    expect(page.locator("#progress-summary .missing-list")).to_have_count(0)

    page.locator(f"a[href='{REPORT}print/']").click()
    page.wait_for_url(f"**{REPORT}print/")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.go_back()

    page.locator(f"form[action='{REPORT}pdf-jobs/'] button").click()
    done = page.locator("#report-pdf [data-job-status='done']")
    expect(done).to_be_visible(timeout=60_000)
    with page.expect_download() as download_info:
        done.locator("a[download]").click()
    download = download_info.value
    assert download.suggested_filename == "uppfoljning-regionkontoret-2023-T1.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    job_id = re.search(r"/pdf-jobs/(\d+)/download/", done.locator("a[download]").get_attribute("href")).group(1)
    page.goto(f"/pdf-jobs/{job_id}/")
    expect(page.locator("[aria-live='polite'] [data-job-status='done']")).to_be_visible()
    assert_accessible(page)

    page.goto(REPORT)
    page.locator("form[data-decision='in_review'] button").click()
    expect(page.locator("form[data-decision='approved']")).to_be_visible()
    page.locator("form[data-decision='approved'] button").click()
    expect(page.locator("#approvals tbody a[download]")).to_have_count(1, timeout=60_000)
    report = FollowUpReport.objects.get(plan__unit__slug="regionkontoret", plan__year=2023, period__code="T1")
    assert report.status == "approved"
    expect(page.locator("#approvals")).to_contain_text(report.approvals.get().pdf_sha256)

    # approved: no decision but reopening, and the entry forms are gone
    expect(page.locator("form[data-decision]")).to_have_count(1)
    expect(page.locator("#report-approved")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{REPORT}summary/")
    expect(page.locator("#text-summary")).to_contain_text("Alla förvaltningsuppdrag pågår enligt plan.")
    expect(page.locator("#text-summary form, #assessment form")).to_have_count(0)
    page.goto(REPORT)

    page.locator("form[data-decision='draft'] button").click()  # without a reason: refused in place
    expect(page.locator("#decision-draft-reason_error")).to_be_visible()
    page.locator("#decision-draft-reason").fill("Ekonomin behöver rättas.")
    page.locator("form[data-decision='draft'] button").click()
    expect(page.locator("#transitions")).to_contain_text("Ekonomin behöver rättas.")
    expect(page.locator("form[data-decision='in_review']")).to_be_visible()
    report.refresh_from_db()
    assert report.status == "draft" and report.transitions.last().reason == "Ekonomin behöver rättas."
