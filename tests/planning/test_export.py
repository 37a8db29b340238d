import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from planning import export
from planning.models import Activity
from tests.planning.factories import add_indicator, make_plan


@pytest.fixture
def plan(org):
    plan = make_plan(org["rk"], areas=2, goals=2, assignments=1, activities=2, responsible=org["itd"])
    add_indicator(plan)
    return plan


def test_json_nests_focus_areas_goals_assignments_activities_with_stable_keys(plan):
    data = export.plan_export(plan, user=None)
    assert set(data) >= {"plan", "sections", "focus_areas", "indicators"}
    goal = data["focus_areas"][0]["goals"][0]
    activity = goal["assignments"][0]["activities"][0]
    for item in (data["focus_areas"][0], goal, goal["assignments"][0], activity, data["indicators"][0]):
        assert {"id", "title", "order"} <= set(item)
    assert goal["number"] == "1.1" and activity["number"] == "1.1.1.1"
    assert data["indicators"][0]["targets"] == {"2025": "11.00"}


def test_other_apps_add_sections_without_planning_importing_them(plan, monkeypatch):
    monkeypatch.setattr(export, "_sections", {})
    export.register_section("budget", lambda p: {"year": p.year})
    assert export.plan_export(plan, user=None)["budget"] == {"year": 2025}


def test_command_writes_json_and_xlsx(plan, tmp_path):
    out = io.StringIO()
    call_command("export_plan", plan.key, "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["plan"]["key"] == "rk/2025"
    target = tmp_path / "plan.xlsx"
    call_command("export_plan", plan.key, "--format", "xlsx", "--output", str(target), stderr=io.StringIO())
    sheet = load_workbook(target)["Plan"]
    assert sheet["A1"].value.startswith("Verksamhetsplan 2025")
    assert [c.value for c in sheet[2]][:3] == ["Nivå", "Nummer", "Rubrik"]
    assert sheet.freeze_panes == "A3"
    assert sheet.max_row == 2 + 2 + 4 + 4 + 8


def test_unknown_plan_fails_with_a_clear_message(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No plan 'nowhere/2025'"):
        call_command("export_plan", "nowhere/2025")
    with pytest.raises(CommandError, match="<unit-slug>/<year>"):
        call_command("export_plan", "regionkontoret")


def test_text_that_looks_like_a_formula_stays_text(plan, client, users):
    Activity.objects.filter(pk=Activity.objects.in_plan(plan).first().pk).update(title='=HYPERLINK("http://x","klick")')
    client.force_login(users["reader"])
    response = client.get(reverse("planning:plan_export", kwargs={**plan.url_kwargs(), "fmt": "xlsx"}))
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content))["Plan"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value and str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
