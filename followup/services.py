"""Every write to a follow-up report: validated, atomic, versioned, recorded in history.

An approved report is frozen: nothing here changes it until :func:`report_reopen` has recorded a reason.
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from budget import services as budget_services
from budget.models import BudgetColumn, Investment
from core.history import stamp
from core.models import User
from core.versioning import claim_version, stale_version_error
from followup.choices import ReportingPeriod, ReportStatus, TextKey
from followup.models import (
    BreakdownValue,
    FollowUpReport,
    IndicatorOutcome,
    Period,
    ReportApproval,
    ReportText,
    ReportTransition,
    StatusUpdate,
)
from followup.rendering import report_render_for_approval
from planning.models import Activity, Assignment, Indicator, Plan

# Moves a report may make, and whether each needs a reason.
TRANSITIONS = {
    (ReportStatus.DRAFT, ReportStatus.IN_REVIEW): False,
    (ReportStatus.IN_REVIEW, ReportStatus.DRAFT): True,  # sent back to the writers
    (ReportStatus.IN_REVIEW, ReportStatus.APPROVED): False,
    (ReportStatus.APPROVED, ReportStatus.DRAFT): True,  # reopened
}


def refuse_if_frozen(report: FollowUpReport) -> None:
    if report.is_approved:
        raise ValidationError(_("The report is approved and cannot be changed until it is reopened with a reason."))


def _lock(report: FollowUpReport) -> FollowUpReport:
    """Read the report's status under a row lock, so a write cannot slip in beside an approval."""
    locked = FollowUpReport.objects.select_for_update().get(pk=report.pk)
    report.status = locked.status
    return report


def _claim_or_create(model, lookup: dict, version: int | None):
    """The row for ``lookup``, locked and with its version claimed, or a new unsaved one.

    ``version`` 0 means "the form saw no row": if someone created one meanwhile, that is a stale save too."""
    obj = model.objects.select_for_update().filter(**lookup).first()
    if obj is None:
        return model(**lookup)
    if version == 0:
        raise stale_version_error(obj, 0)  # version 0 is in no history: the message lists what was entered
    claim_version(obj, version)
    return obj


@transaction.atomic
def period_ensure(*, year: int, code: str, reason: str | None = None) -> Period:
    if code not in ReportingPeriod.values:
        raise ValidationError(_("Unknown reporting period %(period)s: use T1, T2 or T3.") % {"period": code})
    period = Period.objects.filter(year=year, code=code).first()
    if period is None:
        period = Period(year=year, code=code, deadline=Period.default_deadline(year, code))
        stamp(period, reason=reason).save()
    return period


@transaction.atomic
def report_create(*, plan: Plan, period: str, user: User | None, reason: str | None = None) -> FollowUpReport:
    """Start the plan's report for ``period`` (T1, T2, T3); refused if it exists."""
    found = period_ensure(year=plan.year, code=period, reason=reason)
    if FollowUpReport.objects.filter(plan=plan, period=found).exists():
        raise ValidationError(_("The plan already has a report for %(period)s.") % {"period": found.code})
    report = FollowUpReport(plan=plan, period=found)
    report.full_clean()
    stamp(report, user=user, reason=reason).save()
    return report


@transaction.atomic
def report_text_save(
    *, report: FollowUpReport, key: str, body: str, user: User, version: int | None, reason: str | None = None
) -> ReportText:
    refuse_if_frozen(_lock(report))
    if key not in TextKey.values:
        raise ValidationError(_("Unknown report text."))
    text = _claim_or_create(ReportText, {"report": report, "key": key}, version)
    text.body = body.strip()
    text.full_clean()
    stamp(text, user=user, reason=reason).save()
    return text


@transaction.atomic
def report_assessment_save(
    *, report: FollowUpReport, assessment: str, user: User, version: int | None, reason: str | None = None
) -> FollowUpReport:
    _lock(report)
    refuse_if_frozen(report)
    claim_version(report, version)
    report.assessment = assessment
    report.full_clean()
    stamp(report, user=user, reason=reason).save()
    return report


def _check_item_in_plan(report: FollowUpReport, item) -> None:
    plan_id = item.focus_area.plan_id if isinstance(item, Assignment) else item.plan.pk
    if plan_id != report.plan_id:
        raise ValidationError(_("The item belongs to another plan than the report."))


@transaction.atomic
def status_save(
    *,
    report: FollowUpReport,
    item: Assignment | Activity,
    status: str,
    comment: str,
    user: User,
    version: int | None,
    reason: str | None = None,
) -> StatusUpdate:
    """Set the status and comment of an assignment or activity at the report."""
    refuse_if_frozen(_lock(report))
    _check_item_in_plan(report, item)
    field = "assignment" if isinstance(item, Assignment) else "activity"
    update = _claim_or_create(StatusUpdate, {"report": report, field: item}, version)
    update.status = status
    update.comment = comment.strip()
    update.full_clean()
    stamp(update, user=user, reason=reason).save()
    return update


@transaction.atomic
def indicator_outcome_save(
    *,
    report: FollowUpReport,
    indicator: Indicator,
    value,
    analysis: str,
    breakdown: list[dict] | None,
    user: User,
    version: int | None,
    reason: str | None = None,
) -> IndicatorOutcome:
    """Record an indicator's outcome and analysis; ``breakdown`` (dimension, label, value dicts), when given,
    replaces the groups."""
    refuse_if_frozen(_lock(report))
    if indicator.plan_id != report.plan_id:
        raise ValidationError(_("The indicator belongs to another plan than the report."))
    outcome = _claim_or_create(IndicatorOutcome, {"report": report, "indicator": indicator}, version)
    outcome.value = value
    outcome.analysis = analysis.strip()
    outcome.full_clean()
    stamp(outcome, user=user, reason=reason).save()
    if breakdown is not None:
        _breakdown_replace(outcome, breakdown, user, reason)
    return outcome


@transaction.atomic
def report_forecast_save(
    *, report: FollowUpReport, target: BudgetColumn | Investment, amount, user: User, version: int | None
):
    """The full-year forecast of a budget column or an investment of the report's plan, made after the report's last
    month (budget data, written by ``budget.services``); refused once the report is approved."""
    refuse_if_frozen(_lock(report))
    if target.plan_id != report.plan_id:
        raise ValidationError(_("The forecast belongs to another plan than the report."))
    month = report.end_month
    if isinstance(target, BudgetColumn):
        return budget_services.forecast_set(column=target, month=month, amount=amount, user=user, version=version)
    return budget_services.investment_forecast_set(
        investment=target, month=month, amount=amount, user=user, version=version
    )


def _breakdown_replace(outcome: IndicatorOutcome, rows: list[dict], user: User, reason: str | None) -> None:
    seen = set()
    for row in rows:
        key = (row["dimension"], row["label"].strip().casefold())
        if key in seen:
            raise ValidationError(_("The group “%(label)s” is given twice.") % {"label": row["label"]})
        seen.add(key)
    for old in outcome.breakdown.all():
        stamp(old, user=user, reason=reason).delete()
    for order, row in enumerate(rows):
        value = BreakdownValue(
            outcome=outcome, dimension=row["dimension"], label=row["label"].strip(), value=row["value"], order=order
        )
        value.full_clean()
        stamp(value, user=user, reason=reason).save()


@transaction.atomic
def report_change_status(
    *, report: FollowUpReport, to_status: str, user: User, reason: str = "", version: int | None = None
) -> ReportTransition:
    """Send for review, send back, approve (storing the PDF and snapshot) or reopen (with a reason)."""
    _lock(report)
    claim_version(report, version)  # first: a decision taken meanwhile is a stale form, not an impossible move
    from_status = report.status
    needs_reason = TRANSITIONS.get((from_status, to_status))
    if needs_reason is None:
        raise ValidationError(
            _("A report in status “%(from)s” cannot move to “%(to)s”.")
            % {"from": ReportStatus(from_status).label, "to": ReportStatus(to_status).label}
        )
    reason = reason.strip()
    if needs_reason and not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    report.status = to_status
    stamp(report, user=user, reason=reason or None).save(update_fields=["status", "version"])
    transition = ReportTransition(report=report, from_status=from_status, to_status=to_status, user=user, reason=reason)
    stamp(transition, user=user).save()
    if to_status == ReportStatus.APPROVED:
        _store_approval(report, user)
    return transition


def _store_approval(report: FollowUpReport, user: User) -> ReportApproval:
    rendered, snapshot = report_render_for_approval(report=report)
    approval = ReportApproval(
        report=report,
        approved_by=user,
        pdf=rendered.data,
        pdf_sha256=hashlib.sha256(rendered.data).hexdigest(),
        pages=rendered.pages,
        snapshot=snapshot,
        snapshot_sha256=snapshot_checksum(snapshot),
    )
    stamp(approval, user=user).save()
    return approval


def snapshot_checksum(snapshot: dict) -> str:
    """SHA-256 of the snapshot's canonical JSON (sorted keys, no spaces), so anyone can recompute it."""
    canonical = json.dumps(snapshot, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
