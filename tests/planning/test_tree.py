import datetime

import pytest
from django.urls import reverse

from planning.models import Activity, Assignment
from planning.tree import TreeFilters, plan_tree
from tests.planning.factories import make_plan


@pytest.fixture
def plan(org):
    plan = make_plan(org["rk"], areas=2, goals=2, assignments=2, activities=2, responsible=org["itd"])
    hr_assignment = Assignment.objects.in_plan(plan).order_by("pk").last()
    hr_assignment.responsible_unit = org["hr"]
    hr_assignment.kind = "core_mission"
    hr_assignment.save()
    return plan


def flatten(nodes):
    for node in nodes:
        if node.shown:
            yield node
            yield from flatten(node.children)
            yield from (a for a in node.activities if a.shown)


def shown_titles(plan, user, **filters):
    return [
        n.obj.title for n in flatten(plan_tree(plan, user, TreeFilters(**filters), today=datetime.date(2025, 4, 1)))
    ]


def test_numbers_follow_the_order(plan, users):
    tree = plan_tree(plan, users["reader"])
    assert [n.number for n in tree] == ["1", "2"]
    assert [n.number for n in tree[1].children] == ["2.1", "2.2"]
    assignment = tree[1].children[0].children[1]
    assert assignment.number == "2.1.2" and [a.number for a in assignment.activities] == ["2.1.2.1", "2.1.2.2"]
    assert tree[0].count == 8


def test_filters_by_unit_kind_status_text_and_late(plan, users, org):
    reader = users["reader"]
    only_hr = shown_titles(plan, reader, unit=org["hr"].pk)
    assert "Uppdrag 2.2.2" in only_hr and "Uppdrag 1.1.1" not in only_hr
    assert shown_titles(plan, reader, kind="core_mission") == shown_titles(plan, reader, unit=org["hr"].pk)
    first = Activity.objects.get(title="Aktivitet 1.1.1.1")
    first.status = "done"
    first.save()
    assert "Aktivitet 1.1.1.1" in shown_titles(plan, reader, status="done")
    assert "Aktivitet 1.1.1.2" not in shown_titles(plan, reader, status="done")
    late = shown_titles(plan, reader, late=True)  # the first activity of each assignment ended 2 March
    assert "Aktivitet 1.2.1.1" in late and "Aktivitet 1.1.1.1" not in late and "Aktivitet 1.2.1.2" not in late
    assert shown_titles(plan, reader, q="uppdrag 2.1.2") == ["Fokusområde 2", "Mål 2.1", "Uppdrag 2.1.2"] + [
        "Aktivitet 2.1.2.1",
        "Aktivitet 2.1.2.2",
    ]


def test_tree_page_queries_do_not_grow_with_the_plan(client, users, org, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = make_plan(org["rk"], year=2030, areas=2, goals=2, assignments=2, activities=2, responsible=org["itd"])
    large = make_plan(org["rk"], year=2031, areas=4, goals=5, assignments=5, activities=4, responsible=org["itd"])
    client.force_login(users["planner"])
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("planning:plan_tree", kwargs=plan.url_kwargs()))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12
    with django_assert_max_num_queries(counts[0]):
        client.get(reverse("planning:plan_tree", kwargs=large.url_kwargs()) + "?q=Uppdrag&late=on", HTTP_HX_REQUEST="1")


def test_activity_sections_follow_the_focus_areas(plan, users):
    from tests.planning.factories import add_section

    section = add_section(plan, title="Arbetsmiljöplan", body="")
    section.kind = "work_environment"
    section.save()
    Activity.objects.create(section=section, title="Förbättra chefers förutsättningar", status="in_progress")
    tree = plan_tree(plan, users["reader"])
    assert [n.kind for n in tree] == ["focus_area", "focus_area", "section"]
    assert tree[-1].activities[0].obj.title == "Förbättra chefers förutsättningar"
    assert shown_titles(plan, users["reader"], q="chefers")[-2:] == [
        "Arbetsmiljöplan",
        "Förbättra chefers förutsättningar",
    ]
