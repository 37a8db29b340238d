from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budget import calculations, services
from budget.models import (
    BudgetFrame,
    BudgetLine,
    DistributionProfile,
    FrameAdjustment,
    FrameAmount,
    FrameColumn,
    Investment,
)
from core.formatting import sv_money
from core.versioning import StaleVersion
from tests.budget.factories import MN, add_outcomes, classes, make_budget, make_investment
from tests.planning.factories import make_plan


@pytest.fixture
def plan(org):
    return make_plan(org["rk"], year=2022, areas=0)


@pytest.fixture
def columns(plan, org):
    return make_budget(plan, unit=org["rk"])


def test_budget_table_totals_are_exact_sums_rounded_only_for_display(plan, columns):
    table = calculations.budget_table(plan)
    assert [c.code for c in table.columns] == ["RK", "UTV", "FTV"]
    assert [row.account_class.code for row in table.rows] == ["INT", "PERS", "OVR"]
    assert table.column_totals == [Decimal("453.1") * MN, Decimal("148.4") * MN, Decimal("48.2") * MN]
    assert table.total == Decimal("649.7") * MN
    assert [sv_money(v, "mnkr") for v in table.column_totals] == ["453,1", "148,4", "48,2"]
    assert table.rows[0].total == Decimal("-390.1") * MN  # revenue stays negative in the budget table


def test_totals_do_not_accumulate_rounding(org):
    plan = make_plan(org["rk"], year=2030, areas=0)
    lines = {(f"K{i}", f"Kolumn {i}"): {"PERS": "0.0004"} for i in range(3)}  # 400 kr each: 0 tkr when shown
    make_budget(plan, lines=lines)
    table = calculations.budget_table(plan)
    assert [sv_money(cell.amount, "tkr") for cell in table.rows[1].cells] == ["0", "0", "0"]
    assert table.rows[1].total == Decimal("1200")
    assert sv_money(table.rows[1].total, "tkr") == "1"  # the exact sum, rounded once


def test_result_sign_flips_only_at_presentation():
    assert calculations.result_sign(Decimal("187712000")) == Decimal("-187712000")
    assert calculations.result_sign(None) is None


def test_cell_set_creates_changes_is_idempotent_and_refuses_stale_versions(plan, columns, users):
    by_code = classes()
    column, revenue = columns["RK"], by_code["INT"]
    line = BudgetLine.objects.get(column=column, account_class=revenue)
    changed = services.budget_line_set(
        column=column, account_class=revenue, amount=Decimal("-390000000"), user=users["controller"], version=1
    )
    assert changed.version == 2 and changed.amount == Decimal("-390000000")
    again = services.budget_line_set(
        column=column, account_class=revenue, amount=Decimal("-390000000"), user=users["controller"], version=1
    )
    assert again.version == 2  # the same value again (a double submit) is not a conflict
    with pytest.raises(StaleVersion):
        services.budget_line_set(
            column=column, account_class=revenue, amount=Decimal("-1"), user=users["controller"], version=1
        )
    line.refresh_from_db()
    assert line.amount == Decimal("-390000000")
    assert line.history.first().history_user == users["controller"]
    services.budget_line_set(column=column, account_class=revenue, amount=None, user=users["controller"], version=2)
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


def test_new_cell_opened_empty_refuses_when_someone_filled_it(plan, columns):
    other = make_plan(plan.unit, year=2030, areas=0)
    column = other.budget_columns.create(code="X", name="X")
    revenue = classes()["INT"]
    services.budget_line_set(column=column, account_class=revenue, amount=Decimal(5), user=None, version=0)
    with pytest.raises(StaleVersion):
        services.budget_line_set(column=column, account_class=revenue, amount=Decimal(6), user=None, version=0)


def test_decided_plan_refuses_writes(plan, columns):
    plan.stage = "decided"
    plan.save()
    with pytest.raises(ValidationError):
        services.budget_line_set(
            column=columns["RK"], account_class=classes()["INT"], amount=Decimal(1), user=None, version=1
        )


def make_frame_2024(plan):
    """Seed 000's frame build-up in two columns, amounts as printed (mnkr)."""
    frame = BudgetFrame.objects.create(plan=plan, title="Ekonomiska förutsättningar i Mål och budget 2024")
    total = FrameColumn.objects.create(
        frame=frame, code="total", name="Budget 2024 total", previous_total=Decimal("597.6") * MN,
        decided_total=Decimal("718.6") * MN, order=0,
    )  # fmt: skip
    excl = FrameColumn.objects.create(
        frame=frame, code="excl_itd", name="Budget 2024 exkl. ITD", previous_total=Decimal("320.1") * MN,
        decided_total=Decimal("386.6") * MN, order=1,
    )  # fmt: skip
    steps = [
        ("Prisuppräkning", "amount", None, "27.5", "14.7"),
        ("Befolkning/demografi 1%", "percent", "1", "6.0", "3.2"),
        ("Verksamhetsutveckling 1%", "percent", "1", "6.0", "3.2"),
        ("Effektivisering -1,5%", "percent", "-1.5", "-9.6", "-5.4"),
        ("Förändringar", "amount", None, "91.1", "50.7"),
    ]
    for order, (label, kind, rate, a, b) in enumerate(steps):
        adjustment = FrameAdjustment.objects.create(frame=frame, label=label, kind=kind, rate=rate, order=order)
        FrameAmount.objects.create(adjustment=adjustment, column=total, amount=Decimal(a) * MN)
        FrameAmount.objects.create(adjustment=adjustment, column=excl, amount=Decimal(b) * MN)
    return frame


def test_frame_keeps_the_decided_total_and_shows_the_rounding_difference(plan):
    make_frame_2024(plan)
    frame = calculations.frame_table(plan)
    total, excl = frame.summaries
    assert total.computed_total == Decimal("718.6") * MN and total.difference == 0
    assert excl.computed_total == Decimal("386.5") * MN  # the parts as printed
    assert excl.decided_total == Decimal("386.6") * MN  # the decided figure, untouched
    assert excl.difference == Decimal("0.1") * MN
    assert sv_money(excl.difference, "mnkr") == "0,1"
    assert frame.has_difference and excl.new_frame == Decimal("386.6") * MN


def test_percentage_step_without_an_entered_amount_is_computed_from_the_previous_frame(plan, users):
    frame = services.frame_create(plan=plan, user=users["controller"])
    column = frame.columns.get()
    services.frame_column_total_set(
        column=column, field="previous_total", amount=Decimal("597.6") * MN, user=users["controller"], version=1
    )
    table = calculations.frame_table(plan)
    demography = next(row for row in table.rows if row.adjustment.label.startswith("Befolkning"))
    assert demography.cells[0].computed and demography.cells[0].amount == Decimal("5.976") * MN
    efficiency = next(row for row in table.rows if row.adjustment.label.startswith("Effektivisering"))
    services.frame_amount_set(
        adjustment=efficiency.adjustment,
        column=column,
        amount=Decimal("-9.6") * MN,
        user=users["controller"],
        version=0,
    )
    table = calculations.frame_table(plan)
    efficiency = next(row for row in table.rows if row.adjustment.label.startswith("Effektivisering"))
    assert not efficiency.cells[0].computed and efficiency.cells[0].amount == Decimal("-9.6") * MN
    assert table.summaries[0].computed_total == Decimal("597.6") * MN * Decimal("1.02") - Decimal("9.6") * MN


def test_frame_carries_over_last_years_decided_frame(org, users):
    previous = make_plan(org["rk"], year=2024, areas=0)
    make_frame_2024(previous)
    plan = make_plan(org["rk"], year=2025, areas=0)
    plan.previous = previous
    plan.save()
    frame = services.frame_create(plan=plan, user=users["controller"])
    assert frame.columns.get().previous_total == Decimal("718.6") * MN
    with pytest.raises(ValidationError):
        services.frame_create(plan=plan, user=users["controller"])


def test_ytd_budget_even_and_by_profile(plan, columns):
    table = calculations.outcome_table(plan, 4)
    rk = table.columns[0]
    assert rk.annual_budget == Decimal("453.1") * MN
    assert rk.ytd_budget == Decimal("453.1") * MN * 4 / 12
    profile = DistributionProfile.objects.create(plan=plan, code="P", name="Profil", weights=[2] + [1] * 11)
    profile.full_clean()
    columns["RK"].profile = profile
    columns["RK"].save()
    rk = calculations.outcome_table(plan, 1).columns[0]
    assert rk.ytd_budget.quantize(Decimal("0.01")) == (Decimal("453.1") * MN * 2 / 13).quantize(Decimal("0.01"))
    assert calculations.outcome_table(plan, 12).columns[0].ytd_budget == Decimal("453.1") * MN


def test_profile_needs_twelve_non_negative_weights(plan):
    with pytest.raises(ValidationError):
        DistributionProfile(plan=plan, code="P", name="P", weights=[1] * 11).full_clean()
    with pytest.raises(ValidationError):
        DistributionProfile(plan=plan, code="P", name="P", weights=[-1] + [1] * 11).full_clean()


def test_outcome_table_deviation_is_budget_minus_outcome(plan, columns):
    by_code = classes()
    add_outcomes(columns["FTV"], by_code["PERS"], {1: "1000000", 2: "1000000", 5: "9999999"})
    row = calculations.outcome_table(plan, 2).columns[2]
    assert row.outcome == Decimal("2000000")
    assert row.deviation == row.ytd_budget - Decimal("2000000")
    assert calculations.latest_outcome_month(plan) == 5


def test_investment_grid_subtotals_and_department_plans_are_kept_apart(plan, org):
    make_investment(plan, "FVIS / VISUS", category="decided", years={2022: "20000000", 2023: "18000000"})
    make_investment(plan, "IT-utrustning", category="reinvestment", years={2022: "41300000"})
    make_investment(plan, "Nätverk", category="new", department=org["itd"], years={2022: "1450000"})
    make_investment(plan, "Nätverk", category="reinvestment", department=org["itd"], years={2022: "28500000"})
    grid = calculations.investment_grid(plan)
    assert grid.years == [2022, 2023, 2024, 2025, 2026]
    assert [g.category for g in grid.own.groups] == ["decided", "reinvestment"]
    assert grid.own.year_totals[:2] == [Decimal("61300000"), Decimal("18000000")]
    itd = grid.departments[0]
    assert itd.department == org["itd"]
    assert itd.year_totals[0] == Decimal("29950000")
    assert [(o.name, o.amounts[0]) for o in itd.by_object] == [("Nätverk", Decimal("29950000"))]


def test_investment_year_outside_the_horizon_is_refused(plan, users):
    investment = make_investment(plan)
    with pytest.raises(ValidationError):
        services.investment_year_set(
            investment=investment, year=2027, amount=Decimal(1), user=users["controller"], version=0
        )
    services.investment_year_set(
        investment=investment, year=2026, amount=Decimal(1), user=users["controller"], version=0
    )
    assert Investment.objects.get().years.get().year == 2026


def test_adjustment_needs_a_source_and_a_target(plan, columns, users):
    with pytest.raises(ValidationError):
        services.adjustment_create(
            plan=plan, data={"amount": Decimal(800000), "decision_reference": "RS"}, user=users["controller"]
        )
    adjustment = services.adjustment_create(
        plan=plan,
        data={
            "amount": Decimal(800000),
            "from_column": columns["FTV"],
            "from_text": "Regionstyrelsens medel för oförutsedda kostnader",
            "to_text": "Hallands Konstskola",
            "decision_reference": "RS 2018",
        },
        user=users["controller"],
    )
    assert adjustment.source == "Förtroendevalda – Regionstyrelsens medel för oförutsedda kostnader"
    assert adjustment.history.first().history_user == users["controller"]
