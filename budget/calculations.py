"""The budget's tables, computed from exact stored values in a fixed number of queries.

Nothing here rounds: templates and the Excel export round for display only. Values keep the budget-table sign
(revenue negative, costs positive, net budget = net cost); :func:`result_sign` turns them into the result-table sign
(net cost negative) where a table is presented that way.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Sum

from budget.choices import CATEGORY_SHEET_LABELS, AdjustmentKind, InvestmentCategory
from budget.models import (
    HORIZON_YEARS,
    AccountClass,
    BudgetColumn,
    BudgetFrame,
    BudgetLine,
    Forecast,
    FrameAdjustment,
    FrameAmount,
    FrameColumn,
    Investment,
    InvestmentForecast,
    InvestmentOutcome,
    LedgerOutcome,
)

ZERO = Decimal(0)


def result_sign(value):
    """Budget-table sign → result-table sign (net cost shown negative). The one place the sign flips."""
    return None if value is None else -value


def total(values) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def plan_years(plan) -> list[int]:
    return list(range(plan.year, plan.year + HORIZON_YEARS))


# Operating budget -------------------------------------------------------------------------------------------------


@dataclass
class BudgetCell:
    column: BudgetColumn
    account_class: AccountClass
    line: BudgetLine | None

    @property
    def amount(self):
        return self.line.amount if self.line else None

    @property
    def version(self) -> int:
        return self.line.version if self.line else 0


@dataclass
class BudgetRow:
    account_class: AccountClass
    cells: list[BudgetCell]

    @property
    def total(self) -> Decimal:
        return total(cell.amount for cell in self.cells)


@dataclass
class BudgetTable:
    columns: list[BudgetColumn]
    rows: list[BudgetRow]

    @property
    def column_totals(self) -> list[Decimal]:
        return [total(row.cells[i].amount for row in self.rows) for i in range(len(self.columns))]

    @property
    def total(self) -> Decimal:
        return total(row.total for row in self.rows)

    @property
    def has_lines(self) -> bool:
        return any(cell.line for row in self.rows for cell in row.cells)

    def cell(self, column_id: int, account_class_id: int) -> BudgetCell | None:
        for row in self.rows:
            for cell in row.cells:
                if cell.column.pk == column_id and cell.account_class.pk == account_class_id:
                    return cell
        return None


def budget_table(plan) -> BudgetTable:
    columns = list(BudgetColumn.objects.filter(plan=plan).select_related("unit"))
    classes = list(AccountClass.objects.all())
    lines = {(line.column_id, line.account_class_id): line for line in BudgetLine.objects.filter(column__plan=plan)}
    rows = [
        BudgetRow(
            account_class=account_class,
            cells=[BudgetCell(column, account_class, lines.get((column.pk, account_class.pk))) for column in columns],
        )
        for account_class in classes
    ]
    return BudgetTable(columns=columns, rows=rows)


# Budget frame -----------------------------------------------------------------------------------------------------


@dataclass
class FrameCell:
    adjustment: FrameAdjustment
    column: FrameColumn
    entered: FrameAmount | None

    @property
    def computed(self) -> bool:
        """A percentage step without an entered amount: rate % of the previous frame."""
        return (
            self.entered is None and self.adjustment.kind == AdjustmentKind.PERCENT and self.adjustment.rate is not None
        )

    @property
    def amount(self):
        if self.entered is not None:
            return self.entered.amount
        if self.computed:
            return self.column.previous_total * self.adjustment.rate / Decimal(100)
        return None

    @property
    def version(self) -> int:
        return self.entered.version if self.entered else 0


@dataclass
class FrameRow:
    adjustment: FrameAdjustment
    cells: list[FrameCell]


@dataclass
class FrameSummary:
    column: FrameColumn
    computed_total: Decimal

    @property
    def decided_total(self):
        return self.column.decided_total

    @property
    def difference(self):
        """Decided minus computed: the rounding difference of a decided figure made of rounded parts."""
        if self.column.decided_total is None:
            return None
        return self.column.decided_total - self.computed_total

    @property
    def new_frame(self) -> Decimal:
        return self.decided_total if self.decided_total is not None else self.computed_total


@dataclass
class FrameTable:
    frame: BudgetFrame
    columns: list[FrameColumn]
    rows: list[FrameRow]
    summaries: list[FrameSummary] = field(default_factory=list)

    @property
    def has_difference(self) -> bool:
        return any(s.difference for s in self.summaries)


def frame_table(plan) -> FrameTable | None:
    frame = BudgetFrame.objects.filter(plan=plan).first()
    if frame is None:
        return None
    columns = list(frame.columns.all())
    adjustments = list(frame.adjustments.all())
    entered = {(a.adjustment_id, a.column_id): a for a in FrameAmount.objects.filter(column__frame=frame)}
    rows = [
        FrameRow(
            adjustment, [FrameCell(adjustment, column, entered.get((adjustment.pk, column.pk))) for column in columns]
        )
        for adjustment in adjustments
    ]
    summaries = [
        FrameSummary(column, column.previous_total + total(row.cells[i].amount for row in rows))
        for i, column in enumerate(columns)
    ]
    return FrameTable(frame=frame, columns=columns, rows=rows, summaries=summaries)


# Investments ------------------------------------------------------------------------------------------------------


@dataclass
class InvestmentRow:
    investment: Investment
    years: list[int]
    by_year: dict

    @property
    def cells(self) -> list[tuple[int, object]]:
        """(year, InvestmentYear or None) per year of the horizon."""
        return [(year, self.by_year.get(year)) for year in self.years]

    @property
    def amounts(self) -> list:
        return [entry.amount if entry else None for entry in (self.by_year.get(y) for y in self.years)]

    @property
    def sum(self) -> Decimal:
        return total(self.amounts)


@dataclass
class InvestmentGroup:
    category: str
    rows: list[InvestmentRow]

    @property
    def label(self) -> str:
        return InvestmentCategory(self.category).label

    @property
    def sheet_label(self) -> str:
        return CATEGORY_SHEET_LABELS[InvestmentCategory(self.category)]

    @property
    def year_totals(self) -> list[Decimal]:
        return _year_totals(self.rows, self.rows[0].years if self.rows else [])

    @property
    def total_budget(self):
        totals = [row.investment.total for row in self.rows if row.investment.total is not None]
        return total(totals) if totals else None


@dataclass
class ObjectRow:
    """A department's object summed over the categories (the detailed plan as seed 001 prints it)."""

    name: str
    amounts: list


@dataclass
class InvestmentPlan:
    """The rows of one investment plan: the plan's own (department None) or a department's detailed plan."""

    department: object
    years: list[int]
    groups: list[InvestmentGroup]

    @property
    def rows(self) -> list[InvestmentRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def year_totals(self) -> list[Decimal]:
        return _year_totals(self.rows, self.years)

    @property
    def grand_total(self) -> Decimal:
        return total(self.year_totals)

    @property
    def has_totals(self) -> bool:
        """Whether any row gives a total budget (seed 002 prints that column, seed 001 does not)."""
        return any(row.investment.total is not None for row in self.rows)

    @property
    def by_object(self) -> list[ObjectRow]:
        merged: dict[str, list] = {}
        for row in sorted(self.rows, key=lambda r: (r.investment.order, r.investment.pk)):
            amounts = merged.setdefault(row.investment.name, [None] * len(self.years))
            for i, amount in enumerate(row.amounts):
                if amount is not None:
                    amounts[i] = (amounts[i] or ZERO) + amount
        return [ObjectRow(name, amounts) for name, amounts in merged.items()]

    def group(self, category: str) -> InvestmentGroup | None:
        return next((g for g in self.groups if g.category == category), None)


def _year_totals(rows: list[InvestmentRow], years: list[int]) -> list[Decimal]:
    return [total(row.amounts[i] for row in rows) for i in range(len(years))]


@dataclass
class InvestmentGrid:
    years: list[int]
    own: InvestmentPlan
    departments: list[InvestmentPlan]

    @property
    def plans(self) -> list[InvestmentPlan]:
        return [self.own, *self.departments]


def investment_grid(plan) -> InvestmentGrid:
    years = plan_years(plan)
    investments = list(Investment.objects.in_plan(plan).with_years())
    by_department: dict = defaultdict(lambda: defaultdict(list))
    departments = {}
    for investment in investments:
        key = investment.department_id
        departments[key] = investment.department
        row = InvestmentRow(investment, years, {y.year: y for y in investment.years.all()})
        by_department[key][investment.category].append(row)

    def investment_plan(key) -> InvestmentPlan:
        groups = [
            InvestmentGroup(category.value, by_department[key][category.value])
            for category in InvestmentCategory
            if by_department[key].get(category.value)
        ]
        return InvestmentPlan(department=departments.get(key), years=years, groups=groups)

    detailed = sorted((k for k in by_department if k is not None), key=lambda k: departments[k].code)
    return InvestmentGrid(years=years, own=investment_plan(None), departments=[investment_plan(k) for k in detailed])


# Outcomes against the year-to-date budget --------------------------------------------------------------------------


@dataclass
class OutcomeRow:
    label: str
    annual_budget: Decimal
    ytd_budget: Decimal
    outcome: Decimal
    forecast: Decimal | None = None

    @property
    def deviation(self) -> Decimal:
        """Budget − outcome: positive is under budget."""
        return self.ytd_budget - self.outcome

    @property
    def forecast_deviation(self):
        return None if self.forecast is None else self.annual_budget - self.forecast


@dataclass
class InvestmentFollowUpRow:
    investment: Investment
    outcome: Decimal
    annual_budget: Decimal
    forecast: Decimal | None

    @property
    def deviation(self):
        """Annual budget − forecast (negative: the forecast is over budget)."""
        return None if self.forecast is None else self.annual_budget - self.forecast


@dataclass
class OutcomeTable:
    month: int
    columns: list[OutcomeRow]
    classes: list[OutcomeRow]
    investments: list[InvestmentFollowUpRow]

    @property
    def total(self) -> OutcomeRow:
        forecasts = [row.forecast for row in self.columns]
        return OutcomeRow(
            label="",
            annual_budget=total(r.annual_budget for r in self.columns),
            ytd_budget=total(r.ytd_budget for r in self.columns),
            outcome=total(r.outcome for r in self.columns),
            forecast=None if any(f is None for f in forecasts) or not forecasts else total(forecasts),
        )

    @property
    def has_forecasts(self) -> bool:
        return any(row.forecast is not None for row in self.columns)

    @property
    def investment_totals(self) -> dict:
        rows = self.investments
        forecasts = [r.forecast for r in rows if r.forecast is not None]
        return {
            "outcome": total(r.outcome for r in rows),
            "annual_budget": total(r.annual_budget for r in rows),
            "forecast": total(forecasts) if forecasts else None,
            "deviation": total(r.deviation for r in rows) if forecasts else None,
        }


def latest_outcome_month(plan) -> int | None:
    return LedgerOutcome.objects.in_plan(plan).aggregate(month=Max("month"))["month"]


def outcome_table(plan, month: int) -> OutcomeTable:
    columns = list(BudgetColumn.objects.filter(plan=plan).select_related("profile"))
    classes = list(AccountClass.objects.all())
    lines = list(BudgetLine.objects.filter(column__plan=plan).values_list("column_id", "account_class_id", "amount"))
    sums = (
        LedgerOutcome.objects.in_plan(plan)
        .up_to(month)
        .values_list("column_id", "account_class_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    outcome = {(c, a): amount for c, a, amount in sums}
    forecasts = {}
    for column_id, _month, amount in (
        Forecast.objects.filter(column__plan=plan, month__lte=month)
        .order_by("month")
        .values_list("column_id", "month", "amount")
    ):
        forecasts[column_id] = amount  # the latest made by ``month`` wins
    share = {column.pk: column.ytd_share(month) for column in columns}

    column_rows = []
    for column in columns:
        annual = total(amount for c, _a, amount in lines if c == column.pk)
        column_rows.append(
            OutcomeRow(
                label=column.name,
                annual_budget=annual,
                ytd_budget=annual * share[column.pk],
                outcome=total(v for (c, _a), v in outcome.items() if c == column.pk),
                forecast=forecasts.get(column.pk),
            )
        )
    class_rows = [
        OutcomeRow(
            label=account_class.name,
            annual_budget=total(amount for _c, a, amount in lines if a == account_class.pk),
            ytd_budget=total(amount * share[c] for c, a, amount in lines if a == account_class.pk),
            outcome=total(v for (_c, a), v in outcome.items() if a == account_class.pk),
        )
        for account_class in classes
    ]
    return OutcomeTable(
        month=month, columns=column_rows, classes=class_rows, investments=investment_follow_up(plan, month)
    )


def investment_follow_up(plan, month: int) -> list[InvestmentFollowUpRow]:
    """The plan's own investments: outcome to date, annual budget, the latest forecast and its deviation."""
    investments = list(Investment.objects.in_plan(plan).own())
    budgets = dict(
        Investment.objects.in_plan(plan).own().filter(years__year=plan.year).values_list("pk", "years__amount")
    )
    outcomes = dict(
        InvestmentOutcome.objects.filter(investment__plan=plan, month__lte=month)
        .values_list("investment_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    forecasts = {}
    for investment_id, amount in (
        InvestmentForecast.objects.filter(investment__plan=plan, month__lte=month)
        .order_by("month")
        .values_list("investment_id", "amount")
    ):
        forecasts[investment_id] = amount
    return [
        InvestmentFollowUpRow(
            investment=i,
            outcome=outcomes.get(i.pk, ZERO),
            annual_budget=budgets.get(i.pk) or ZERO,
            forecast=forecasts.get(i.pk),
        )
        for i in investments
        if i.pk in budgets or i.pk in outcomes or i.pk in forecasts
    ]
