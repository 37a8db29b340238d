"""What is written in a follow-up report shows in the plan's change feed, with who changed what."""

from django.urls import reverse

from followup.services import report_create, report_text_save, status_save
from planning.models import Assignment
from tests.planning.factories import make_plan


def test_report_texts_and_statuses_appear_in_the_plans_change_feed(client, users, org):
    plan = make_plan(org["rk"], year=2023, areas=1, goals=1, assignments=1, activities=0)
    report = report_create(plan=plan, period="T1", user=users["secretary"])
    report_text_save(report=report, key="summary", body="Första versionen.", user=users["secretary"], version=0)
    report_text_save(report=report, key="summary", body="Andra versionen.", user=users["secretary"], version=1)
    assignment = Assignment.objects.in_plan(plan).get()
    status_save(report=report, item=assignment, status="on_track", comment="", user=users["planner"], version=0)
    status_save(report=report, item=assignment, status="deviation", comment="Försenat.", user=users["planner"],
                version=1)  # fmt: skip

    client.force_login(users["reader"])
    url = reverse("planning:plan_changes", kwargs=plan.url_kwargs())
    page = client.get(url).content.decode()
    assert "Första versionen." in page and "Andra versionen." in page and "Sammanfattning" in page
    assert assignment.title in page and "Enligt plan" in page and "Avvikelse" in page and "Försenat." in page
    only_statuses = client.get(url, {"type": "report_status"}).content.decode()
    assert "Försenat." in only_statuses and "Andra versionen." not in only_statuses
