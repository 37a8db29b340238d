from django.urls import reverse

from planning.models import Goal
from tests.planning.factories import make_plan


def test_admin_edit_is_recorded_and_bumps_the_version(client, users, org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=0, activities=0)
    goal = Goal.objects.get(focus_area__plan=plan)
    client.force_login(users["administrator"])
    url = reverse("admin:planning_goal_change", args=[goal.pk])
    response = client.post(
        url, {"focus_area": goal.focus_area_id, "title": "Ny målformulering", "description": "", "order": 0}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Ny målformulering", 2)
    assert goal.history.first().history_user == users["administrator"]
