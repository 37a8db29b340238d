"""Small factories for budgets: columns and lines in kronor, a frame, initiatives, investments, outcomes."""

from decimal import Decimal

from budget.excel import budget_workbook
from budget.imports import batch_create
from budget.models import (
    AccountClass,
    BudgetColumn,
    BudgetFrame,
    BudgetLine,
    FrameAdjustment,
    FrameColumn,
    Initiative,
    Investment,
    InvestmentYear,
    LedgerOutcome,
)
from budget.services import account_classes_ensure

MN = Decimal(1_000_000)


def classes() -> dict[str, AccountClass]:
    account_classes_ensure()
    return {c.code: c for c in AccountClass.objects.all()}


def make_budget(plan, *, lines=None, unit=None):
    """Seed 002's 2022 table by default: three columns × three account classes, amounts in mnkr."""
    lines = lines or {
        ("RK", "Regionkontoret inkl. IT"): {"INT": "-380.1", "PERS": "460.4", "OVR": "372.8"},
        ("UTV", "Utveckling"): {"INT": "-10.0", "PERS": "0.0", "OVR": "158.4"},
        ("FTV", "Förtroendevalda"): {"INT": "0.0", "PERS": "20.3", "OVR": "27.9"},
    }
    by_code = classes()
    columns = {}
    for order, ((code, name), amounts) in enumerate(lines.items()):
        column = BudgetColumn.objects.create(
            plan=plan, code=code, name=name, order=order, unit=unit if order == 0 else None
        )
        columns[code] = column
        for class_code, amount in amounts.items():
            BudgetLine.objects.create(column=column, account_class=by_code[class_code], amount=Decimal(amount) * MN)
    return columns


def make_investment(plan, name="IT-utrustning", *, category="reinvestment", department=None, years=None, total=None):
    investment = Investment.objects.create(plan=plan, name=name, category=category, department=department, total=total)
    for year, amount in (years or {}).items():
        InvestmentYear.objects.create(investment=investment, year=year, amount=Decimal(amount))
    return investment


def add_outcomes(column, account_class, amounts_by_month: dict[int, str]):
    for month, amount in amounts_by_month.items():
        LedgerOutcome.objects.create(column=column, account_class=account_class, month=month, amount=Decimal(amount))


def budget_world(plan, org) -> dict:
    """What the permission matrix needs to reach every budget URL of ``plan``."""
    columns = make_budget(plan, unit=org["rk"])
    line = columns["RK"].lines.first()
    initiative = Initiative.objects.create(
        plan=plan, unit=org["itd"], title="Digitalisering", amount=Decimal("33300000")
    )
    investment = make_investment(plan, years={plan.year: "1000000"})
    batch = batch_create(plan=plan, data=budget_workbook(plan), filename="budget.xlsx")
    return {
        "budget_line": line,
        "budget_initiative": initiative,
        "budget_investment": investment,
        "budget_import": batch,
    }


def make_full_budget(plan, org, size: int) -> None:
    """``size`` budget columns, frame steps, initiatives and investment objects (the plan's own and two
    departments' detailed plans, in every category)."""
    lines = {(f"K{i}", f"Kolumn {i}"): {"INT": "-1.5", "PERS": "2", "OVR": "3"} for i in range(size)}
    make_budget(plan, lines=lines, unit=org["rk"])
    frame = BudgetFrame.objects.create(plan=plan, title="Budgetram")
    FrameColumn.objects.create(frame=frame, code="total", name="Total", previous_total=MN, decided_total=MN)
    for i in range(size):
        FrameAdjustment.objects.create(frame=frame, label=f"Steg {i}", kind="percent", rate=Decimal(1), order=i)
        Initiative.objects.create(plan=plan, unit=org["hr"], title=f"Satsning {i}", amount=MN, order=i)
        for category in ("decided", "new", "reinvestment"):
            years = {plan.year: "1000000", plan.year + 4: "500000"}
            make_investment(plan, f"Objekt {i}", category=category, years=years)
            make_investment(plan, f"Objekt {i}", category=category, department=org["itd"], years=years)
            make_investment(plan, f"Objekt {i}", category=category, department=org["hr"], years=years)
