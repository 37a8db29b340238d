"""Tertial follow-up: reporting periods, the report of a plan for a period, and what is written in it.

A report holds only what people write at follow-up (statuses with comments, indicator outcomes with analysis, the
report's texts). Everything it shows beyond that (the plan's structure, budget and outcomes, internal-control
results) is read from the other apps when the report is rendered. Approval freezes the report: the rendered PDF and
a JSON snapshot of the data it was made from are stored with their SHA-256 and never change.
"""

import calendar
import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import User, VersionedModel
from followup.choices import PERIOD_END_MONTH, ItemStatus, ReportingPeriod, ReportStatus, TextKey
from followup.querysets import ReportQuerySet
from planning.choices import Breakdown
from planning.models import Activity, Assignment, Indicator, Plan

# Document titles per period, as the region names them (GLOSSARY: follow-up report, interim report, annual report).
REPORT_TITLES = {
    ReportingPeriod.T1: _("Follow-up report 1 %(year)s"),
    ReportingPeriod.T2: _("Interim report %(year)s"),
    ReportingPeriod.T3: _("Annual report %(year)s"),
}


class Period(models.Model):
    """A tertial of a year (T1 January–April, T2 January–August, T3 the full year) and its reporting deadline."""

    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("period"), max_length=2, choices=ReportingPeriod.choices)
    deadline = models.DateField(_("deadline"), null=True, blank=True, help_text=_("When the units' input is due."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="one_period_per_year_and_code")]

    def __str__(self):
        return f"{self.code} {self.year}"

    @property
    def end_month(self) -> int:
        return PERIOD_END_MONTH[ReportingPeriod(self.code)]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, self.end_month, calendar.monthrange(self.year, self.end_month)[1])

    @staticmethod
    def default_deadline(year: int, code: str) -> datetime.date:
        """The tenth day after the period closes."""
        month = PERIOD_END_MONTH[ReportingPeriod(code)]
        return datetime.date(year, month, calendar.monthrange(year, month)[1]) + datetime.timedelta(days=10)


class FollowUpReport(VersionedModel):
    """A plan's follow-up report for one period: draft → in review → approved (frozen until reopened)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    assessment = models.CharField(
        _("overall assessment"),
        max_length=20,
        choices=ItemStatus.choices,
        blank=True,
        help_text=_("The office's overall assessment of the plan at this report."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["plan", "period__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "period"], name="one_report_per_plan_and_period")]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return str(REPORT_TITLES[ReportingPeriod(self.period.code)]) % {"year": self.period.year}

    @property
    def is_approved(self) -> bool:
        return self.status == ReportStatus.APPROVED

    @property
    def end_month(self) -> int:
        return self.period.end_month

    def url_kwargs(self) -> dict:
        return {**self.plan.url_kwargs(), "period": self.period.code}

    def get_absolute_url(self):
        return reverse("followup:report_detail", kwargs=self.url_kwargs())


class ReportText(VersionedModel):
    """One of the report's texts (the summary, an economy comment …), see :class:`followup.choices.TextKey`."""

    report = models.ForeignKey(FollowUpReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="texts")
    key = models.CharField(_("text"), max_length=30, choices=TextKey.choices)
    body = models.TextField(_("text"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        ordering = ["report", "key"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="one_text_per_report_and_key")]

    def __str__(self):
        return f"{self.report}: {self.get_key_display()}"


class StatusUpdate(VersionedModel):
    """The status of one assignment or activity at a report, with the responsible unit's comment."""

    report = models.ForeignKey(
        FollowUpReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="status_updates"
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="status_updates",
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["report", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignment__isnull=False, activity__isnull=True)
                | Q(assignment__isnull=True, activity__isnull=False),
                name="status_for_assignment_or_activity",
            ),
            models.UniqueConstraint(fields=["report", "assignment"], name="one_status_per_assignment"),
            models.UniqueConstraint(fields=["report", "activity"], name="one_status_per_activity"),
        ]

    def __str__(self):
        return f"{self.item}: {self.get_status_display()}"

    @property
    def item(self):
        return self.assignment if self.assignment_id else self.activity


class IndicatorOutcome(VersionedModel):
    """An indicator's outcome at a report (staff turnover 11,15 %), with the analysis and optional breakdowns."""

    report = models.ForeignKey(
        FollowUpReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="indicator_outcomes"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="outcomes"
    )
    value = models.DecimalField(_("outcome"), max_digits=14, decimal_places=2, null=True, blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator outcome")
        verbose_name_plural = _("indicator outcomes")
        ordering = ["report", "indicator__area", "indicator__order"]
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="one_outcome_per_indicator")]

    def __str__(self):
        return f"{self.indicator}: {self.value}"


class BreakdownValue(models.Model):
    """An indicator outcome for one group: women 12,46 %, age 20–29 34,71 %."""

    outcome = models.ForeignKey(
        IndicatorOutcome, verbose_name=_("indicator outcome"), on_delete=models.CASCADE, related_name="breakdown"
    )
    dimension = models.CharField(_("breakdown"), max_length=20, choices=Breakdown.choices)
    label = models.CharField(_("group"), max_length=100)
    value = models.DecimalField(_("outcome"), max_digits=14, decimal_places=2)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("breakdown value")
        verbose_name_plural = _("breakdown values")
        ordering = ["outcome", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "dimension", "label"], name="one_value_per_breakdown_group")
        ]

    def __str__(self):
        return f"{self.label}: {self.value}"


class ReportTransition(models.Model):
    """A decision on the report: sent for review, approved, or reopened (with a reason). Who, when, why."""

    report = models.ForeignKey(
        FollowUpReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=ReportStatus.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    user = models.ForeignKey(User, verbose_name=_("by"), on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report decision")
        verbose_name_plural = _("report decisions")
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ReportApproval(models.Model):
    """What was approved: the PDF exactly as filed and the data it was made from, each with its SHA-256.

    Rows are never changed or deleted; a reopened and re-approved report gets a new one."""

    report = models.ForeignKey(
        FollowUpReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="approvals"
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        User, verbose_name=_("approved by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    pdf = models.BinaryField(_("PDF"))
    pdf_sha256 = models.CharField(_("PDF checksum (SHA-256)"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"))
    snapshot = models.JSONField(_("data snapshot"))
    snapshot_sha256 = models.CharField(_("snapshot checksum (SHA-256)"), max_length=64)
    history = HistoricalRecords(excluded_fields=["pdf", "snapshot"])

    class Meta:
        verbose_name = _("report approval")
        verbose_name_plural = _("report approvals")
        ordering = ["report", "-approved_at", "-pk"]
        get_latest_by = "approved_at"

    def __str__(self):
        return f"{self.report} ({self.approved_at:%Y-%m-%d})"


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Creating the PDF")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class RenderJob(models.Model):
    """A PDF asked for from the browser, rendered by a background task; the page polls it until it is ready.

    Kept in our own table (not only in the task backend's results) so any process can answer the poll whatever
    task backend runs the work."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        FollowUpReport, verbose_name=_("report"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    history = HistoricalRecords(excluded_fields=["pdf"])

    class Meta:
        verbose_name = _("PDF job")
        verbose_name_plural = _("PDF jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.report or self.plan} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (RenderStatus.DONE, RenderStatus.FAILED)
