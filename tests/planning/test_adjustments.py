"""The plan's adjustments ("Justeringar"): between two stages of one plan, from history, and between two years, from
lineage; as a list of Swedish sentences like seed 001's, as JSON from a command, and as a page."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.history import stamp
from internalcontrol.models import Risk, SelectedRisk
from internalcontrol.services import risk_select
from planning.adjustments import AdjustmentError, document_adjustments, plan_adjustments
from planning.models import Activity, Assignment, FocusArea, Goal, Plan
from planning.roll import plan_roll
from planning.services import plan_change_stage
from tests.internalcontrol.factories import make_risk, select
from tests.planning.factories import make_plan

HEALTH = "En tillgänglig och högkvalitativ hälso- och sjukvård"
NEW_GOAL = "Regionstyrelsen ska leda och samordna regionens arbete mot ökad tillgänglighet till vård"
PROCUREMENT = "Risk med att bryta mot lagen om offentlig upphandling"
REWORDED = {
    "Aktivt arbeta för förbättrade resultat i Region Hallands interna klimat- och miljöarbete": (
        "Regionstyrelsen ska aktivt arbeta för förbättrade resultat i Region Hallands interna klimat- och miljöarbete"
    ),
    "Stärka Hallands tillgänglighet till arbete, studier och samhällsservice": (
        "Regionstyrelsen ska arbeta för att stärka Hallands tillgänglighet till arbete, studier och samhällsservice"
    ),
}
# Seed 001, "Justeringar", as the list reads (the seed's line breaks and its stray "under." aside).
SEED_001_ADJUSTMENTS = [
    "Målformulering ändrad till Regionstyrelsen ska aktivt arbeta för förbättrade resultat i Region Hallands "
    "interna klimat- och miljöarbete.",
    "Målformulering ändrad till Regionstyrelsen ska arbeta för att stärka Hallands tillgänglighet till arbete, "
    "studier och samhällsservice.",
    f"Ett mål läggs till under fokusområdet {HEALTH}: {NEW_GOAL}.",
    f"Risk tillagd i internkontrollplanen: {PROCUREMENT}.",
    "Från 11 till 12 mål i planen.",
]


@pytest.fixture
def demo(db):
    call_command("demo", force_demo_users=True, stdout=io.StringIO())
    return Plan.objects.by_key("regionkontoret", 2025).get()


def test_seed_001_adjustments_between_dialogue_and_proposal(demo, client):
    """Seed 001's changes made on the demo 2025 plan between its dialogue and its proposal read like its list."""
    from core.models import User

    plan, secretary = demo, User.objects.get(username="sekreterare")
    # Before the dialogue: the plan had eleven goals and the procurement risk was not in the control plan.
    stamp(Goal.objects.get(focus_area__plan=plan, title=NEW_GOAL), user=secretary).delete()
    stamp(SelectedRisk.objects.get(control_plan__plan=plan, risk__title=PROCUREMENT), user=secretary).delete()
    plan.stage = "draft"
    stamp(plan, user=secretary, reason="Tillbaka till utkast för testet").save()
    plan_change_stage(plan=plan, to_stage="dialogue", user=secretary)
    # Between the dialogue and the proposal: seed 001's adjustments.
    for old, new in REWORDED.items():
        goal = Goal.objects.get(focus_area__plan=plan, title=old)
        goal.title, goal.version = new, goal.version + 1
        stamp(goal, user=secretary).save()
    health = FocusArea.objects.get(plan=plan, title=HEALTH)
    stamp(Goal(focus_area=health, title=NEW_GOAL, order=3), user=secretary).save()
    risk_select(plan=plan, risk=Risk.objects.get(title=PROCUREMENT), reason="Ny risk", user=secretary)
    plan_change_stage(plan=plan, to_stage="proposal", user=secretary)
    plan.refresh_from_db()

    result = plan_adjustments(plan=plan, since_stage="dialogue")

    assert result.lines == SEED_001_ADJUSTMENTS
    assert result.counts["goal"] == {"before": 11, "after": 12}
    goal_entries = [e for e in result.entries if e.level == "goal" and e.kind == "reworded"]
    assert [e.old for e in goal_entries] == list(REWORDED)
    assert document_adjustments(plan).lines == SEED_001_ADJUSTMENTS  # what the plan PDF prints

    out = io.StringIO()
    call_command("adjustments", "regionkontoret/2025", "--since-stage", "dialogue", stdout=out)
    data = json.loads(out.getvalue())
    assert [e["text"] for e in data["entries"]] == SEED_001_ADJUSTMENTS
    assert data["mode"] == "stage" and data["counts"]["goal"] == {"before": 11, "after": 12}
    risk_entry = next(e for e in data["entries"] if e["level"] == "risk")
    assert risk_entry["kind"] == "added" and risk_entry["source"] == "internal_control"

    client.force_login(secretary)
    url = reverse("planning:plan_adjustments", kwargs=plan.url_kwargs())
    page = client.get(url, {"since": "dialogue"})
    assert page.status_code == 200
    assert page.context["result"].lines == SEED_001_ADJUSTMENTS
    assert "Från 11 till 12 mål i planen." in page.content.decode()
    then = client.get(reverse("planning:plan_as_of", kwargs=plan.url_kwargs()), {"stage": "dialogue"})
    assert then.context["snapshot"].count("goal") == 11


def test_bad_input_exits_non_zero_with_a_clear_message(db, org):
    make_plan(org["rk"], year=2025)
    with pytest.raises(CommandError, match="dialogue"):
        call_command("adjustments", "rk/2025", "--since-stage", "dialogue", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Okänt steg"):
        call_command("adjustments", "rk/2025", "--since-stage", "dialog", stdout=io.StringIO())
    with pytest.raises(CommandError, match="ingen föregående plan"):
        call_command("adjustments", "rk/2025", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No plan"):
        call_command("adjustments", "rk/2025", "--against", "rk/2019", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("adjustments", "rk/2025", "--against", "rk/2024", "--since-stage", "draft", stdout=io.StringIO())


def test_against_last_year_every_level_added_removed_reworded_moved(users, org):
    old = make_plan(org["rk"], year=2025, areas=2, goals=2, assignments=1, activities=2)
    new = plan_roll(plan=old, to_year=2026, user=users["secretary"])
    goals = list(Goal.objects.filter(focus_area__plan=new).order_by("focus_area__order", "order"))
    areas = list(FocusArea.objects.filter(plan=new).order_by("order"))
    goals[0].title = "Ny formulering av mål 1.1"
    goals[0].save()
    goals[1].focus_area = areas[1]  # moved
    goals[1].save()
    goals[3].delete()
    Goal.objects.create(focus_area=areas[0], title="Helt nytt mål", order=9)
    area = areas[1]
    area.title = "Fokusområde 2, nytt namn"
    area.save()
    assignment = Assignment.objects.filter(focus_area__plan=new).order_by("pk").first()
    activity = assignment.activities.order_by("order").first()
    activity.delete()
    Activity.objects.create(assignment=assignment, title="Ny aktivitet", order=5)

    result = plan_adjustments(plan=new)  # against plan.previous
    lines = result.lines

    assert result.comparison.against == old
    assert "Fokusområdet Fokusområde 2 byter namn till Fokusområde 2, nytt namn." in lines
    assert "Målformulering ändrad till Ny formulering av mål 1.1." in lines
    assert "Målet Mål 1.2 flyttas från fokusområdet Fokusområde 1 till fokusområdet Fokusområde 2, nytt namn." in lines
    assert "Ett mål läggs till under fokusområdet Fokusområde 1: Helt nytt mål." in lines
    assert "Ett mål tas bort under fokusområdet Fokusområde 2: Mål 2.2." in lines
    assert f"En aktivitet läggs till under uppdraget {assignment.title}: Ny aktivitet." in lines
    assert f"En aktivitet tas bort under uppdraget {assignment.title}: {activity.title}." in lines
    assert "Från 4 till 4 mål i planen." not in lines
    assert [e.kind for e in result.entries if e.level == "goal"] == ["reworded", "moved", "added", "removed"]


def test_against_a_plan_two_years_back_follows_the_lineage(users, org):
    first = make_plan(org["rk"], year=2024, areas=1, goals=2, assignments=1, activities=1)
    middle = plan_roll(plan=first, to_year=2025, user=None)
    last = plan_roll(plan=middle, to_year=2026, user=None)
    goal = Goal.objects.filter(focus_area__plan=last).order_by("order").first()
    goal.title = "Omformulerat 2026"
    goal.save()
    result = plan_adjustments(plan=last, against=first)
    assert result.lines == ["Målformulering ändrad till Omformulerat 2026."]


def test_internal_control_risks_added_and_removed_against_last_year(users, org):
    old = make_plan(org["rk"], year=2025, areas=1, goals=1, assignments=1, activities=1)
    kept = make_risk(org["rk"], owner=org["itd"], title="Risk för cyberattacker")
    dropped = make_risk(org["rk"], owner=org["itd"], title="Risk för välfärdsbrott")
    select(old, kept)
    select(old, dropped, order=1)
    new = plan_roll(plan=old, to_year=2026, user=users["secretary"])
    SelectedRisk.objects.get(control_plan__plan=new, risk=dropped).delete()
    added = make_risk(org["rk"], owner=org["itd"], title="Risk med driftstörningar")
    select(new, added, order=2)
    assert plan_adjustments(plan=new).lines == [
        "Risk tillagd i internkontrollplanen: Risk med driftstörningar.",
        "Risk borttagen ur internkontrollplanen: Risk för välfärdsbrott.",
    ]


def test_no_comparison_raises_a_clear_error(org):
    plan = make_plan(org["rk"], year=2025)
    with pytest.raises(AdjustmentError):
        plan_adjustments(plan=plan)
    with pytest.raises(AdjustmentError):
        plan_adjustments(plan=plan, against=plan)
    assert document_adjustments(plan) is None


def test_adjustments_page_by_year_and_bad_input(client, users, org):
    old = make_plan(org["rk"], year=2025, areas=1, goals=1, assignments=1, activities=1)
    new = plan_roll(plan=old, to_year=2026, user=users["secretary"])
    client.force_login(users["reader"])
    url = reverse("planning:plan_adjustments", kwargs=new.url_kwargs())
    response = client.get(url, {"against": "2025"})
    assert response.status_code == 200 and response.context["result"].entries == []
    assert client.get(url).context["result"].comparison.against == old  # the previous plan by default
    assert client.get(url, {"against": "2019"}).status_code == 400
    assert client.get(url, {"since": "decided"}).status_code == 400
    client.get(url, {"since": "dialogue"})
    alone = make_plan(org["hr"], year=2025)
    page = client.get(reverse("planning:plan_adjustments", kwargs=alone.url_kwargs()))
    assert page.status_code == 200 and page.context["result"] is None
