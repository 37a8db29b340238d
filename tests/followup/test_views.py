"""The print preview and the PDF download of a plan, and the links to them on the plan's overview."""

from django.urls import reverse

from followup.rendering import plan_render_html
from tests.planning.factories import add_section, make_plan


def test_the_overview_links_to_the_preview_and_starts_a_pdf_job(client, users, org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=1)
    client.force_login(users["reader"])

    page = client.get(plan.get_absolute_url()).content.decode()

    assert f'href="{reverse("followup:plan_preview", kwargs=plan.url_kwargs())}"' in page
    job_url = reverse("followup:plan_pdf_job", kwargs=plan.url_kwargs())
    assert f'<form method="post" action="{job_url}"' in page and f'hx-post="{job_url}"' in page
    assert 'aria-live="polite"' in page
    assert reverse("followup:plan_pdf", kwargs=plan.url_kwargs()) not in page  # the direct download is for scripts


def test_the_preview_is_the_pdfs_own_html_with_a_bar_to_go_back_and_download(client, users, org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=1)
    add_section(plan, title="Inledning", body="Rad ett.\n\n<b>Rad två</b>")
    client.force_login(users["planner"])

    response = client.get(reverse("followup:plan_preview", kwargs=plan.url_kwargs()))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<!doctype html>") and '<html lang="sv">' in html
    assert '<link rel="stylesheet" href="/static/css/print.css">' in html
    assert "<p>Rad ett.</p>" in html and "&lt;b&gt;Rad två&lt;/b&gt;" in html
    assert f'href="{reverse("followup:plan_pdf", kwargs=plan.url_kwargs())}" download' in html
    assert "style=" not in html and "<script" not in html  # the strict CSP holds
    printed = plan_render_html(plan=plan)
    assert printed[printed.index("<main") :] in html.replace(
        html[html.index('<nav class="preview-bar"') : html.index("<main")], ""
    )


def test_the_pdf_downloads_as_an_attachment(client, users, org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=1)
    client.force_login(users["reader"])

    response = client.get(reverse("followup:plan_pdf", kwargs=plan.url_kwargs()))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="plan-{org["rk"].slug}-{plan.year}.pdf"'
    assert response.content.startswith(b"%PDF-1.7")


def test_an_unknown_plan_is_not_found(client, users, org):
    client.force_login(users["reader"])
    assert client.get(reverse("followup:plan_pdf", kwargs={"unit": "rk", "year": 1999})).status_code == 404
    assert client.get(reverse("followup:plan_preview", kwargs={"unit": "rk", "year": 1999})).status_code == 404


# The reports of a plan, a report's dashboard and its decisions ------------------------------------------------------

import datetime  # noqa: E402

import pytest  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from followup.models import FollowUpReport, RenderJob, RenderStatus  # noqa: E402
from followup.rendering import report_render_html  # noqa: E402
from followup.services import report_assessment_save, report_text_save  # noqa: E402
from planning.models import Assignment  # noqa: E402
from tests.followup.factories import FAKE_PDF, add_approval, add_job, make_report  # noqa: E402


def report_url(name, report, **extra):
    return reverse(f"followup:{name}", kwargs={**report.url_kwargs(), **extra})


@pytest.fixture
def report(org):
    plan = make_plan(org["rk"], year=2023, areas=1, goals=1, assignments=2, activities=1, responsible=org["itd"])
    return make_report(plan)


def decide(client, report, to_status, reason="", version=None, **headers):
    data = {"to_status": to_status, "reason": reason, "version": report.version if version is None else version}
    return client.post(report_url("report_decision", report), data, **headers)


def test_the_plan_lists_its_three_reports_and_secretaries_start_one(client, users, org):
    plan = make_plan(org["rk"], year=2023, areas=1, goals=1, assignments=1, activities=0)
    list_url = reverse("followup:report_list", kwargs=plan.url_kwargs())
    create_url = reverse("followup:report_create", kwargs=plan.url_kwargs())
    client.force_login(users["planner"])
    page = client.get(list_url).content.decode()
    assert page.count('<tr data-period="') == 3 and create_url not in page
    assert f'href="{list_url}"' in client.get(plan.get_absolute_url()).content.decode()  # the plan's tab

    client.force_login(users["secretary"])
    page = client.get(list_url).content.decode()
    assert page.count(f'action="{create_url}"') == 3
    response = client.post(create_url, {"period": "T2"})
    report = FollowUpReport.objects.get(plan=plan)
    assert report.period.code == "T2" and response.url == report.get_absolute_url()
    assert client.get(list_url).content.decode().count(f'action="{create_url}"') == 2
    assert f'href="{report.get_absolute_url()}"' in client.get(reverse("followup:index")).content.decode()

    response = client.post(create_url, {"period": "T2"}, follow=True)  # started already: said, nothing made
    assert response.redirect_chain[-1][0] == list_url and FollowUpReport.objects.count() == 1
    assert client.post(create_url, {"period": "T9"}).url == list_url


def test_the_dashboard_shows_status_deadline_and_what_is_missing(client, users, report):
    client.force_login(users["planner"])
    page = client.get(report.get_absolute_url()).content.decode()

    assert "deadline--overdue" in page  # T1 2023 is long past its deadline: said in words
    assignments = Assignment.objects.in_plan(report.plan)
    assert all(a.title in page for a in assignments)
    assert report_url("report_preview", report) in page
    assert f'hx-post="{report_url("report_pdf_job", report)}"' in page
    assert 'id="decisions"' not in page  # planners do not decide


def test_the_dashboard_takes_the_same_number_of_queries_for_a_larger_plan(client, users, org):
    counts = []
    for size, year in ((1, 2023), (3, 2024)):
        plan = make_plan(org["rk"], year=year, areas=size, goals=size, assignments=size, activities=size,
                         responsible=org["itd"])  # fmt: skip
        report = make_report(plan)
        client.force_login(users["secretary"])
        client.get(report.get_absolute_url())  # sessions, caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(report.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_send_for_review_send_back_with_a_reason_approve_and_reopen_with_a_reason(client, users, report):
    client.force_login(users["secretary"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'data-decision="in_review"' in page and 'data-decision="approved"' not in page

    response = decide(client, report, "in_review")
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == "in_review"

    response = decide(client, report, "draft", reason="  ")  # sending back needs a reason
    assert response.status_code == 400
    assert 'id="decision-draft-reason_error"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == "in_review"

    assert decide(client, report, "draft", reason="Komplettera målen").status_code == 302
    report.refresh_from_db()
    assert report.status == "draft" and report.transitions.last().reason == "Komplettera målen"

    decide(client, report, "in_review")
    report.refresh_from_db()
    assert decide(client, report, "approved").status_code == 302
    report.refresh_from_db()
    approval = report.approvals.get()
    assert report.status == "approved" and bytes(approval.pdf).startswith(b"%PDF")

    page = client.get(report.get_absolute_url()).content.decode()
    assert approval.pdf_sha256 in page and report_url("approval_pdf", report, pk=approval.pk) in page
    assert 'data-decision="draft"' in page and 'data-decision="in_review"' not in page
    with pytest.raises(ValidationError):  # approved: the services refuse edits
        report_text_save(report=report, key="summary", body="Ny text.", user=users["secretary"], version=None)

    assert decide(client, report, "draft").status_code == 400  # reopening needs a reason
    assert decide(client, report, "draft", reason="Fel siffra i ekonomin").status_code == 302
    report.refresh_from_db()
    assert report.status == "draft"
    assert [(t.to_status, t.reason) for t in report.transitions.all()][-1] == ("draft", "Fel siffra i ekonomin")
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Fel siffra i ekonomin" in page and users["secretary"].username in page


def test_a_stale_decision_is_refused_with_409_and_what_changed(client, users, report):
    client.force_login(users["secretary"])
    seen = report.version
    report_assessment_save(report=report, assessment="on_track", user=users["controller"], version=seen)

    response = decide(client, report, "in_review", version=seen)

    assert response.status_code == 409
    report.refresh_from_db()
    assert report.status == "draft"
    page = response.content.decode()
    assert 'class="form-errors" role="alert"' in page and str(users["controller"]) in page
    assert f'name="version" value="{report.version}"' in page  # having seen the change, the user may decide again


def test_htmx_decisions_redirect_on_success_and_answer_refusals_in_place(client, users, report):
    client.force_login(users["secretary"])
    response = decide(client, report, "approved", HTTP_HX_REQUEST="true")  # a draft cannot be approved
    assert response.status_code == 400
    page = response.content.decode()
    assert page.startswith('<div id="decisions"') and 'role="alert"' in page and "<html" not in page

    response = decide(client, report, "in_review", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == report.get_absolute_url()


@pytest.mark.parametrize("who", ["planner", "controller", "reader", "nobody"])
def test_forged_posts_by_roles_that_may_not_are_refused(client, users, report, who):
    client.force_login(users[who])
    plan_kwargs = report.plan.url_kwargs()
    assert client.post(reverse("followup:report_create", kwargs=plan_kwargs), {"period": "T2"}).status_code == 403
    assert decide(client, report, "in_review").status_code == 403
    report.refresh_from_db()
    assert report.status == "draft" and FollowUpReport.objects.count() == 1
    if who == "nobody":
        assert client.post(report_url("report_pdf_job", report)).status_code == 403
        assert client.post(reverse("followup:plan_pdf_job", kwargs=plan_kwargs)).status_code == 403
        assert not RenderJob.objects.exists()


def test_an_approved_pdf_downloads_exactly_as_stored(client, users, report):
    approval = add_approval(report, user=users["secretary"], pdf=FAKE_PDF + b"\x00\xff")
    client.force_login(users["reader"])

    response = client.get(report_url("approval_pdf", report, pk=approval.pk))

    assert response.content == FAKE_PDF + b"\x00\xff" and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="uppfoljning-rk-2023-T1-')
    other = make_report(report.plan, period="T2")
    assert client.get(report_url("approval_pdf", other, pk=approval.pk)).status_code == 404


def test_the_preview_is_the_reports_own_html_with_a_bar(client, users, report):
    client.force_login(users["reader"])
    response = client.get(report_url("report_preview", report))
    assert response.status_code == 200
    assert response.content.decode() == report_render_html(report=report, preview=True)


# PDF jobs ---------------------------------------------------------------------------------------------------------


def test_the_pdf_job_end_to_end_with_htmx(client, users, report, django_capture_on_commit_callbacks):
    client.force_login(users["planner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_url("report_pdf_job", report), HTTP_HX_REQUEST="true")
    job = RenderJob.objects.get()
    status_url = reverse("followup:job_detail", args=[job.pk])
    fragment = response.content.decode()
    assert response.status_code == 200 and fragment.startswith(f'<div id="job-{job.pk}"')
    assert f'hx-get="{status_url}" hx-trigger="every 1s"' in fragment  # answered before the commit ran the job

    fragment = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()  # the poll
    download_url = reverse("followup:job_download", args=[job.pk])
    assert 'data-job-status="done"' in fragment and "hx-trigger" not in fragment
    assert f'href="{download_url}" download' in fragment

    response = client.get(download_url)
    assert response.content.startswith(b"%PDF") and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="uppfoljning-rk-2023-T1.pdf"'


def test_without_script_the_job_has_a_page_with_a_refresh_link(client, users, report):
    client.force_login(users["reader"])
    response = client.post(reverse("followup:plan_pdf_job", kwargs=report.plan.url_kwargs()))
    job = RenderJob.objects.get()
    assert job.report is None and job.requested_by == users["reader"]
    assert response.url == reverse("followup:job_detail", args=[job.pk])

    page = client.get(response.url).content.decode()
    assert 'aria-live="polite"' in page and f'href="{response.url}"' in page  # queued: refresh by a link
    assert "<script>" not in page and "style=" not in page
    assert client.get(reverse("followup:job_download", args=[job.pk])).status_code == 404  # not ready yet


def test_a_failed_job_says_so_and_jobs_are_seen_only_by_who_asked(client, users, report):
    job = add_job(report, user=users["planner"], status=RenderStatus.FAILED)
    RenderJob.objects.filter(pk=job.pk).update(error="RuntimeError: the printer caught fire")
    client.force_login(users["planner"])
    page = client.get(reverse("followup:job_detail", args=[job.pk])).content.decode()
    assert 'data-job-status="failed"' in page and "the printer caught fire" in page and "hx-trigger" not in page

    done = add_job(report, user=users["planner"])
    for who, status in (("secretary", 403), ("reader", 403), ("administrator", 200)):
        client.force_login(users[who])
        assert client.get(reverse("followup:job_detail", args=[done.pk])).status_code == status
        assert client.get(reverse("followup:job_download", args=[done.pk])).status_code == status


def test_the_deadline_is_not_overdue_for_an_approved_report(client, users, report):
    FollowUpReport.objects.filter(pk=report.pk).update(status="approved")
    report.period.deadline = datetime.date(2023, 5, 10)
    report.period.save()
    client.force_login(users["reader"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert "deadline--overdue" not in page and 'data-decision="' not in page
