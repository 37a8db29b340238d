import datetime

import pytest
from django.urls import reverse

from planning.models import Activity, Assignment
from planning.tree import TreeFilters, area_tree, plan_outline, plan_tree
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


def tree_url(plan, query=""):
    return reverse("planning:plan_tree", kwargs=plan.url_kwargs()) + query


def area_url(plan, area):
    return reverse("planning:plan_tree_area", kwargs={**plan.url_kwargs(), "pk": area.pk})


def query_count(client, url, **extra):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries)


def test_tree_page_queries_do_not_grow_with_the_plan(client, users, org):
    small = make_plan(org["rk"], year=2030, areas=2, goals=2, assignments=2, activities=2, responsible=org["itd"])
    large = make_plan(org["rk"], year=2031, areas=4, goals=5, assignments=5, activities=4, responsible=org["itd"])
    client.force_login(users["planner"])
    counts = {}
    for name, plan in (("small", small), ("large", large)):
        area = plan.focus_areas.last()
        counts[name] = (
            query_count(client, tree_url(plan)),  # the first view: focus areas closed
            query_count(client, tree_url(plan), HTTP_HX_REQUEST="1"),
            query_count(client, area_url(plan, area), HTTP_HX_REQUEST="1"),  # one area, loaded when opened
            query_count(client, tree_url(plan, f"?area={area.pk}")),  # the no-script fallback
            query_count(client, tree_url(plan, "?q=Uppdrag&late=on"), HTTP_HX_REQUEST="1"),  # the whole tree
        )
    assert counts["small"] == counts["large"]
    assert max(counts["large"]) <= 12


def test_first_view_shows_the_focus_areas_closed_with_counts_but_not_their_contents(client, users, plan):
    client.force_login(users["planner"])
    html = client.get(tree_url(plan)).content.decode()
    areas = list(plan.focus_areas.all())
    for area in areas:
        assert area.title in html
        assert f'hx-get="{area_url(plan, area)}"' in html
        assert f'href="{tree_url(plan)}?area={area.pk}#focus-area-{area.pk}"' in html
    assert "<details open" not in html
    assert html.count('hx-trigger="toggle once"') == len(areas)
    assert "Mål 1.1" not in html and "Uppdrag" not in html and "Aktivitet" not in html
    assert "/plans/assignments/" not in html and "/plans/activities/" not in html
    assert html.count("8 aktiviteter") + html.count("8 activities") == 2  # each area's count, from one aggregate
    assert "16 aktiviteter i planen" in html or "16 activities in the plan" in html


def test_outline_counts_match_the_whole_tree(plan, users):
    outline = plan_outline(plan, users["reader"])
    tree = plan_tree(plan, users["reader"])
    assert [(n.number, n.obj.title, n.count, n.loaded) for n in outline] == [
        (n.number, n.obj.title, n.count, False) for n in tree
    ]
    assert all(not n.children for n in outline)


def test_area_partial_renders_one_area_numbered_as_in_the_whole_tree(client, users, plan, org):
    second = plan.focus_areas.last()
    client.force_login(users["planner"])
    response = client.get(area_url(plan, second), HTTP_HX_REQUEST="1")
    html = response.content.decode()
    assert "<html" not in html
    titles = [n.obj.title for n in flatten([area_tree(plan, users["planner"], second.pk)])]
    assert titles == [n.obj.title for n in flatten([plan_tree(plan, users["planner"])[1]])]
    for title in titles[1:]:
        assert title in html
    assert "Fokusområde 1" not in html and "Uppdrag 1." not in html and "Aktivitet 1." not in html
    for number in ("2.1", "2.2", "2.1.2", "2.2.2.2"):
        assert f'<span class="tree__number">{number}</span>' in html
    # Edit controls follow the permission: the planner (ITD) edits ITD's assignments, not HR's (the last one).
    itd, hr = Assignment.objects.in_plan(plan).filter(focus_area=second).order_by("pk")[::3]
    assert hr.responsible_unit == org["hr"]
    assert reverse("planning:assignment_edit", args=[itd.pk]) in html
    assert reverse("planning:assignment_edit", args=[hr.pk]) not in html
    assert reverse("planning:activity_create", args=[hr.pk]) not in html
    client.force_login(users["reader"])
    html = client.get(area_url(plan, second), HTTP_HX_REQUEST="1").content.decode()
    assert "Uppdrag 2.1.1" in html and "/edit/" not in html and "/move/" not in html


def test_area_partial_of_another_plans_area_is_not_found(client, users, plan, org):
    other = make_plan(org["rk"], year=2032, areas=1, goals=1, assignments=1, activities=1)
    client.force_login(users["planner"])
    assert client.get(area_url(plan, other.focus_areas.get())).status_code == 404


def test_fallback_renders_the_chosen_area_open_and_the_others_closed(client, users, plan):
    first, second = plan.focus_areas.all()
    client.force_login(users["planner"])
    html = client.get(tree_url(plan, f"?area={second.pk}")).content.decode()
    assert html.count("<details open") == 1
    assert f'hx-get="{area_url(plan, first)}"' in html and f'hx-get="{area_url(plan, second)}"' not in html
    assert "Uppdrag 2.1.1" in html and "Aktivitet 2.2.2.2" in html
    assert "Uppdrag 1.1.1" not in html and "Aktivitet 1.1.1.1" not in html
    assert '<span class="tree__number">2.2.2.2</span>' in html
    for unknown in ("0", "x", "²"):  # an unknown area: the first view
        assert client.get(tree_url(plan, f"?area={unknown}")).status_code == 200


def test_a_filter_shows_the_whole_filtered_tree_open(client, users, plan):
    client.force_login(users["planner"])
    html = client.get(tree_url(plan, "?q=uppdrag+2.1.2"), HTTP_HX_REQUEST="1").content.decode()
    assert "Uppdrag 2.1.2" in html and "Aktivitet 2.1.2.2" in html and "Uppdrag 1.1.1" not in html
    assert "<details open" in html and 'hx-trigger="toggle once"' not in html


def test_a_sub_assignment_in_another_area_stays_under_its_parent(plan, users):
    first, second = plan.focus_areas.all()
    parent = Assignment.objects.get(title="Uppdrag 1.1.1")
    child = Assignment.objects.create(focus_area=second, parent=parent, title="Deluppdrag", order=9)
    Activity.objects.create(assignment=child, title="Delaktivitet")
    whole = plan_tree(plan, users["reader"])
    area = area_tree(plan, users["reader"], first.pk)
    assert [(n.number, n.obj.title) for n in flatten([area])] == [(n.number, n.obj.title) for n in flatten(whole[:1])]
    assert "Delaktivitet" in [n.obj.title for n in flatten([area])]
    assert "Deluppdrag" not in [n.obj.title for n in flatten([area_tree(plan, users["reader"], second.pk)])]
    assert [n.count for n in plan_outline(plan, users["reader"])] == [n.count for n in whole] == [9, 8]


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
