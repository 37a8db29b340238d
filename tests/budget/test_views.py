from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.excel import budget_workbook
from budget.imports import batch_create
from budget.models import BudgetAdjustment, BudgetColumn, BudgetLine, Initiative, Investment, InvestmentYear
from tests.budget.factories import MN, classes, make_budget, make_investment
from tests.planning.factories import make_plan


@pytest.fixture
def plan(org):
    return make_plan(org["rk"], year=2022, areas=0)


@pytest.fixture
def columns(plan, org):
    return make_budget(plan, unit=org["rk"])


def url(name, plan, **extra):
    return reverse(f"budget:{name}", kwargs={**plan.url_kwargs(), **extra})


def cell_data(columns, *, code="RK", class_code="INT", amount="-390,0", version=1, unit="mnkr"):
    return {
        "column": columns[code].pk,
        "account_class": classes()[class_code].pk,
        "amount": amount,
        "version": version,
        "unit": unit,
    }


def line(columns, code="RK", class_code="INT"):
    return BudgetLine.objects.get(column=columns[code], account_class__code=class_code)


def test_every_member_reads_the_budget_table_in_tkr_or_mnkr(client, users, plan, columns):
    client.force_login(users["reader"])
    html = client.get(url("budget_table", plan)).content.decode()
    assert "453,1" in html and "−380,1" in html and "649,7" in html
    assert 'name="amount"' not in html  # readers get no inputs
    html = client.get(url("budget_table", plan) + "?unit=tkr").content.decode()
    assert "453\u00a0100" in html and "−380\u00a0100" in html


def test_controller_edits_a_cell_with_htmx_and_gets_the_totals_back(client, users, plan, columns):
    client.force_login(users["controller"])
    html = client.get(url("budget_table", plan)).content.decode()
    assert 'value="-380,1"' in html  # the exact value in the page's unit
    response = client.post(url("budget_cell", plan), cell_data(columns, amount="−390,0"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="budget-grid"' in html and "443,2" in html and "639,8" in html  # column and grand totals
    saved = line(columns)
    assert saved.amount == Decimal("-390") * MN and saved.version == 2
    assert saved.history.first().history_user == users["controller"]


def test_plain_post_without_script_redirects_back(client, users, plan, columns):
    client.force_login(users["secretary"])
    response = client.post(url("budget_cell", plan), cell_data(columns, amount="-380 000", unit="tkr"))
    assert response.status_code == 302 and response.url.startswith(url("budget_table", plan))
    assert line(columns).amount == Decimal("-380000000")


def test_stale_version_is_refused_with_what_the_other_person_changed(client, users, plan, columns):
    first, second = client, Client()
    first.force_login(users["controller"])
    second.force_login(users["secretary"])
    assert (
        first.post(url("budget_cell", plan), cell_data(columns, amount="-400"), HTTP_HX_REQUEST="true").status_code
        == 200
    )
    response = second.post(url("budget_cell", plan), cell_data(columns, amount="-410"), HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "−400" in response.content.decode()  # the grid shows the other person's figure
    assert line(columns).amount == Decimal("-400") * MN


def test_invalid_amount_is_refused_and_nothing_saved(client, users, plan, columns):
    client.force_login(users["controller"])
    response = client.post(url("budget_cell", plan), cell_data(columns, amount="tre"), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    response = client.post(url("budget_cell", plan), cell_data(columns, amount="1,000000001"), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert line(columns).amount == Decimal("-380.1") * MN


def forged_posts(plan, columns, world):
    """Every write of the budget pages, with data that would be valid for a controller."""
    investment, initiative, batch = world["investment"], world["initiative"], world["batch"]
    return [
        (url("budget_cell", plan), cell_data(columns, amount="1")),
        (url("investment_cell", plan), {"investment": investment.pk, "year": 2023, "amount": "5", "version": 0}),
        (url("frame_create", plan), {}),
        (url("column_create", plan), {"name": "Ny", "code": "NY"}),
        (url("initiative_create", plan), {"title": "Ny satsning", "amount": "100"}),
        (reverse("budget:initiative_edit", args=[initiative.pk]), {"title": "Kapad", "amount": "1", "version": 1}),
        (reverse("budget:initiative_delete", args=[initiative.pk]), {"version": 1}),
        (url("investment_create", plan), {"name": "Ny", "category": "new"}),
        (
            url("adjustment_create", plan),
            {"amount": "800", "from_text": "x", "to_text": "y", "decision_reference": "RS"},
        ),
        (url("import_preview", plan, pk=batch.pk), {"digest": "x"}),
    ]


@pytest.fixture
def world(plan, columns, org):
    return {
        "investment": make_investment(plan),
        "initiative": Initiative.objects.create(plan=plan, unit=org["itd"], title="Digitalisering", amount=1),
        "batch": batch_create(plan=plan, data=budget_workbook(plan), filename="b.xlsx"),
    }


def snapshot():
    return (
        sorted(BudgetLine.objects.values_list("pk", "amount", "version")),
        BudgetColumn.objects.count(),
        sorted(Initiative.objects.values_list("pk", "title", "version")),
        Investment.objects.count(),
        InvestmentYear.objects.count(),
        BudgetAdjustment.objects.count(),
    )


@pytest.mark.parametrize("who", ["planner", "reader", "nobody"])
def test_planners_and_readers_never_change_budget_figures(client, users, plan, columns, world, who):
    client.force_login(users[who])
    before = snapshot()
    for target, data in forged_posts(plan, columns, world):
        assert client.post(target, data).status_code == 403, target
        assert client.post(target, data, HTTP_HX_REQUEST="true").status_code == 403, target
    assert snapshot() == before
    upload = client.post(url("import_upload", plan), {"file": b""})
    assert upload.status_code == 403


def test_decided_plan_is_read_only_for_controllers_too(client, users, plan, columns, world):
    plan.stage = "decided"
    plan.save()
    client.force_login(users["controller"])
    html = client.get(url("budget_table", plan)).content.decode()
    assert 'name="amount"' not in html
    before = snapshot()
    for target, data in forged_posts(plan, columns, world):
        assert client.post(target, data).status_code == 403, target
    assert snapshot() == before


def test_controller_adds_an_initiative_and_an_adjustment(client, users, plan, columns, org):
    client.force_login(users["controller"])
    response = client.post(
        url("initiative_create", plan), {"title": "Arbetsskor inom vården", "unit": org["hr"].pk, "amount": "8 000"}
    )
    assert response.status_code == 302
    assert Initiative.objects.get(title="Arbetsskor inom vården").amount == Decimal("8000000")
    response = client.post(
        url("adjustment_create", plan),
        {
            "amount": "800",
            "from_column": columns["FTV"].pk,
            "from_text": "Regionstyrelsens medel för oförutsedda kostnader",
            "to_text": "Hallands Konstskola",
            "decision_reference": "Regionstyrelsens beslut om Hallands Konstskola",
        },
    )
    assert response.status_code == 302
    html = client.get(url("adjustment_list", plan)).content.decode()
    assert "Hallands Konstskola" in html and "48\u00a0200" in html and "47\u00a0400" in html  # FTV net, adjusted


def test_controller_edits_an_investment_year_and_a_frame_figure(client, users, plan, columns):
    investment = make_investment(plan, years={2022: "41300000"})
    client.force_login(users["controller"])
    response = client.post(
        url("investment_cell", plan),
        {"investment": investment.pk, "year": 2024, "amount": "37,8", "version": 0, "unit": "mnkr"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "37,8" in response.content.decode()
    response = client.post(
        url("investment_cell", plan),
        {"investment": investment.pk, "year": 2030, "amount": "1", "version": 0},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    client.post(url("frame_create", plan))
    frame_column = plan.budget_frame.columns.get()
    response = client.post(
        url("frame_cell", plan),
        {"column": frame_column.pk, "field": "decided_total", "amount": "718,6", "version": 1, "unit": "mnkr"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    frame_column.refresh_from_db()
    assert frame_column.decided_total == Decimal("718.6") * MN


def queries(client, target) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target).status_code == 200
    return len(captured)


def test_budget_table_and_investment_grid_take_a_constant_number_of_queries(client, users, org):
    small = make_plan(org["rk"], year=2030, areas=0)
    large = make_plan(org["rk"], year=2031, areas=0)
    make_budget(small, lines={("A", "A"): {"INT": "1"}})
    make_budget(large, lines={(f"K{i}", f"Kolumn {i}"): {"INT": "-1", "PERS": "2", "OVR": "3"} for i in range(12)})
    make_investment(small, years={2030: "1"})
    for i in range(30):
        make_investment(
            large, f"Objekt {i}", category=["decided", "new", "reinvestment"][i % 3], years={2031: "1", 2032: "2"}
        )
        make_investment(large, f"Objekt {i}", department=org["itd"], years={2033: "3"})
    client.force_login(users["controller"])
    queries(client, url("budget_table", small))  # warm up: session, translations
    for page, limit in (("budget_table", 12), ("investment_grid", 12), ("frame", 12), ("outcomes", 16)):
        count = queries(client, url(page, small))
        assert queries(client, url(page, large)) == count, page
        assert count <= limit, (page, count)
