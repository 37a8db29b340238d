"""The operational plan: plan → focus areas → goals, assignments → activities; sections and indicators.

Order is explicit on every level (``order``); numbers such as 2.1 are derived when shown, never stored.
Items that are copied into next year's plan keep a link to the item they came from (``origin``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Unit, User, VersionedModel
from planning.choices import (
    ActivityStatus,
    AssignmentKind,
    Direction,
    FocusAreaKind,
    Frequency,
    IndicatorArea,
    IndicatorUnit,
    SectionKind,
    Stage,
)
from planning.querysets import ActivityQuerySet, AssignmentQuerySet, PlanQuerySet


def origin_field(model_name):
    return models.ForeignKey(
        model_name,
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        editable=False,
    )


class Plan(VersionedModel):
    """One administration's operational plan and internal budget for one year."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next",
    )
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["unit__name", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_plan_per_unit_and_year")]

    def __str__(self):
        return self.title

    @property
    def key(self) -> str:
        """The plan's stable name in commands and URLs: ``<unit-slug>/<year>``."""
        return f"{self.unit.slug}/{self.year}"

    @property
    def is_decided(self) -> bool:
        return self.stage == Stage.DECIDED

    def url_kwargs(self):
        return {"unit": self.unit.slug, "year": self.year}

    def get_absolute_url(self):
        return reverse("planning:plan_detail", kwargs=self.url_kwargs())


class Milestone(models.Model):
    """The date a plan reaches a stage (Dialog 30 aug, Förslag 11 okt, Beslut 22 nov)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="milestones")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["plan", "date"]
        constraints = [models.UniqueConstraint(fields=["plan", "stage"], name="one_milestone_per_stage")]

    def __str__(self):
        return f"{self.get_stage_display()} {self.date or ''}".strip()


class PreparationStep(models.Model):
    """A step before a milestone: preparation in RSAU, consultation in RLG or the office management."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="steps"
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("preparation step")
        verbose_name_plural = _("preparation steps")
        ordering = ["milestone", "date", "pk"]

    def __str__(self):
        return self.title


class StageTransition(models.Model):
    """A decision that moved the plan between stages: who, when, why. Reopening a decided plan needs a reason."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    user = models.ForeignKey(User, verbose_name=_("by"), on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")
        ordering = ["plan", "at", "pk"]

    def __str__(self):
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


class PlanSection(VersionedModel):
    """A named part of the plan: prose (Inledning) or a list of activities (work-environment plan)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("kind"), max_length=20, choices=SectionKind.choices, default=SectionKind.TEXT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.title


class FocusArea(VersionedModel):
    """A focus area of the council's Mål och budget, a perspective, or the office's own development area."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="focus_areas")
    kind = models.CharField(_("kind"), max_length=20, choices=FocusAreaKind.choices, default=FocusAreaKind.FOCUS_AREA)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    origin = origin_field("self")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.title


class Goal(VersionedModel):
    """A goal under a focus area."""

    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    origin = origin_field("self")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["focus_area__order", "order", "pk"]

    def __str__(self):
        return self.title


class Assignment(VersionedModel):
    """What the office commits to. It sits under a focus area (and optionally under a region-wide
    assignment) and contributes to one or more goals."""

    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.CASCADE, related_name="assignments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The region-wide assignment this office assignment belongs to."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssignmentKind.choices, default=AssignmentKind.OFFICE)
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField(Goal, verbose_name=_("contributes to goals"), blank=True, related_name="assignments")
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    origin = origin_field("self")
    history = HistoricalRecords(m2m_fields=[goals])

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["focus_area__order", "order", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.parent_id and self.parent.focus_area.plan_id != self.focus_area.plan_id:
            raise ValidationError({"parent": _("The parent assignment belongs to another plan.")})

    def get_absolute_url(self):
        return reverse("planning:assignment_detail", args=[self.pk])


class Activity(VersionedModel):
    """A concrete step, under an assignment or in a named plan section (work environment, competence)."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
    )
    section = models.ForeignKey(
        PlanSection,
        verbose_name=_("plan section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
    )
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.NOT_STARTED
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    origin = origin_field("self")
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignment__isnull=False, section__isnull=True)
                | Q(assignment__isnull=True, section__isnull=False),
                name="activity_in_assignment_or_section",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="activity_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date is before the start date.")})

    @property
    def plan(self) -> Plan:
        return self.assignment.focus_area.plan if self.assignment_id else self.section.plan

    def get_absolute_url(self):
        return reverse("planning:activity_detail", args=[self.pk])


class Indicator(VersionedModel):
    """A measured value with a target per year (staff turnover, sick leave, net cost deviation …)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators")
    area = models.CharField(_("area"), max_length=20, choices=IndicatorArea.choices)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=IndicatorUnit.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.YEARLY)
    breakdowns = models.JSONField(_("breakdowns"), default=list, blank=True, help_text=_("E.g. gender, age band."))
    order = models.PositiveIntegerField(_("order"), default=0)
    origin = origin_field("self")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "area", "order", "pk"]

    def __str__(self):
        return self.name

    def target_for(self, year: int):
        return next((t.value for t in self.targets.all() if t.year == year), None)


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year")]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.value}"
