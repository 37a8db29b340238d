"""Internal control: risks scored each year, the board's internal-control plan selecting risks, the controls of
each selected risk, their results per reporting period and the actions that follow.

A risk lives across years (its ``assessments`` hold one score per year); the control plan belongs to one
planning ``Plan`` and follows its stage: a decided plan is read-only.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Unit, User, VersionedModel
from internalcontrol.choices import (
    ActionStatus,
    ControlMethod,
    ControlPlanStatus,
    Outcome,
    ReportingPeriod,
    RiskArea,
    RiskLevel,
)
from internalcontrol.querysets import ActionQuerySet, RiskQuerySet, RiskScaleQuerySet
from planning.models import Assignment, Goal, Plan

SCALE_STEPS = [1, 2, 3, 4]
SCALE_CHOICES = [(n, str(n)) for n in SCALE_STEPS]
DEFAULT_PROBABILITY_LABELS = ["Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"]
DEFAULT_CONSEQUENCE_LABELS = ["Försumbar", "Lindrig", "Kännbar", "Allvarlig"]


def default_probability_labels():
    return list(DEFAULT_PROBABILITY_LABELS)


def default_consequence_labels():
    return list(DEFAULT_CONSEQUENCE_LABELS)


def scale_field(label):
    return models.PositiveSmallIntegerField(
        label, choices=SCALE_CHOICES, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )


class RiskScale(VersionedModel):
    """An organisation's words for the scale steps and the score thresholds of the levels.

    Scores are probability × consequence (1–16). A score is *low* below ``medium_from``, *medium* below
    ``high_from``, *high* below ``very_high_from`` and *very high* from there. Without a saved scale the
    Swedish defaults apply (low 1–3, medium 4–6, high 8–9, very high 12–16).
    """

    unit = models.OneToOneField(
        Unit, verbose_name=_("organisation unit"), on_delete=models.CASCADE, related_name="risk_scale"
    )
    probability_labels = models.JSONField(_("probability labels"), default=default_probability_labels)
    consequence_labels = models.JSONField(_("consequence labels"), default=default_consequence_labels)
    medium_from = models.PositiveSmallIntegerField(_("medium from score"), default=4)
    high_from = models.PositiveSmallIntegerField(_("high from score"), default=8)
    very_high_from = models.PositiveSmallIntegerField(_("very high from score"), default=12)
    history = HistoricalRecords()

    objects = RiskScaleQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk scale")
        verbose_name_plural = _("risk scales")
        ordering = ["unit__order", "unit__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(medium_from__gt=1)
                & Q(high_from__gt=models.F("medium_from"))
                & Q(very_high_from__gt=models.F("high_from"))
                & Q(very_high_from__lte=16),
                name="risk_scale_thresholds_ascend",
            )
        ]

    def __str__(self):
        return f"{gettext('Risk scale')} – {self.unit}"

    def clean(self):
        for field in ("probability_labels", "consequence_labels"):
            labels = getattr(self, field)
            if not (isinstance(labels, list) and len(labels) == 4 and all(isinstance(x, str) and x for x in labels)):
                raise ValidationError({field: _("Give exactly four labels, one per step.")})
        if not (1 < self.medium_from < self.high_from < self.very_high_from <= 16):
            raise ValidationError(_("The thresholds must rise: 1 < medium < high < very high ≤ 16."))

    def level(self, score: int) -> RiskLevel:
        if score >= self.very_high_from:
            return RiskLevel.VERY_HIGH
        if score >= self.high_from:
            return RiskLevel.HIGH
        if score >= self.medium_from:
            return RiskLevel.MEDIUM
        return RiskLevel.LOW

    def level_ranges(self) -> list[dict]:
        """Each level with the lowest and highest score a 4×4 matrix can give it (low 1–3, medium 4–6 …)."""
        scores = sorted({p * c for p in SCALE_STEPS for c in SCALE_STEPS})
        ranges = []
        for level in RiskLevel:
            inside = [score for score in scores if self.level(score) == level]
            if inside:
                ranges.append({"level": level, "low": inside[0], "high": inside[-1]})
        return ranges

    def probability_label(self, step: int) -> str:
        return self.probability_labels[step - 1]

    def consequence_label(self, step: int) -> str:
        return self.consequence_labels[step - 1]


class Risk(VersionedModel):
    """Something that may keep the organisation from doing what it should ("Risk för cyberattacker")."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("organisation unit"),
        on_delete=models.PROTECT,
        related_name="risks",
        help_text=_("The administration whose risk analysis the risk belongs to."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    area = models.CharField(_("area"), max_length=30, choices=RiskArea.choices)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="owned_risks"
    )
    owner_person = models.CharField(_("risk owner"), max_length=200, blank=True)
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("threatens goal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risks",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("threatens assignment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risks",
    )
    history = HistoricalRecords()

    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["title", "pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "title"], name="one_risk_title_per_unit")]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.unit_id and self.owner_unit_id and not _within(self.owner_unit, self.unit_id):
            errors["owner_unit"] = _("The owner unit must be the organisation unit or a unit under it.")
        if self.goal_id and self.goal.focus_area.plan.unit_id != self.unit_id:
            errors["goal"] = _("The goal belongs to another unit's plan.")
        if self.assignment_id and self.assignment.focus_area.plan.unit_id != self.unit_id:
            errors["assignment"] = _("The assignment belongs to another unit's plan.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("internalcontrol:risk_detail", args=[self.pk])


def _within(unit: Unit, ancestor_id: int) -> bool:
    seen = set()
    while unit is not None and unit.pk not in seen:
        if unit.pk == ancestor_id:
            return True
        seen.add(unit.pk)
        unit = unit.parent
    return False


class RiskAssessment(VersionedModel):
    """A risk's score for one year: probability × consequence, each 1–4. The score is computed, never stored."""

    risk = models.ForeignKey(Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    probability = scale_field(_("probability"))
    consequence = scale_field(_("consequence"))
    rationale = models.TextField(_("rationale"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["risk", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "year"], name="one_assessment_per_risk_and_year"),
            models.CheckConstraint(
                condition=Q(probability__gte=1, probability__lte=4, consequence__gte=1, consequence__lte=4),
                name="assessment_steps_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.risk} {self.year}: {self.probability} × {self.consequence} = {self.score}"

    @property
    def score(self) -> int:
        return self.probability * self.consequence

    def get_absolute_url(self):
        return self.risk.get_absolute_url()


class ControlPlan(VersionedModel):
    """The board's internal-control plan of one plan year: which risks are controlled, and how."""

    plan = models.OneToOneField(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="control_plan")
    status = models.CharField(
        _("status"), max_length=20, choices=ControlPlanStatus.choices, default=ControlPlanStatus.PROPOSED
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User, verbose_name=_("approved by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internal-control plan")
        verbose_name_plural = _("internal-control plans")
        ordering = ["plan__unit__name", "-plan__year"]

    def __str__(self):
        return f"{gettext('Internal-control plan')} {self.plan.year}"

    @property
    def is_approved(self) -> bool:
        return self.status == ControlPlanStatus.APPROVED

    @property
    def is_read_only(self) -> bool:
        return self.plan.is_decided

    def get_absolute_url(self):
        return reverse("internalcontrol:plan", kwargs=self.plan.url_kwargs())


class SelectedRisk(VersionedModel):
    """A risk the board chose to control in the year, with the reason."""

    control_plan = models.ForeignKey(
        ControlPlan, verbose_name=_("internal-control plan"), on_delete=models.CASCADE, related_name="selected_risks"
    )
    risk = models.ForeignKey(Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="selections")
    reason = models.TextField(_("reason"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("selected risk")
        verbose_name_plural = _("selected risks")
        ordering = ["control_plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["control_plan", "risk"], name="risk_selected_once_per_plan")]

    def __str__(self):
        return str(self.risk)

    def clean(self):
        if self.risk_id and self.control_plan_id and self.risk.unit_id != self.control_plan.plan.unit_id:
            raise ValidationError({"risk": _("The risk belongs to another unit's risk analysis.")})

    def get_absolute_url(self):
        return self.control_plan.get_absolute_url()


PERIOD_FIELDS = {ReportingPeriod.T1: "in_t1", ReportingPeriod.T2: "in_t2", ReportingPeriod.T3: "in_t3"}


class Control(VersionedModel):
    """A check of a selected risk (kontrollmoment): what is checked, the method, the reports it is due in."""

    selected_risk = models.ForeignKey(
        SelectedRisk, verbose_name=_("selected risk"), on_delete=models.CASCADE, related_name="controls"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description of the method"), blank=True)
    method = models.CharField(_("method"), max_length=20, choices=ControlMethod.choices)
    in_t1 = models.BooleanField(_("reported in T1"), default=False)
    in_t2 = models.BooleanField(_("reported in T2"), default=False)
    in_t3 = models.BooleanField(_("reported at year end"), default=False)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("control")
        verbose_name_plural = _("controls")
        ordering = ["selected_risk__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_t1=True) | Q(in_t2=True) | Q(in_t3=True), name="control_reported_in_a_period"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.periods:
            raise ValidationError(_("Choose at least one report the control is reported in."))

    @property
    def periods(self) -> list[str]:
        return [period for period, field in PERIOD_FIELDS.items() if getattr(self, field)]

    def set_periods(self, periods) -> None:
        for period, field in PERIOD_FIELDS.items():
            setattr(self, field, period in periods)

    def is_due_in(self, period: str) -> bool:
        return period in self.periods

    @property
    def plan(self) -> Plan:
        return self.selected_risk.control_plan.plan

    def get_absolute_url(self):
        return reverse("internalcontrol:control_detail", args=[self.pk])


class ControlResult(VersionedModel):
    """How a control went in one reporting period, with an optional small table (columns and rows of text)."""

    control = models.ForeignKey(Control, verbose_name=_("control"), on_delete=models.CASCADE, related_name="results")
    period = models.CharField(_("reporting period"), max_length=2, choices=ReportingPeriod.choices)
    outcome = models.CharField(_("result"), max_length=20, choices=Outcome.choices)
    text = models.TextField(_("description of the result"), blank=True)
    table = models.JSONField(
        _("table"), null=True, blank=True, help_text=_('{"columns": [...], "rows": [[...], ...]}, all cells text.')
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("control result")
        verbose_name_plural = _("control results")
        ordering = ["control", "period"]
        constraints = [models.UniqueConstraint(fields=["control", "period"], name="one_result_per_control_and_period")]

    def __str__(self):
        return f"{self.control} {self.period}: {self.get_outcome_display()}"

    def clean(self):
        if self.control_id and self.period and not self.control.is_due_in(self.period):
            raise ValidationError(not_due_message(self.control, self.period))
        if self.table is not None:
            validate_table(self.table)

    def get_absolute_url(self):
        return self.control.get_absolute_url()


def not_due_message(control: Control, period: str) -> str:
    return gettext(
        "“%(control)s” is not reported in %(period)s. It is reported in: %(periods)s. "
        "Enter the result in one of those reports, or change the control's reports first."
    ) % {
        "control": control.title,
        "period": ReportingPeriod(period).label,
        "periods": ", ".join(str(ReportingPeriod(p).label) for p in control.periods),
    }


def validate_table(table) -> None:
    """A result table is ``{"columns": [str, ...], "rows": [[str, ...], ...]}`` with equally long rows."""
    if not isinstance(table, dict) or set(table) != {"columns", "rows"}:
        raise ValidationError({"table": _("The table must have columns and rows.")})
    columns, rows = table["columns"], table["rows"]
    if not (isinstance(columns, list) and columns and all(isinstance(c, str) for c in columns)):
        raise ValidationError({"table": _("The table needs at least one column heading.")})
    if not isinstance(rows, list):
        raise ValidationError({"table": _("The table must have columns and rows.")})
    for number, row in enumerate(rows, start=1):
        if not (isinstance(row, list) and len(row) == len(columns) and all(isinstance(c, str) for c in row)):
            raise ValidationError(
                {"table": _("Row %(row)s does not have %(count)s text cells.") % {"row": number, "count": len(columns)}}
            )


class Action(VersionedModel):
    """A corrective step after a control (åtgärd), with an owner and a due date."""

    control = models.ForeignKey(Control, verbose_name=_("control"), on_delete=models.CASCADE, related_name="actions")
    result = models.ForeignKey(
        ControlResult,
        verbose_name=_("after the result"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    description = models.TextField(_("description"))
    owner = models.CharField(_("owner"), max_length=200)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.description[:80]

    def clean(self):
        if self.result_id and self.control_id and self.result.control_id != self.control_id:
            raise ValidationError({"result": _("The result belongs to another control.")})

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or datetime.date.today()
        return self.status != ActionStatus.DONE and self.due_date < today

    def get_absolute_url(self):
        return self.control.get_absolute_url()
