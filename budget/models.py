"""Budget and investments of a plan: the operating budget by column × account class, the budget frame, initiatives,
budget adjustments, monthly distribution, the five-year investment plan, and ledger outcomes.

Amounts are stored in kronor as ``Decimal`` with the budget-table sign: revenue negative, costs positive, so the
net budget (the sum of the account classes) is the net cost. Tables that show net cost negative flip the sign when
they are presented (``budget.calculations.result_sign``). Totals are computed from these exact values and rounded only
for display.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budget.choices import AdjustmentKind, ImportStatus, InvestmentCategory, Sign
from budget.querysets import InvestmentQuerySet, LedgerOutcomeQuerySet
from core.models import Unit, User, VersionedModel
from planning.models import Plan

HORIZON_YEARS = 5


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, **kwargs)


def month_field(verbose_name=None):
    return models.PositiveSmallIntegerField(
        verbose_name or _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )


class AccountClass(models.Model):
    """Reference data: Intäkter, Personalkostnader, Övriga driftskostnader. The business key is ``code``."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    sign = models.SmallIntegerField(_("sign"), choices=Sign.choices, default=Sign.COST)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account class")
        verbose_name_plural = _("account classes")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class DistributionProfile(VersionedModel):
    """How an annual budget spreads over the months: twelve relative weights (any scale). Columns without a
    profile are spread evenly."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="budget_profiles")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    weights = models.JSONField(_("monthly weights"), default=list, help_text=_("Twelve numbers, January to December."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("distribution profile")
        verbose_name_plural = _("distribution profiles")
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="budget_profile_code_per_plan")]

    def __str__(self):
        return self.name

    def decimal_weights(self) -> list[Decimal]:
        return [Decimal(str(w)) for w in self.weights]

    def clean(self):
        try:
            weights = self.decimal_weights()
        except (ArithmeticError, ValueError, TypeError):
            raise ValidationError({"weights": _("The weights must be numbers.")}) from None
        if len(weights) != 12 or any(w < 0 for w in weights) or sum(weights) <= 0:
            raise ValidationError({"weights": _("Give twelve weights, none negative, with a positive sum.")})

    def cumulative_share(self, month: int) -> Decimal:
        weights = self.decimal_weights()
        return sum(weights[:month], Decimal(0)) / sum(weights, Decimal(0))


def even_share(month: int) -> Decimal:
    return Decimal(month) / Decimal(12)


CODE_VALIDATOR = RegexValidator(
    r"^\w[\w.-]*$", _("Use letters, digits, dots, hyphens and underscores, beginning with a letter or digit.")
)


class BudgetColumn(VersionedModel):
    """A column of the plan's budget table ("Regionkontoret inkl. IT", "Utveckling", "Förtroendevalda").

    ``unit`` is the organisational unit whose ledger rows belong to the column (outcome imports may name the
    unit's code instead of the column's)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="budget_columns")
    code = models.CharField(_("code"), max_length=20, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    profile = models.ForeignKey(
        DistributionProfile,
        verbose_name=_("monthly distribution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="columns",
        help_text=_("Empty: the annual budget is spread evenly over the months."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget column")
        verbose_name_plural = _("budget columns")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="budget_column_code_per_plan"),
            models.UniqueConstraint(fields=["plan", "name"], name="budget_column_name_per_plan"),
        ]

    def __str__(self):
        return self.name

    def ytd_share(self, month: int) -> Decimal:
        return self.profile.cumulative_share(month) if self.profile_id else even_share(month)


class BudgetLine(VersionedModel):
    """The annual budget of one account class in one column."""

    column = models.ForeignKey(BudgetColumn, verbose_name=_("column"), on_delete=models.CASCADE, related_name="lines")
    account_class = models.ForeignKey(
        AccountClass, verbose_name=_("account class"), on_delete=models.PROTECT, related_name="+"
    )
    amount = money_field(_("amount (kr)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["column__order", "account_class__order"]
        constraints = [
            models.UniqueConstraint(fields=["column", "account_class"], name="one_budget_line_per_column_and_class")
        ]

    def __str__(self):
        return f"{self.column} / {self.account_class}"


class BudgetFrame(models.Model):
    """The budget frame build-up of a plan: previous frame + adjustments = new frame, in one or more columns."""

    plan = models.OneToOneField(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="budget_frame")
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget frame")
        verbose_name_plural = _("budget frames")
        ordering = ["plan"]

    def __str__(self):
        return self.title


class FrameColumn(VersionedModel):
    """A column of the frame ("Budget 2024 total", "Budget 2024 exkl. ITD").

    ``decided_total`` is the frame as decided and printed. It is kept as entered even when it differs from the sum
    of the (rounded) parts; the difference is shown, never hidden."""

    frame = models.ForeignKey(BudgetFrame, verbose_name=_("frame"), on_delete=models.CASCADE, related_name="columns")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    previous_total = money_field(_("previous year's frame (kr)"), default=0)
    decided_total = money_field(_("decided frame (kr)"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("frame column")
        verbose_name_plural = _("frame columns")
        ordering = ["frame", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["frame", "code"], name="frame_column_code_per_frame")]

    def __str__(self):
        return self.name


class FrameAdjustment(VersionedModel):
    """A step of the frame build-up: price indexation, demography 1 %, development 1 %, efficiency −1,5 %, changes.

    A percentage step without an entered amount is computed as ``rate`` % of the previous frame."""

    frame = models.ForeignKey(
        BudgetFrame, verbose_name=_("frame"), on_delete=models.CASCADE, related_name="adjustments"
    )
    label = models.CharField(_("label"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=AdjustmentKind.choices, default=AdjustmentKind.AMOUNT)
    rate = models.DecimalField(_("rate (%)"), max_digits=7, decimal_places=3, null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("frame adjustment")
        verbose_name_plural = _("frame adjustments")
        ordering = ["frame", "order", "pk"]

    def __str__(self):
        return self.label

    def clean(self):
        if self.kind == AdjustmentKind.PERCENT and self.rate is None:
            raise ValidationError({"rate": _("A percentage adjustment needs a rate.")})


class FrameAmount(VersionedModel):
    """The amount of one frame adjustment in one frame column, as entered."""

    adjustment = models.ForeignKey(
        FrameAdjustment, verbose_name=_("adjustment"), on_delete=models.CASCADE, related_name="amounts"
    )
    column = models.ForeignKey(FrameColumn, verbose_name=_("column"), on_delete=models.CASCADE, related_name="amounts")
    amount = money_field(_("amount (kr)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("frame amount")
        verbose_name_plural = _("frame amounts")
        ordering = ["adjustment__order", "column__order"]
        constraints = [models.UniqueConstraint(fields=["adjustment", "column"], name="one_frame_amount_per_cell")]

    def __str__(self):
        return f"{self.adjustment} / {self.column}"


class Initiative(VersionedModel):
    """An earmarked increase from Mål och budget ("satsning"), per department."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="initiatives")
    unit = models.ForeignKey(
        Unit, verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    amount = money_field(_("amount (kr)"))
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.title


class BudgetAdjustment(VersionedModel):
    """A reallocation of budget with its decision (e.g. 800 tkr from the board's contingency fund to Hallands
    Konstskola). From and to are a budget column or, for what lies outside the table, a text."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="budget_adjustments")
    amount = money_field(_("amount (kr)"), validators=[MinValueValidator(Decimal("0.01"))])
    from_column = models.ForeignKey(
        BudgetColumn,
        verbose_name=_("from column"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments_out",
    )
    from_text = models.CharField(_("from"), max_length=300, blank=True)
    to_column = models.ForeignKey(
        BudgetColumn,
        verbose_name=_("to column"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments_in",
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("to unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_text = models.CharField(_("to"), max_length=300, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=200)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget adjustment")
        verbose_name_plural = _("budget adjustments")
        ordering = ["plan", "decided_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budget_adjustment_amount_positive")]

    def __str__(self):
        return f"{self.source} → {self.target}"

    @property
    def source(self) -> str:
        return " – ".join(str(part) for part in (self.from_column, self.from_text) if part)

    @property
    def target(self) -> str:
        return " – ".join(str(part) for part in (self.to_column, self.to_unit, self.to_text) if part)

    def clean(self):
        errors = {}
        if not (self.from_column_id or self.from_text.strip()):
            errors["from_text"] = _("Say where the money comes from: a column or a text.")
        if not (self.to_column_id or self.to_unit_id or self.to_text.strip()):
            errors["to_text"] = _("Say where the money goes: a column, a unit or a text.")
        for field in ("from_column", "to_column"):
            column = getattr(self, field)
            if column is not None and column.plan_id != self.plan_id:
                errors[field] = _("The column belongs to another plan.")
        if errors:
            raise ValidationError(errors)


class Investment(VersionedModel):
    """An investment object of the plan's five-year investment plan.

    Without ``department`` it is a row of the plan's own investment plan (the one with the plan's totals). With a
    department it is a row of that department's detailed plan (e.g. the IT department's plan in tkr), which breaks
    the plan's rows down and is therefore never added to the plan's totals."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="investments")
    department = models.ForeignKey(
        Unit, verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("investment object"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=InvestmentCategory.choices)
    total = money_field(_("total budget (kr)"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = InvestmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        ordering = ["plan", "department__code", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name", "category"],
                condition=Q(department__isnull=True),
                name="investment_key_in_plan",
            ),
            models.UniqueConstraint(
                fields=["plan", "department", "name", "category"],
                condition=Q(department__isnull=False),
                name="investment_key_in_department_plan",
            ),
        ]

    def __str__(self):
        return self.name


class InvestmentYear(VersionedModel):
    """The amount of an investment in one year of the plan's five-year horizon."""

    investment = models.ForeignKey(
        Investment, verbose_name=_("investment"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = money_field(_("amount (kr)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investment year")
        verbose_name_plural = _("investment years")
        ordering = ["investment", "year"]
        constraints = [models.UniqueConstraint(fields=["investment", "year"], name="one_amount_per_investment_year")]

    def __str__(self):
        return f"{self.investment} {self.year}"

    def clean(self):
        first = self.investment.plan.year
        if not first <= self.year < first + HORIZON_YEARS:
            message = _("The year must be within the plan's horizon %(first)s–%(last)s.") % {
                "first": first,
                "last": first + HORIZON_YEARS - 1,
            }
            raise ValidationError({"year": message})


class LedgerOutcome(models.Model):
    """The ledger outcome of one month for one column and account class (imported from a ledger extract)."""

    column = models.ForeignKey(
        BudgetColumn, verbose_name=_("column"), on_delete=models.CASCADE, related_name="outcomes"
    )
    account_class = models.ForeignKey(
        AccountClass, verbose_name=_("account class"), on_delete=models.PROTECT, related_name="+"
    )
    month = month_field()
    amount = money_field(_("amount (kr)"))
    history = HistoricalRecords()

    objects = LedgerOutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger outcome")
        verbose_name_plural = _("ledger outcomes")
        ordering = ["column__order", "account_class__order", "month"]
        constraints = [
            models.UniqueConstraint(fields=["column", "account_class", "month"], name="one_outcome_per_cell_and_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="ledger_outcome_month_valid"),
        ]

    def __str__(self):
        return f"{self.column} / {self.account_class} / {self.month}"


class Forecast(VersionedModel):
    """A full-year forecast of a column's net cost, made after ``month``."""

    column = models.ForeignKey(
        BudgetColumn, verbose_name=_("column"), on_delete=models.CASCADE, related_name="forecasts"
    )
    month = month_field(_("made after month"))
    amount = money_field(_("full-year forecast (kr)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        ordering = ["column__order", "month"]
        constraints = [models.UniqueConstraint(fields=["column", "month"], name="one_forecast_per_column_and_month")]

    def __str__(self):
        return f"{self.column} {self.month}"


class InvestmentOutcome(models.Model):
    """The outcome of an investment in one month."""

    investment = models.ForeignKey(
        Investment, verbose_name=_("investment"), on_delete=models.CASCADE, related_name="outcomes"
    )
    month = month_field()
    amount = money_field(_("amount (kr)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investment outcome")
        verbose_name_plural = _("investment outcomes")
        ordering = ["investment", "month"]
        constraints = [models.UniqueConstraint(fields=["investment", "month"], name="one_investment_outcome_per_month")]

    def __str__(self):
        return f"{self.investment} {self.month}"


class InvestmentForecast(VersionedModel):
    """A full-year forecast of an investment for the plan year, made after ``month``."""

    investment = models.ForeignKey(
        Investment, verbose_name=_("investment"), on_delete=models.CASCADE, related_name="forecasts"
    )
    month = month_field(_("made after month"))
    amount = money_field(_("full-year forecast (kr)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investment forecast")
        verbose_name_plural = _("investment forecasts")
        ordering = ["investment", "month"]
        constraints = [
            models.UniqueConstraint(fields=["investment", "month"], name="one_investment_forecast_per_month")
        ]

    def __str__(self):
        return f"{self.investment} {self.month}"


class ImportBatch(models.Model):
    """An uploaded workbook between preview and confirmation, kept afterwards as the record of the import.

    Stored in the database so that preview and confirmation may be served by different processes."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="budget_imports")
    user = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("budget import")
        verbose_name_plural = _("budget imports")
        ordering = ["plan", "-created_at", "-pk"]

    def __str__(self):
        return self.filename
