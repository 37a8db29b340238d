"""Budget's part of rolling a plan and of its adjustments."""

from decimal import Decimal

from budget.models import AccountClass, BudgetColumn, BudgetLine
from planning.adjustments import plan_adjustments
from planning.roll import plan_roll
from tests.budget.factories import make_budget
from tests.planning.factories import make_plan


def test_rolling_copies_the_budget_columns_but_not_the_figures(org, users):
    plan = make_plan(org["rk"], year=2025, areas=1, goals=1, assignments=1, activities=1)
    make_budget(plan)
    new = plan_roll(plan=plan, to_year=2026, user=users["secretary"])
    columns = list(BudgetColumn.objects.filter(plan=new).order_by("order").values_list("code", "name"))
    assert columns == [("RK", "Regionkontoret inkl. IT"), ("UTV", "Utveckling"), ("FTV", "Förtroendevalda")]
    assert not BudgetLine.objects.filter(column__plan=new).exists()
    assert BudgetColumn.history.filter(plan_id=new.pk, history_user=users["secretary"]).count() == 3


def test_adjustments_say_when_the_net_budget_moved(org, users):
    plan = make_plan(org["rk"], year=2025, areas=1, goals=1, assignments=1, activities=1)
    make_budget(plan)
    new = plan_roll(plan=plan, to_year=2026, user=users["secretary"])
    budget_lines = [e.text for e in plan_adjustments(plan=new, against=plan).entries if e.source == "budget"]
    assert budget_lines == []  # the new year's budget is not entered yet: nothing to compare
    column = BudgetColumn.objects.get(plan=new, code="UTV")
    BudgetLine.objects.create(
        column=column, account_class=AccountClass.objects.get(code="OVR"), amount=Decimal("1000000000")
    )
    budget_lines = [e.text for e in plan_adjustments(plan=new, against=plan).entries if e.source == "budget"]
    assert budget_lines == ["Nettobudgeten ändras från 649\u00a0700 till 1\u00a0000\u00a0000 tkr"]
