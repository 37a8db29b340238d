"""PDF jobs: a browser request starts one and polls it; a task renders it (see ``followup.tasks``).

An approved report is never rendered again: its job is answered with the stored PDF, the bytes that were approved.
"""

import logging

from django.db import transaction
from django.utils import timezone

from core.history import stamp
from core.models import User
from followup.models import FollowUpReport, RenderJob, RenderStatus
from planning.models import Plan

logger = logging.getLogger(__name__)


def render_job_start(*, plan: Plan, user: User, report: FollowUpReport | None = None) -> RenderJob:
    """Queue a PDF of ``report`` (or, without one, of the plan) and return the job to poll."""
    from followup.tasks import render_pdf

    job = RenderJob(plan=plan, report=report, requested_by=user)
    stamp(job, user=user).save()
    transaction.on_commit(lambda: render_pdf.enqueue(job.pk))
    return job


def render_job_run(*, job_id: int) -> RenderJob:
    """Render the job's document and store the PDF; a failure is recorded on the job, never lost silently."""
    from followup.rendering import plan_render, report_pdf

    job = RenderJob.objects.select_related("plan__unit", "report__period").get(pk=job_id)
    if job.is_finished:
        return job
    job.status = RenderStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        if job.report is not None:
            job.pdf, job.pages = report_pdf(report=job.report)
        else:
            rendered = plan_render(plan=job.plan)
            job.pdf, job.pages = rendered.data, rendered.pages
        job.status = RenderStatus.DONE
    except Exception as error:  # noqa: BLE001  any failure must reach the person waiting, not vanish in a worker
        logger.exception("PDF job %s failed", job.pk)
        job.status, job.error = RenderStatus.FAILED, f"{type(error).__name__}: {error}"[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "pdf", "pages", "error", "finished_at"])
    return job
