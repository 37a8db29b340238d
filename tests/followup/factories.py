"""Small factories for follow-up reports: a report, an approval with stored bytes (no rendering), a PDF job."""

import hashlib

from followup.models import FollowUpReport, RenderJob, RenderStatus, ReportApproval
from followup.services import period_ensure

FAKE_PDF = b"%PDF-1.7\n% stored at approval\n"


def make_report(plan, *, period="T1", status="draft"):
    report, _created = FollowUpReport.objects.get_or_create(
        plan=plan, period=period_ensure(year=plan.year, code=period), defaults={"status": status}
    )
    return report


def add_approval(report, *, user=None, pdf=FAKE_PDF):
    """An approval row as the service stores it, with the given bytes instead of a rendered PDF."""
    return ReportApproval.objects.create(
        report=report,
        approved_by=user,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        pages=1,
        snapshot={},
        snapshot_sha256="",
    )


def add_job(report_or_plan, *, user, status=RenderStatus.DONE, pdf=FAKE_PDF):
    report = report_or_plan if isinstance(report_or_plan, FollowUpReport) else None
    plan = report.plan if report else report_or_plan
    done = status == RenderStatus.DONE
    return RenderJob.objects.create(
        plan=plan, report=report, requested_by=user, status=status, pdf=pdf if done else None, pages=1 if done else None
    )


def followup_world(world) -> dict:
    """For the permission matrix, made on first use: the plan's T1 report with an approval on record, and a
    finished PDF job that the secretary asked for."""
    if "report" not in world:
        report = make_report(world["plan"])
        world.update(
            report=report,
            report_approval=add_approval(report, user=world["users"]["secretary"]),
            report_job=add_job(report, user=world["users"]["secretary"]),
        )
    return world
