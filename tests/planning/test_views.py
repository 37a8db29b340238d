import pytest
from django.urls import reverse

from planning.models import Activity, Assignment
from tests.planning.factories import make_plan


@pytest.fixture
def plan(org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=2, responsible=org["itd"])
    hr_area = plan.focus_areas.get()
    Assignment.objects.create(focus_area=hr_area, title="HR:s uppdrag", responsible_unit=org["hr"], order=5)
    return plan


def tree_with_contents(plan):
    """The tree page with the focus area open and its contents rendered (closed areas load them when opened)."""
    return reverse("planning:plan_tree", kwargs=plan.url_kwargs()) + f"?area={plan.focus_areas.get().pk}"


def itd(plan):
    return Assignment.objects.in_plan(plan).get(responsible_unit__code="ITD")


def hr(plan):
    return Assignment.objects.in_plan(plan).get(responsible_unit__code="HR")


def activity_data(**overrides):
    return {"title": "Workshop", "status": "not_started", "description": "", "responsible_person": "", **overrides}


def test_planner_adds_an_activity_to_their_units_assignment(client, users, plan):
    client.force_login(users["planner"])
    url = reverse("planning:activity_create", args=[itd(plan).pk])
    response = client.post(url, activity_data(start="2025-02-01", end="2025-03-01"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="activities-' in html and "Workshop" in html and "1.1.1.3" in html
    assert itd(plan).activities.filter(title="Workshop").exists()


def test_forged_post_on_another_units_assignment_is_refused(client, users, plan):
    client.force_login(users["planner"])
    response = client.post(reverse("planning:activity_create", args=[hr(plan).pk]), activity_data())
    assert response.status_code == 403
    assert not Activity.objects.filter(title="Workshop").exists()
    response = client.post(
        reverse("planning:assignment_edit", args=[hr(plan).pk]), {"title": "Kapat", "kind": "office", "version": 1}
    )
    assert response.status_code == 403
    assert hr(plan).title == "HR:s uppdrag"


def test_tree_shows_edit_controls_only_where_the_user_may_edit(client, users, plan):
    client.force_login(users["planner"])
    html = client.get(tree_with_contents(plan)).content.decode()
    assert reverse("planning:assignment_edit", args=[itd(plan).pk]) in html
    assert reverse("planning:assignment_edit", args=[hr(plan).pk]) not in html
    client.force_login(users["reader"])
    html = client.get(tree_with_contents(plan)).content.decode()
    assert "/edit/" not in html and "Lägg till aktivitet" not in html


def test_two_sessions_the_second_save_is_refused_with_the_first_ones_change(client, users, plan):
    from django.test import Client

    activity = itd(plan).activities.first()
    url = reverse("planning:activity_edit", args=[activity.pk])
    planner, secretary = client, Client()
    planner.force_login(users["planner"])
    secretary.force_login(users["secretary"])
    assert 'name="version" value="1"' in planner.get(url).content.decode()
    assert 'name="version" value="1"' in secretary.get(url).content.decode()
    assert planner.post(url, activity_data(title="Planerarens titel", version=1)).status_code == 302
    response = secretary.post(url, activity_data(title="Sekreterarens titel", version=1))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Planerarens titel" in html and "sparades inte" in html
    activity.refresh_from_db()
    assert activity.title == "Planerarens titel"


def test_decided_plan_hides_edit_controls_and_refuses_posts(client, users, plan):
    plan.stage = "decided"
    plan.save()
    client.force_login(users["secretary"])
    html = client.get(tree_with_contents(plan)).content.decode()
    assert "/edit/" not in html
    response = client.post(reverse("planning:activity_create", args=[itd(plan).pk]), activity_data())
    assert response.status_code == 403


def test_invalid_activity_is_refused_with_a_message_and_nothing_saved(client, users, plan):
    client.force_login(users["planner"])
    url = reverse("planning:activity_create", args=[itd(plan).pk])
    response = client.post(url, activity_data(title="", start="2025-05-01", end="2025-01-01"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Detta fält måste fyllas i" in html
    assert itd(plan).activities.count() == 2


def test_reordering_with_buttons_renumbers(client, users, plan):
    client.force_login(users["planner"])
    second = itd(plan).activities.order_by("order").last()
    response = client.post(reverse("planning:activity_move", args=[second.pk]), {"offset": -1}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.index(second.title) < html.index("Aktivitet 1.1.1.1")


def test_secretary_moves_the_plan_through_its_stages(client, users, plan):
    client.force_login(users["secretary"])
    url = reverse("planning:plan_stage", kwargs=plan.url_kwargs())
    response = client.post(url, {"to_stage": "dialogue"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.stage == "dialogue"
    response = client.post(url, {"to_stage": "decided"})
    assert response.status_code == 200 and "nästa steg" in response.content.decode()


def test_history_tab_shows_field_changes(client, users, plan):
    client.force_login(users["planner"])
    activity = itd(plan).activities.first()
    url = reverse("planning:activity_edit", args=[activity.pk])
    client.post(url, activity_data(title="Ny rubrik", status="in_progress", version=activity.version))
    client.post(url, activity_data(title="Ny rubrik", status="done", version=activity.version + 1))
    html = client.get(reverse("planning:activity_history", args=[activity.pk])).content.decode()
    assert "Pågår" in html and "Klar" in html and "planner" in html
