"""Every write to a plan's budget goes through these functions: validated, atomic, versioned and recorded in history.

Cells (a budget line, a frame amount, an investment's year) carry the version the form was opened on; ``0`` means the
cell was empty then. Saving the value a cell already has is a no-op, so a double submit never reports a conflict.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from budget.choices import AdjustmentKind, Sign
from budget.models import (
    AccountClass,
    BudgetAdjustment,
    BudgetColumn,
    BudgetFrame,
    BudgetLine,
    Forecast,
    FrameAdjustment,
    FrameAmount,
    FrameColumn,
    Initiative,
    Investment,
    InvestmentForecast,
    InvestmentYear,
)
from core.history import stamp
from core.models import User
from core.versioning import claim_version, stale_version_error
from planning.models import Plan

ACCOUNT_CLASSES = [
    # code, name, sign, order — the classes of the seed documents' budget tables
    ("INT", "Intäkter", Sign.REVENUE, 1),
    ("PERS", "Personalkostnader", Sign.COST, 2),
    ("OVR", "Övriga driftskostnader", Sign.COST, 3),
]

# The frame build-up of seed 000, used when a controller starts a new frame.
DEFAULT_FRAME_STEPS = [
    ("Prisuppräkning", AdjustmentKind.AMOUNT, None),
    ("Befolkning/demografi 1%", AdjustmentKind.PERCENT, Decimal("1")),
    ("Verksamhetsutveckling 1%", AdjustmentKind.PERCENT, Decimal("1")),
    ("Effektivisering -1,5%", AdjustmentKind.PERCENT, Decimal("-1.5")),
    ("Förändringar (satsningar från Mål o Budget + tekniska justeringar)", AdjustmentKind.AMOUNT, None),
]


def refuse_if_decided(plan: Plan) -> None:
    if plan.is_decided:
        raise ValidationError(_("The plan is decided and cannot be changed until it is reopened."))


def _save(obj, *, user=None, reason=None):
    obj.full_clean()
    stamp(obj, user=user, reason=reason).save()
    return obj


def _apply(obj, data: dict, fields: list[str]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


@transaction.atomic
def account_classes_ensure(*, reason: str | None = None) -> int:
    """Create the reference account classes that are missing (by code); returns how many were created."""
    created = 0
    for code, name, sign, order in ACCOUNT_CLASSES:
        if not AccountClass.objects.filter(code=code).exists():
            _save(AccountClass(code=code, name=name, sign=sign, order=order), reason=reason)
            created += 1
    return created


def _cell_set(
    model: type[models.Model], *, lookup: dict, amount: Decimal | None, user, version: int | None, reason=None
):
    """Create, change or (with ``amount=None``) remove the one row of ``model`` matching ``lookup``."""
    obj = model._default_manager.select_for_update(of=("self",)).filter(**lookup).first()
    if obj is None:
        if version not in (None, 0):
            raise ValidationError(_("Someone else removed this figure while you were editing. Reload the page."))
        if amount is None:
            return None
        return _save(model(**lookup, amount=amount), user=user, reason=reason)
    if amount is not None and amount == obj.amount:
        return obj
    if version == 0:
        raise stale_version_error(obj, 0)
    claim_version(obj, version)
    if amount is None:
        stamp(obj, user=user, reason=reason).delete()
        return None
    obj.amount = amount
    return _save(obj, user=user, reason=reason)


# Operating budget -------------------------------------------------------------------------------------------------

COLUMN_FIELDS = ["code", "name", "unit", "profile"]


@transaction.atomic
def column_create(*, plan: Plan, data: dict, user: User) -> BudgetColumn:
    refuse_if_decided(plan)
    column = BudgetColumn(plan=plan, order=plan.budget_columns.count())
    _apply(column, data, COLUMN_FIELDS)
    return _save(column, user=user)


@transaction.atomic
def budget_line_set(
    *, column: BudgetColumn, account_class: AccountClass, amount: Decimal | None, user: User, version: int | None
) -> BudgetLine | None:
    """Set one cell of the budget table (kronor, budget-table sign); ``None`` empties it."""
    refuse_if_decided(column.plan)
    return _cell_set(
        BudgetLine, lookup={"column": column, "account_class": account_class}, amount=amount, user=user, version=version
    )


# Budget frame -----------------------------------------------------------------------------------------------------


@transaction.atomic
def frame_create(*, plan: Plan, user: User) -> BudgetFrame:
    """Start the plan's frame with seed 000's build-up and one column, carrying over last year's decided frame."""
    refuse_if_decided(plan)
    if BudgetFrame.objects.filter(plan=plan).exists():
        raise ValidationError(_("The plan already has a budget frame."))
    frame = _save(BudgetFrame(plan=plan, title=f"Budgetram {plan.year}"), user=user)
    previous = (
        FrameColumn.objects.filter(frame__plan=plan.previous).order_by("order").first() if plan.previous_id else None
    )
    previous_total = previous.decided_total if previous and previous.decided_total is not None else Decimal(0)
    _save(
        FrameColumn(frame=frame, code="total", name=f"Budget {plan.year} total", previous_total=previous_total),
        user=user,
    )
    for order, (label, kind, rate) in enumerate(DEFAULT_FRAME_STEPS):
        _save(FrameAdjustment(frame=frame, label=label, kind=kind, rate=rate, order=order), user=user)
    return frame


@transaction.atomic
def frame_amount_set(
    *, adjustment: FrameAdjustment, column: FrameColumn, amount: Decimal | None, user: User, version: int | None
) -> FrameAmount | None:
    """Enter the amount of one step in one frame column; ``None`` clears it (a percentage step is then computed)."""
    if adjustment.frame_id != column.frame_id:
        raise ValidationError(_("The adjustment and the column belong to different frames."))
    refuse_if_decided(column.frame.plan)
    return _cell_set(
        FrameAmount, lookup={"adjustment": adjustment, "column": column}, amount=amount, user=user, version=version
    )


FRAME_COLUMN_TOTALS = ("previous_total", "decided_total")


@transaction.atomic
def frame_column_total_set(
    *, column: FrameColumn, field: str, amount: Decimal | None, user: User, version: int | None
) -> FrameColumn:
    """Set the previous year's frame or the decided frame of a column, exactly as entered."""
    if field not in FRAME_COLUMN_TOTALS:
        raise ValidationError(_("Unknown frame figure."))
    refuse_if_decided(column.frame.plan)
    if field == "previous_total" and amount is None:
        raise ValidationError(_("The previous year's frame cannot be empty; enter 0."))
    if getattr(column, field) == amount:
        return column
    claim_version(column, version)
    setattr(column, field, amount)
    return _save(column, user=user)


# Initiatives and budget adjustments -------------------------------------------------------------------------------

INITIATIVE_FIELDS = ["unit", "title", "amount"]


@transaction.atomic
def initiative_create(*, plan: Plan, data: dict, user: User) -> Initiative:
    refuse_if_decided(plan)
    initiative = Initiative(plan=plan, order=plan.initiatives.count())
    _apply(initiative, data, INITIATIVE_FIELDS)
    return _save(initiative, user=user)


@transaction.atomic
def initiative_update(*, initiative: Initiative, data: dict, user: User, version: int | None) -> Initiative:
    refuse_if_decided(initiative.plan)
    claim_version(initiative, version)
    _apply(initiative, data, INITIATIVE_FIELDS)
    return _save(initiative, user=user)


@transaction.atomic
def initiative_delete(*, initiative: Initiative, user: User, version: int | None) -> None:
    refuse_if_decided(initiative.plan)
    claim_version(initiative, version)
    stamp(initiative, user=user).delete()


ADJUSTMENT_FIELDS = [
    "amount",
    "from_column",
    "from_text",
    "to_column",
    "to_unit",
    "to_text",
    "decision_reference",
    "decided_on",
    "note",
]


@transaction.atomic
def adjustment_create(*, plan: Plan, data: dict, user: User) -> BudgetAdjustment:
    refuse_if_decided(plan)
    adjustment = BudgetAdjustment(plan=plan)
    _apply(adjustment, data, ADJUSTMENT_FIELDS)
    return _save(adjustment, user=user)


# Investments ------------------------------------------------------------------------------------------------------

INVESTMENT_FIELDS = ["department", "name", "category", "total"]


@transaction.atomic
def investment_create(*, plan: Plan, data: dict, user: User) -> Investment:
    refuse_if_decided(plan)
    investment = Investment(plan=plan, order=plan.investments.count())
    _apply(investment, data, INVESTMENT_FIELDS)
    return _save(investment, user=user)


@transaction.atomic
def investment_year_set(
    *, investment: Investment, year: int, amount: Decimal | None, user: User, version: int | None
) -> InvestmentYear | None:
    refuse_if_decided(investment.plan)
    return _cell_set(
        InvestmentYear, lookup={"investment": investment, "year": year}, amount=amount, user=user, version=version
    )


# Forecasts ------------------------------------------------------------------------------------------------------------
# Forecasts follow the plan through its year, after the decision, so the decision does not freeze them (the follow-up
# report that shows them does, when it is approved). Amounts are kronor; ``None`` removes the forecast.


@transaction.atomic
def forecast_set(
    *, column: BudgetColumn, month: int, amount: Decimal | None, user: User, version: int | None
) -> Forecast | None:
    """The column's full-year forecast of its net cost (budget-table sign), made after ``month``."""
    return _cell_set(Forecast, lookup={"column": column, "month": month}, amount=amount, user=user, version=version)


@transaction.atomic
def investment_forecast_set(
    *, investment: Investment, month: int, amount: Decimal | None, user: User, version: int | None
) -> InvestmentForecast | None:
    """The investment's full-year forecast for the plan year, made after ``month``."""
    if investment.department_id:
        raise ValidationError(_("Forecasts are made for the plan's own investments, not a department's."))
    return _cell_set(
        InvestmentForecast,
        lookup={"investment": investment, "month": month},
        amount=amount,
        user=user,
        version=version,
    )
