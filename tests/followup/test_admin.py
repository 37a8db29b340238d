"""Administrators set deadlines in the admin, with history; reports and approvals cannot be altered there."""

import datetime

from django.urls import reverse

from followup.services import period_ensure, report_change_status, report_create
from tests.planning.factories import make_plan


def test_an_administrator_moves_a_deadline_and_the_change_is_recorded(client, users):
    period = period_ensure(year=2023, code="T1")
    client.force_login(users["administrator"])
    url = reverse("admin:followup_period_change", args=[period.pk])
    response = client.post(url, {"year": 2023, "code": "T1", "deadline": "2023-05-15"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.deadline == datetime.date(2023, 5, 15)
    assert period.history.first().history_user == users["administrator"]


def test_reports_and_approvals_are_read_only_in_the_admin(client, users, org):
    plan = make_plan(org["rk"], year=2023, areas=1, goals=1, assignments=1, activities=0)
    report = report_create(plan=plan, period="T1", user=users["secretary"])
    report_change_status(report=report, to_status="in_review", user=users["secretary"])
    report_change_status(report=report, to_status="approved", user=users["secretary"])
    approval = report.approvals.get()
    client.force_login(users["administrator"])
    assert client.get(reverse("admin:followup_reportapproval_changelist")).status_code == 200
    assert client.get(reverse("admin:followup_reportapproval_change", args=[approval.pk])).status_code == 200
    assert client.post(reverse("admin:followup_reportapproval_delete", args=[approval.pk])).status_code == 403
    change = client.post(reverse("admin:followup_followupreport_change", args=[report.pk]), {"status": "draft"})
    assert change.status_code == 403
    report.refresh_from_db()
    assert report.status == "approved" and report.approvals.count() == 1
