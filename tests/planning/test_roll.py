"""Rolling a plan into the next year: what is copied, lineage, history in bulk, refusals, the command and the page."""

import io
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internalcontrol.models import Control, ControlPlan, SelectedRisk
from planning.adjustments import plan_adjustments
from planning.models import Activity, Assignment, FocusArea, Goal, Indicator, IndicatorTarget, Plan, PlanSection
from planning.roll import plan_roll, rolled_title
from tests.internalcontrol.factories import make_control, make_risk, select
from tests.planning.factories import add_indicator, add_section, make_plan


def test_roll_the_demo_plan_with_the_command(db):
    call_command("demo", force_demo_users=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("roll_plan", "regionkontoret/2025", "--to-year", "2026", "--user", "sekreterare", stdout=out)

    new = Plan.objects.by_key("regionkontoret", 2026).get()
    old = Plan.objects.by_key("regionkontoret", 2025).get()
    assert (new.stage, new.previous, new.title) == ("draft", old, "Verksamhetsplan och internbudget 2026")
    goals = list(Goal.objects.filter(focus_area__plan=new).select_related("origin__focus_area__plan"))
    assert len(goals) == 12
    assert all(g.origin.focus_area.plan == old and g.origin.title == g.title for g in goals)
    assert len({g.origin_id for g in goals}) == 12
    assert plan_adjustments(plan=new, against=old).entries == []
    assert "regionkontoret/2026" in out.getvalue()
    adjustments = io.StringIO()
    call_command("adjustments", "regionkontoret/2026", "--against", "regionkontoret/2025", stdout=adjustments)
    assert '"entries": []' in adjustments.getvalue()

    with pytest.raises(CommandError, match="finns redan"):
        call_command("roll_plan", "regionkontoret/2025", "--to-year", "2026", stdout=io.StringIO())
    assert Plan.objects.filter(year=2026).count() == 1


@pytest.fixture
def rich_plan(org):
    """A plan with a region-wide assignment holding an office assignment, activities of every status, a section
    with activities, an indicator with targets over the years, and a control plan with a control."""
    plan = make_plan(org["rk"], year=2025, areas=1, goals=2, assignments=1, activities=2, responsible=org["itd"])
    area = FocusArea.objects.get(plan=plan)
    goals = list(Goal.objects.filter(focus_area=area).order_by("order"))
    region_wide = Assignment.objects.create(focus_area=area, kind="region_wide", title="Regiongemensamt", order=5)
    child = Assignment.objects.create(focus_area=area, parent=region_wide, title="Kontorets del", order=6)
    child.goals.set(goals)
    Activity.objects.create(assignment=child, title="Klar", status="done")
    Activity.objects.create(assignment=child, title="Pågår", status="in_progress")
    section = add_section(plan, title="Regionstyrelsens Arbetsmiljöplan 2025")
    section.kind = "work_environment"
    section.save()
    Activity.objects.create(section=section, title="Förbättra chefers förutsättningar")
    indicator = add_indicator(plan, target="11.0", year=2024)
    IndicatorTarget.objects.create(indicator=indicator, year=2025, value=Decimal("10.5"))
    risk = make_risk(org["rk"], owner=org["itd"], scores={2025: (3, 4)})
    make_control(select(plan, risk, reason="Hög risk"), responsible=org["itd"])
    return plan


def test_roll_copies_the_plan_with_lineage_in_one_go(users, rich_plan):
    new = plan_roll(plan=rich_plan, to_year=2026, user=users["secretary"])

    assert FocusArea.objects.get(plan=new).origin == FocusArea.objects.get(plan=rich_plan)
    child = Assignment.objects.get(focus_area__plan=new, title="Kontorets del")
    assert child.parent.title == "Regiongemensamt" and child.parent.focus_area.plan == new
    assert {g.title for g in child.goals.all()} == {"Mål 1.1", "Mål 1.2"}
    assert all(g.focus_area.plan == new for g in child.goals.all())
    titles = set(Activity.objects.in_plan(new).values_list("title", flat=True))
    assert "Klar" not in titles and {"Pågår", "Förbättra chefers förutsättningar"} <= titles
    assert all(a.origin.plan == rich_plan for a in Activity.objects.in_plan(new))
    section = PlanSection.objects.get(plan=new, kind="work_environment")
    assert section.activities.get().title == "Förbättra chefers förutsättningar"
    indicator = Indicator.objects.get(plan=new)
    assert [(t.year, t.value) for t in indicator.targets.all()] == [(2026, Decimal("10.50"))]
    control_plan = ControlPlan.objects.get(plan=new)
    assert control_plan.status == "proposed"
    selected = SelectedRisk.objects.get(control_plan=control_plan)
    assert selected.reason == "Hög risk" and selected.controls.get().title == "Stickprov av behörigheter"
    assert plan_adjustments(plan=new).entries == []


def test_roll_writes_history_for_every_copy_with_user_and_reason(users, rich_plan):
    new = plan_roll(plan=rich_plan, to_year=2026, user=users["secretary"])
    reason = "Rullad från rk/2025"
    copies = [
        (Plan, Plan.objects.filter(pk=new.pk)),
        (FocusArea, FocusArea.objects.filter(plan=new)),
        (Goal, Goal.objects.filter(focus_area__plan=new)),
        (Assignment, Assignment.objects.in_plan(new)),
        (Activity, Activity.objects.in_plan(new)),
        (PlanSection, PlanSection.objects.filter(plan=new)),
        (Indicator, Indicator.objects.filter(plan=new)),
        (IndicatorTarget, IndicatorTarget.objects.filter(indicator__plan=new)),
        (ControlPlan, ControlPlan.objects.filter(plan=new)),
        (SelectedRisk, SelectedRisk.objects.filter(control_plan__plan=new)),
        (Control, Control.objects.filter(selected_risk__control_plan__plan=new)),
    ]
    for model, objects in copies:
        ids = set(objects.values_list("pk", flat=True))
        records = model.history.filter(id__in=ids)
        assert set(records.values_list("id", flat=True)) == ids, f"{model.__name__} without history"
        assert set(records.values_list("history_change_reason", "history_user")) == {(reason, users["secretary"].pk)}
    child = Assignment.objects.get(focus_area__plan=new, title="Kontorets del")
    assert {row.goal.title for row in child.history.get().goals.all()} == {"Mål 1.1", "Mål 1.2"}


def roll_queries(plan, year):
    with CaptureQueriesContext(connection) as queries:
        plan_roll(plan=plan, to_year=year, user=None)
    return len(queries)


def test_roll_queries_do_not_grow_with_the_plan(org, users):
    """A plan of 1 × 1 × 1 × 1 and one of 2 × 2 × 2 × 2 roll in the same number of queries. The inserts are bulk
    inserts; on SQLite (999 parameters a statement) a level with more than a few dozen rows takes one more insert per
    batch, never one per item: see the large plan below."""
    small = make_plan(org["rk"], year=2025, areas=1, goals=1, assignments=1, activities=1)
    large = make_plan(org["hr"], year=2025, areas=2, goals=2, assignments=2, activities=2)
    add_indicator(small)
    add_indicator(large)
    add_indicator(large, name="Sjukfrånvaro")
    assert roll_queries(small, 2026) == roll_queries(large, 2026)


def test_roll_the_large_synthetic_plan_in_bulk(org):
    """20 focus areas, 100 goals, 500 assignments, 2,000 activities: queries in the tens, not thousands."""
    plan = make_plan(org["rk"], year=2025, areas=20, goals=5, assignments=5, activities=4)
    started = time.perf_counter()
    queries = roll_queries(plan, 2026)
    seconds = time.perf_counter() - started
    new = Plan.objects.get(year=2026)
    assert Activity.objects.in_plan(new).count() == 2000
    assert queries < 200  # 2,620 items: SQLite batches inserts by 999 parameters; PostgreSQL needs fewer
    assert seconds < 30


def test_roll_is_refused_when_the_target_exists_or_the_plan_was_rolled(users, org):
    plan = make_plan(org["rk"], year=2025, areas=1, goals=1, assignments=1, activities=1)
    make_plan(org["rk"], year=2026, areas=1, goals=1, assignments=1, activities=1)
    with pytest.raises(ValidationError, match="finns redan"):
        plan_roll(plan=plan, to_year=2026, user=users["secretary"])
    plan_roll(plan=plan, to_year=2027, user=users["secretary"])
    with pytest.raises(ValidationError, match="redan rullad"):
        plan_roll(plan=plan, to_year=2028, user=users["secretary"])
    with pytest.raises(ValidationError, match="senare år"):
        plan_roll(plan=plan, to_year=2025, user=users["secretary"])
    assert not Plan.objects.filter(year=2028).exists()


def test_a_failing_step_leaves_nothing_behind(users, org, monkeypatch):
    from planning import roll

    plan = make_plan(org["rk"], year=2025, areas=1, goals=1, assignments=1, activities=1)

    def broken(context):
        raise RuntimeError("broken step")

    monkeypatch.setitem(roll._steps, "broken", broken)
    with pytest.raises(RuntimeError):
        plan_roll(plan=plan, to_year=2026, user=users["secretary"])
    assert not Plan.objects.filter(year=2026).exists()
    assert not Goal.history.filter(history_change_reason__startswith="Rullad").exists()


def test_rolled_title():
    assert rolled_title("Verksamhetsplan och internbudget 2025", 2025, 2026) == "Verksamhetsplan och internbudget 2026"
    assert rolled_title("Verksamhetsplan", 2025, 2026) == "Verksamhetsplan 2026"


def test_roll_page_confirms_then_rolls_for_plan_owners(client, users, org):
    plan = make_plan(org["rk"], year=2025, areas=1, goals=1, assignments=1, activities=1)
    url = reverse("planning:plan_roll", kwargs=plan.url_kwargs())
    client.force_login(users["planner"])
    assert client.post(url, {"to_year": 2026}).status_code == 403
    client.force_login(users["secretary"])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["to_year"] == 2026
    response = client.post(url, {"to_year": 2026})
    new = Plan.objects.get(unit=org["rk"], year=2026)
    assert response.status_code == 302 and response.url == new.get_absolute_url()
    assert new.history.get().history_user == users["secretary"]
    again = client.post(url, {"to_year": 2026})
    assert again.status_code == 409
    overview = client.get(plan.get_absolute_url()).content.decode()
    assert url in overview


def test_lineage_is_shown_on_assignment_and_activity_pages(client, users, org):
    plan = make_plan(org["rk"], year=2025, areas=1, goals=1, assignments=1, activities=1)
    new = plan_roll(plan=plan, to_year=2026, user=users["secretary"])
    old_assignment, new_assignment = Assignment.objects.in_plan(plan).get(), Assignment.objects.in_plan(new).get()
    old_activity, new_activity = Activity.objects.in_plan(plan).get(), Activity.objects.in_plan(new).get()
    client.force_login(users["reader"])
    page = client.get(new_assignment.get_absolute_url()).content.decode()
    assert old_assignment.get_absolute_url() in page and "2025:" in page
    page = client.get(old_assignment.get_absolute_url()).content.decode()
    assert new_assignment.get_absolute_url() in page and "2026:" in page
    page = client.get(new_activity.get_absolute_url()).content.decode()
    assert old_activity.get_absolute_url() in page
    page = client.get(old_activity.get_absolute_url()).content.decode()
    assert new_activity.get_absolute_url() in page
