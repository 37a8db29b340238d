"""Approval freezes a report: the stored PDF and snapshot never change, edits are refused until a reopen with a
reason, and a new approval is a new record beside the old one. Also the PDF jobs, on both task backends."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from core.versioning import StaleVersion
from followup.choices import ReportStatus
from followup.jobs import render_job_start
from followup.models import RenderJob, RenderStatus, ReportApproval
from followup.rendering import report_pdf
from followup.services import (
    report_change_status,
    report_create,
    report_text_save,
    snapshot_checksum,
    status_save,
)
from planning.models import Assignment
from tests.followup.pdf import flat, pages_text
from tests.planning.factories import make_plan


@pytest.fixture
def report(org, users):
    plan = make_plan(org["rk"], year=2023, areas=1, goals=1, assignments=2, activities=1, responsible=org["itd"])
    report = report_create(plan=plan, period="T1", user=users["secretary"])
    report_text_save(report=report, key="summary", body="Allt går enligt plan.", user=users["secretary"], version=0)
    return report


def approve(report, user):
    report_change_status(report=report, to_status=ReportStatus.IN_REVIEW, user=user)
    report_change_status(report=report, to_status=ReportStatus.APPROVED, user=user)
    return report.approvals.latest()


def test_approval_stores_the_pdf_and_the_snapshot_with_their_checksums(report, users):
    approval = approve(report, users["secretary"])

    pdf = bytes(approval.pdf)
    assert pdf.startswith(b"%PDF") and approval.pages == len(pages_text(pdf))
    assert approval.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert approval.snapshot_sha256 == snapshot_checksum(approval.snapshot)
    assert approval.snapshot["texts"]["summary"] == "Allt går enligt plan."
    assert approval.snapshot["period"] == "T1" and approval.approved_by == users["secretary"]
    assert "Allt går enligt plan." in flat("\n".join(pages_text(pdf)))
    assert [t.to_status for t in report.transitions.all()] == ["in_review", "approved"]


def test_an_approved_report_refuses_edits_and_keeps_its_pdf_when_the_data_beneath_it_changes(report, users, tmp_path):
    approval = approve(report, users["secretary"])
    with pytest.raises(ValidationError, match="godkänd"):
        report_text_save(report=report, key="summary", body="Ändrad.", user=users["secretary"], version=None)
    assignment = Assignment.objects.in_plan(report.plan).first()
    with pytest.raises(ValidationError):
        status_save(report=report, item=assignment, status="deviation", comment="x", user=users["secretary"],
                    version=None)  # fmt: skip
    Assignment.objects.filter(pk=assignment.pk).update(title="Ett helt nytt namn")  # the plan moves on

    data, pages = report_pdf(report=report)
    assert hashlib.sha256(data).hexdigest() == approval.pdf_sha256 and pages == approval.pages
    target = tmp_path / "approved.pdf"
    call_command("render_report", report.plan.key, "--period", "T1", "--output", str(target), stdout=io.StringIO())
    assert target.read_bytes() == bytes(approval.pdf)


def test_reopening_needs_a_reason_and_a_new_approval_leaves_the_old_one_untouched(report, users):
    first = approve(report, users["secretary"])
    first_pdf = bytes(first.pdf)
    with pytest.raises(ValidationError):
        report_change_status(report=report, to_status=ReportStatus.DRAFT, user=users["secretary"], reason="  ")

    report_change_status(report=report, to_status=ReportStatus.DRAFT, user=users["secretary"], reason="Fel siffra")
    assert report.history.first().history_change_reason == "Fel siffra"
    assert report.transitions.last().reason == "Fel siffra"
    report_text_save(report=report, key="summary", body="Rättad sammanfattning.", user=users["secretary"],
                     version=None)  # fmt: skip
    second = approve(report, users["secretary"])

    first.refresh_from_db()
    assert bytes(first.pdf) == first_pdf and hashlib.sha256(first_pdf).hexdigest() == first.pdf_sha256
    assert second.pdf_sha256 != first.pdf_sha256
    assert ReportApproval.objects.filter(report=report).count() == 2
    assert "Rättad sammanfattning." in flat("\n".join(pages_text(report_pdf(report=report)[0])))


def test_only_the_allowed_moves_are_made(report, users):
    with pytest.raises(ValidationError):
        report_change_status(report=report, to_status=ReportStatus.APPROVED, user=users["secretary"])
    report_change_status(report=report, to_status=ReportStatus.IN_REVIEW, user=users["secretary"])
    with pytest.raises(ValidationError):
        report_change_status(report=report, to_status=ReportStatus.DRAFT, user=users["secretary"])  # no reason
    report_change_status(report=report, to_status=ReportStatus.DRAFT, user=users["secretary"], reason="Komplettera")
    assert report.status == ReportStatus.DRAFT and not report.approvals.exists()


def test_a_stale_text_is_refused_and_a_text_created_meanwhile_is_not_overwritten(report, users):
    text = report.texts.get(key="summary")
    report_text_save(report=report, key="summary", body="Andra versionen.", user=users["secretary"],
                     version=text.version)  # fmt: skip
    with pytest.raises(StaleVersion):
        report_text_save(report=report, key="summary", body="Gammal flik.", user=users["controller"],
                         version=text.version)  # fmt: skip
    with pytest.raises(StaleVersion):  # the form saw no text (version 0), but one exists now
        report_text_save(report=report, key="summary", body="Också gammal.", user=users["controller"], version=0)
    assert report.texts.get(key="summary").body == "Andra versionen."


# PDF jobs ---------------------------------------------------------------------------------------------------------


def test_a_job_renders_at_commit_with_the_immediate_backend(report, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = render_job_start(plan=report.plan, report=report, user=users["planner"])
    job.refresh_from_db()
    assert job.status == RenderStatus.DONE and bytes(job.pdf).startswith(b"%PDF") and job.pages >= 3
    assert job.finished_at is not None and job.error == ""


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_with_the_database_backend_a_worker_renders_the_queued_job(transactional_db, report, users):
    """The worker closes and reopens its connection, as in production: the data must really be committed."""
    job = render_job_start(plan=report.plan, user=users["reader"])  # the plan itself
    job.refresh_from_db()
    assert job.status == RenderStatus.QUEUED and job.pdf is None  # the request returned before any rendering

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())

    job.refresh_from_db()
    assert job.status == RenderStatus.DONE and bytes(job.pdf).startswith(b"%PDF")


def test_a_failing_job_records_the_error_for_the_person_waiting(report, users, django_capture_on_commit_callbacks):
    approve(report, users["secretary"])
    ReportApproval.objects.filter(report=report).delete()  # an approved report without its record cannot print
    with django_capture_on_commit_callbacks(execute=True):
        job = render_job_start(plan=report.plan, report=report, user=users["planner"])
    job = RenderJob.objects.get(pk=job.pk)
    assert job.status == RenderStatus.FAILED and "DoesNotExist" in job.error and job.pdf is None


def test_a_comment_saved_meanwhile_by_someone_else_is_named_in_the_refusal(report, users):
    assignment = Assignment.objects.in_plan(report.plan).first()
    status_save(report=report, item=assignment, status="at_risk", comment="Försenad leverans.", user=users["planner"],
                version=0)  # fmt: skip
    with pytest.raises(StaleVersion) as refused:  # the secretary's form was opened before the planner saved
        status_save(report=report, item=assignment, status="on_track", comment="Allt väl.", user=users["secretary"],
                    version=0)  # fmt: skip
    assert "Försenad leverans." in str(refused.value) and "Risk för avvikelse" in str(refused.value)
    assert report.status_updates.get().comment == "Försenad leverans."


def test_the_preview_of_an_approved_report_points_to_the_filed_pdf(client, report, users):
    approval = approve(report, users["secretary"])
    client.force_login(users["reader"])
    kwargs = report.url_kwargs()
    page = client.get(reverse("followup:report_preview", kwargs=kwargs)).content.decode()
    assert reverse("followup:approval_pdf", kwargs={**kwargs, "pk": approval.pk}) in page
    filed = client.get(reverse("followup:approval_pdf", kwargs={**kwargs, "pk": approval.pk}))
    assert b"".join(filed) == bytes(approval.pdf)
