"""Browser tests of the budget pages: a controller edits cells in place (Enter or leaving the field saves, totals
update), and the pages pass axe. Chromium via Playwright, as in ``tests/e2e``."""

import os
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from budget.models import BudgetLine
from tests.e2e.conftest import assert_accessible, sign_in

TABLE = "/budget/regionkontoret/2025/"


@pytest.fixture
def demo_site(transactional_db):
    call_command("demo", force_demo_users=True, stdout=open(os.devnull, "w"))  # noqa: SIM115


def revenue() -> BudgetLine:
    return BudgetLine.objects.get(column__plan__year=2025, account_class__code="INT")


def test_controller_edits_cells_in_place_and_the_totals_follow(page, demo_site):
    sign_in(page, "controller")
    page.goto(TABLE)
    net = page.locator("#budget-grid tfoot td").last
    expect(net).to_have_text("820,0")
    cell = page.get_by_label("Intäkter, Regionkontoret (mnkr)")
    cell.fill("-450")
    cell.press("Enter")
    expect(net).to_have_text("810,0")
    assert revenue().amount == Decimal("-450000000") and revenue().version == 2
    staff = page.get_by_label("Personalkostnader, Regionkontoret (mnkr)")
    staff.fill("600,5")
    staff.press("Tab")  # leaving the field saves too
    expect(net).to_have_text("824,5")
    assert BudgetLine.objects.get(column__plan__year=2025, account_class__code="PERS").amount == Decimal("600500000")
    assert_accessible(page)


def test_budget_pages_are_accessible_and_read_only_for_readers(page, demo_site):
    sign_in(page, "lasare")
    for url in (TABLE, "/budget/regionkontoret/2024/frame/", "/budget/regionkontoret/2025/investments/",
                "/budget/regionkontoret/2023/outcomes/", "/budget/regionkontoret/2023/adjustments/"):  # fmt: skip
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()
        assert page.locator("input[name=amount]").count() == 0
        assert_accessible(page)
    page.goto("/budget/regionkontoret/2024/frame/")
    expect(page.locator(".frame-difference")).to_contain_text("0,1")
