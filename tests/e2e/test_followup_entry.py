"""Writing the T1 2023 report in Chromium, as the units do: a planner sets the status of their unit's assignment
and a controller enters an indicator outcome with a Swedish decimal comma, both saved in place by htmx. axe finds
no serious or critical WCAG violation on any of the six section pages."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from budget.models import BudgetColumn, Forecast
from followup.choices import Section
from followup.models import IndicatorOutcome, StatusUpdate
from planning.models import Assignment
from tests.e2e.conftest import assert_accessible, sign_in

REPORT = "/plans/regionkontoret/2023/reports/T1/"


@pytest.mark.parametrize("section", Section.values)
def test_every_section_page_is_accessible(page, demo, section):
    sign_in(page, "sekreterare")
    page.goto(f"{REPORT}{section}/")
    expect(page.locator("h1")).to_contain_text("Uppföljningsrapport 1 2023")
    assert_accessible(page)


def test_a_planner_sets_the_status_of_their_units_assignment_in_place(page, demo):
    assignment = Assignment.objects.get(
        focus_area__plan__year=2023, responsible_unit__code="ITD", focus_area__plan__unit__slug="regionkontoret"
    )
    sign_in(page, "planerare")
    page.goto(f"{REPORT}goals/?mine=on")
    entry = page.locator(f"#status-assignment-{assignment.pk}")
    entry.locator("select").select_option("at_risk")
    entry.locator("textarea").fill("Kortläsarna är försenade; manuella rutiner under tiden.")
    entry.locator("button[type=submit]").click()
    expect(entry.locator(".entry__saved")).to_be_visible()
    assert page.url.endswith("/goals/?mine=on")  # saved in place, no page load
    update = StatusUpdate.objects.get(assignment=assignment)
    assert update.status == "at_risk" and update.history.first().history_user.username == "planerare"
    assert_accessible(page)


def test_a_controller_enters_an_indicator_outcome_with_a_decimal_comma(page, demo):
    outcome = IndicatorOutcome.objects.get(report__period__year=2023, indicator__name="Sjukfrånvaro")
    sign_in(page, "controller")
    page.goto(f"{REPORT}employees/")
    entry = page.locator(f"#indicator-{outcome.indicator_id}")
    entry.get_by_label("Utfall", exact=False).first.fill("2,61")
    entry.locator("button[type=submit]").click()
    expect(entry.locator(".entry__saved")).to_be_visible()
    outcome.refresh_from_db()
    assert outcome.value == Decimal("2.61")
    entry.get_by_label("Utfall", exact=False).first.fill("två")
    entry.locator("button[type=submit]").click()
    expect(entry.locator(".field__error").first).to_be_visible()
    outcome.refresh_from_db()
    assert outcome.value == Decimal("2.61")  # the bad input changed nothing


def test_the_economy_tables_follow_a_saved_forecast_without_a_reload(page, demo):
    column = BudgetColumn.objects.get(plan__unit__slug="regionkontoret", plan__year=2023, name="Regionkontoret")
    sign_in(page, "controller")
    page.goto(f"{REPORT}economy/")
    row = page.locator("#economy-columns tbody tr", has_text="Regionkontoret")
    expect(row).not_to_contain_text("600\u00a0000")
    page.locator(f"#forecast-column-{column.pk}-amount").fill("600 000")
    page.locator(f"#forecast-column-{column.pk}-save").click()
    expect(page.locator(f"#forecast-column-{column.pk} .entry__saved")).to_be_visible()
    expect(page.locator("#economy-columns tbody tr", has_text="Regionkontoret")).to_contain_text("\u2212600\u00a0000")
    assert Forecast.objects.get(column=column, month=4).amount == Decimal("600000000")
