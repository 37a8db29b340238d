"""The follow-up report as data: everything the printed report shows, read once in a fixed number of queries.

:func:`report_document` gathers what people wrote in the report (statuses, indicator outcomes, texts) with what the
other apps hold (the plan's structure, budget and outcomes, internal-control results) into plain dataclasses,
numbered as seed 004 numbers them. The PDF template renders this object, and approval stores it as the report's
snapshot (:func:`snapshot`), so the snapshot is exactly the data the approved PDF was made from.

Amounts are Decimal kronor in the result-table sign of seed 004 (net cost negative; a deviation is positive when
the outcome or forecast is under budget). Nothing is rounded here.
"""

import json
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.calculations import ZERO, outcome_table, result_sign, total
from budget.models import Forecast
from followup.choices import ItemStatus, ReportingPeriod, Section, TextKey
from followup.models import FollowUpReport, IndicatorOutcome
from internalcontrol.models import Control, ControlPlan, ControlResult
from planning.choices import Direction, IndicatorArea, IndicatorUnit, SectionKind
from planning.documents import PlanDocument, indicator_value_text

PERIOD_MONTHS = {
    ReportingPeriod.T1: gettext_lazy("January–April"),
    ReportingPeriod.T2: gettext_lazy("January–August"),
    ReportingPeriod.T3: gettext_lazy("January–December"),
}


@dataclass
class ItemLine:
    """An assignment or activity with its status at the report."""

    number: str
    title: str
    status: str
    status_label: str
    comment: str
    responsible: str
    contributes: str = ""  # "Uppdraget bidrar till fokusområdet: … och målet: …"
    activities: list["ItemLine"] = field(default_factory=list)


@dataclass
class GoalRow:
    focus_area: str
    goals: list[str]


@dataclass
class ItemGroup:
    """A numbered sub-section of assignments (a focus area) or of activities (a work-environment plan)."""

    number: str
    title: str
    intro: str
    items: list[ItemLine]


@dataclass
class BreakdownLine:
    dimension: str
    label: str
    value: Decimal
    value_text: str


@dataclass
class IndicatorLine:
    number: str
    name: str
    definition: str
    unit: str
    unit_label: str
    value: Decimal | None
    target: Decimal | None
    value_text: str
    target_text: str
    meets_target: bool | None
    analysis: str
    breakdown: list[BreakdownLine]


@dataclass
class EconomyRow:
    label: str
    outcome: Decimal  # year to date
    budget: Decimal  # year to date
    deviation: Decimal
    annual_budget: Decimal
    forecast: Decimal | None
    forecast_deviation: Decimal | None
    previous_forecast_deviation: Decimal | None

    @property
    def forecast_change(self) -> Decimal | None:
        if self.forecast_deviation is None:
            return None
        return self.forecast_deviation - (self.previous_forecast_deviation or ZERO)


@dataclass
class InvestmentLine:
    label: str
    outcome: Decimal
    annual_budget: Decimal
    forecast: Decimal | None
    deviation: Decimal | None


@dataclass
class Economy:
    month: int
    columns: list[EconomyRow]
    total: EconomyRow | None
    investments: list[InvestmentLine]
    investment_total: InvestmentLine | None


@dataclass
class ControlLine:
    ordinal: int
    title: str
    method: str
    method_description: str
    responsible: str
    outcome: str
    outcome_label: str
    text: str
    table: dict | None


@dataclass
class RiskPart:
    number: str
    title: str
    controls: list[ControlLine]


@dataclass
class ReportDocument:
    title: str
    unit: str
    board: str
    plan_title: str
    year: int
    period: str
    period_months: str
    status: str
    assessment: str
    assessment_label: str
    texts: dict[str, str]
    status_counts: list[tuple[str, int]]
    goal_table: list[GoalRow]
    goal_groups: list[ItemGroup]
    activity_groups: list[ItemGroup]
    quality_indicators: list[IndicatorLine]
    employee_indicators: list[IndicatorLine]
    economy: Economy
    risks: list[RiskPart]


def snapshot(document: ReportDocument) -> dict:
    """The document as JSON-native data (Decimals and dates as strings): what approval stores and checksums."""
    return json.loads(json.dumps(asdict(document), cls=DjangoJSONEncoder))


def report_document(report: FollowUpReport) -> ReportDocument:
    plan = report.plan
    plan_document = PlanDocument(plan)
    statuses = {
        (update.assignment_id and ("assignment", update.assignment_id)) or ("activity", update.activity_id): update
        for update in report.status_updates.all()
    }
    texts = {text.key: text.body for text in report.texts.all()}
    item = _ItemLines(statuses)
    goal_groups, goal_table = _goal_groups(plan_document, item)
    activity_groups = _activity_groups(plan_document, item, first=2 if texts.get(TextKey.OPERATIONS) else 1)
    indicators = _indicator_lines(report)
    employees = [line for area, line in indicators if area == IndicatorArea.EMPLOYEES]
    quality = [line for area, line in indicators if area != IndicatorArea.EMPLOYEES]
    _number(employees, f"{Section.EMPLOYEES.number}")
    _number(quality, f"{Section.QUALITY.number}", start=1 + bool(texts.get(TextKey.OPERATIONS)) + len(activity_groups))
    assessment = report.assessment
    return ReportDocument(
        title=report.title,
        unit=plan.unit.name,
        board=plan.unit.parent.name if plan.unit.parent_id else "",
        plan_title=plan.title,
        year=plan.year,
        period=report.period.code,
        period_months=str(PERIOD_MONTHS[ReportingPeriod(report.period.code)]),
        status=report.status,
        assessment=assessment,
        assessment_label=str(ItemStatus(assessment).label) if assessment else "",
        texts=texts,
        status_counts=item.counts(),
        goal_table=goal_table,
        goal_groups=goal_groups,
        activity_groups=activity_groups,
        quality_indicators=quality,
        employee_indicators=employees,
        economy=_economy(report),
        risks=_risks(report),
    )


# Goal management and activities -----------------------------------------------------------------------------------


class _ItemLines:
    """Builds numbered lines for assignments and activities from the report's status updates, and counts them."""

    def __init__(self, statuses: dict):
        self.statuses = statuses
        self.tally: dict[str, int] = {}

    def line(self, kind: str, obj, number: str, **extra) -> ItemLine:
        update = self.statuses.get((kind, obj.pk))
        status = update.status if update else ""
        self.tally[status] = self.tally.get(status, 0) + 1
        unit = obj.responsible_unit.name if obj.responsible_unit_id else ""
        return ItemLine(
            number=number,
            title=obj.title,
            status=status,
            status_label=str(ItemStatus(status).label) if status else _("No status reported"),
            comment=update.comment if update else "",
            responsible=", ".join(part for part in (unit, obj.responsible_person) if part),
            **extra,
        )

    def activities(self, activities, prefix: str) -> list[ItemLine]:
        return [self.line("activity", a, f"{prefix}.{i}") for i, a in enumerate(activities, start=1)]

    def counts(self) -> list[tuple[str, int]]:
        order = [*ItemStatus.values, ""]
        return [
            (str(ItemStatus(status).label) if status else _("No status reported"), self.tally[status])
            for status in order
            if self.tally.get(status)
        ]


def contributes_sentence(assignment) -> str:
    """Seed 004's closing sentence, from the plan's goal links instead of typed by hand."""
    goals = assignment.contributes_to
    if not goals:
        return ""
    areas = list(dict.fromkeys(goal.focus_area.title for goal in goals))
    return _("The assignment contributes to the focus area: %(areas)s and the goal: %(goals)s.") % {
        "areas": _join(areas),
        "goals": _join([goal.title for goal in goals]),
    }


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " " + _("and") + " " + words[-1]


def _assignment_lines(nodes, prefix: str, item: _ItemLines) -> list[ItemLine]:
    lines = []
    for index, node in enumerate(nodes, start=1):
        number = f"{prefix}.{index}"
        lines.append(
            item.line(
                "assignment",
                node.obj,
                number,
                contributes=contributes_sentence(node.obj),
                activities=item.activities([a.obj for a in node.activities], number),
            )
        )
        lines += _assignment_lines(node.children, number, item)
    return lines


def _goal_groups(plan_document: PlanDocument, item: _ItemLines) -> tuple[list[ItemGroup], list[GoalRow]]:
    """2.1 the table of focus areas and goals; 2.2 … one sub-section per focus area that has assignments."""
    chapter = Section.GOALS.number
    table, groups = [], []
    for area in plan_document.focus_areas:
        goals = [child for child in area.children if child.kind == "goal"]
        if goals:
            table.append(GoalRow(area.obj.title, [goal.obj.title for goal in goals]))
        nodes = [n for goal in goals for n in goal.children] + [c for c in area.children if c.kind == "assignment"]
        if nodes:
            number = f"{chapter}.{len(groups) + 2}"
            lines = _assignment_lines(nodes, number, item)
            groups.append(ItemGroup(number, area.obj.title, area.obj.description, lines))
    return groups, table


def _activity_groups(plan_document: PlanDocument, item: _ItemLines, first: int) -> list[ItemGroup]:
    """The work-environment and competence plans' activities, after "3.1 Verksamhet" when there is one."""
    groups = []
    for section in plan_document.sections:
        if section.kind == SectionKind.TEXT:
            continue
        number = f"{Section.QUALITY.number}.{first + len(groups)}"
        activities = plan_document.section_activities(section)
        groups.append(ItemGroup(number, section.title, "", item.activities(activities, number)))
    return groups


# Indicators -------------------------------------------------------------------------------------------------------


def _indicator_lines(report: FollowUpReport) -> list[tuple[str, IndicatorLine]]:
    year = report.plan.year
    outcomes = {
        outcome.indicator_id: outcome
        for outcome in IndicatorOutcome.objects.filter(report=report).prefetch_related("breakdown")
    }
    lines = []
    for indicator in report.plan.indicators.prefetch_related("targets"):
        outcome = outcomes.get(indicator.pk)
        if indicator.area != IndicatorArea.EMPLOYEES and outcome is None:
            continue  # other areas print only what was followed up
        target = indicator.target_for(year)
        value = outcome.value if outcome else None
        line = IndicatorLine(
            number="",
            name=indicator.name,
            definition=indicator.definition,
            unit=indicator.unit,
            unit_label=str(IndicatorUnit(indicator.unit).label),
            value=value,
            target=target,
            value_text=indicator_value_text(value, indicator.unit),
            target_text=indicator_value_text(target, indicator.unit),
            meets_target=_meets(value, target, indicator.direction),
            analysis=outcome.analysis if outcome else "",
            breakdown=[
                BreakdownLine(
                    str(row.get_dimension_display()),
                    row.label,
                    row.value,
                    indicator_value_text(row.value, indicator.unit),
                )
                for row in (outcome.breakdown.all() if outcome else [])
            ],
        )
        lines.append((indicator.area, line))
    return lines


def _meets(value, target, direction) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target if direction == Direction.HIGHER else value <= target


def _number(lines: list[IndicatorLine], prefix: str, start: int = 1) -> None:
    for index, line in enumerate(lines, start=start):
        line.number = f"{prefix}.{index}"


# Economy ----------------------------------------------------------------------------------------------------------


def _economy(report: FollowUpReport) -> Economy:
    plan, month = report.plan, report.end_month
    table = outcome_table(plan, month)
    previous = _previous_forecasts(plan, month)
    columns = [_economy_row(row, previous.get(row.label)) for row in table.columns]
    total_row = None
    if columns:
        known = [c.previous_forecast_deviation for c in columns if c.previous_forecast_deviation is not None]
        total_row = replace(
            _economy_row(table.total, None),
            label=_("Total"),
            previous_forecast_deviation=total(known) if known else None,
        )
    investments = [
        InvestmentLine(row.investment.name, row.outcome, row.annual_budget, row.forecast, row.deviation)
        for row in table.investments
    ]
    totals = table.investment_totals
    investment_total = (
        InvestmentLine(_("Total"), totals["outcome"], totals["annual_budget"], totals["forecast"], totals["deviation"])
        if investments
        else None
    )
    return Economy(month, columns, total_row, investments, investment_total)


def _economy_row(row, previous_forecast) -> EconomyRow:
    return EconomyRow(
        label=row.label,
        outcome=result_sign(row.outcome),
        budget=result_sign(row.ytd_budget),
        deviation=row.deviation,
        annual_budget=result_sign(row.annual_budget),
        forecast=result_sign(row.forecast),
        forecast_deviation=row.forecast_deviation,
        previous_forecast_deviation=None if previous_forecast is None else row.annual_budget - previous_forecast,
    )


def _previous_forecasts(plan, month: int) -> dict[str, Decimal]:
    """Column name → the forecast made before the latest one up to ``month`` (the previous report's)."""
    made: dict[str, list[Decimal]] = {}
    rows = Forecast.objects.filter(column__plan=plan, month__lte=month).order_by("month")
    for name, amount in rows.values_list("column__name", "amount"):
        made.setdefault(name, []).append(amount)
    return {name: amounts[-2] for name, amounts in made.items() if len(amounts) > 1}


# Internal control -------------------------------------------------------------------------------------------------


def _risks(report: FollowUpReport) -> list[RiskPart]:
    """The risks with controls reported in this period, each control with its result for the period."""
    period = report.period.code
    control_plan = ControlPlan.objects.filter(plan=report.plan).first()
    if control_plan is None:
        return []
    results = ControlResult.objects.filter(period=period)
    controls = Control.objects.select_related("responsible_unit").prefetch_related(
        Prefetch("results", queryset=results, to_attr="period_results")
    )
    parts = []
    selected = control_plan.selected_risks.select_related("risk").prefetch_related(
        Prefetch("controls", queryset=controls)
    )
    for selected_risk in selected:
        due = [control for control in selected_risk.controls.all() if control.is_due_in(period)]
        if due:
            number = f"{Section.INTERNAL_CONTROL.number}.{len(parts) + 1}"
            parts.append(
                RiskPart(number, selected_risk.risk.title, [_control_line(i, c) for i, c in enumerate(due, 1)])
            )
    return parts


def _control_line(ordinal: int, control: Control) -> ControlLine:
    result = control.period_results[0] if control.period_results else None
    unit = control.responsible_unit.name if control.responsible_unit_id else ""
    return ControlLine(
        ordinal=ordinal,
        title=control.title,
        method=str(control.get_method_display()),
        method_description=control.description,
        responsible=", ".join(part for part in (unit, control.responsible_person) if part),
        outcome=result.outcome if result else "",
        outcome_label=str(result.get_outcome_display()) if result else _("No result reported"),
        text=result.text if result else "",
        table=result.table if result else None,
    )
