"""History you can read: every model has history, the history tab filters and restores, the plan's change feed, the
plan as it stood at a stage."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.history import RESTORE_REASON, history_restore, record_changes, stamp
from core.versioning import StaleVersion
from planning import services
from planning.history import StageNeverEntered, plan_feed, plan_snapshot, stage_moment
from planning.models import Activity, Assignment, Goal, Plan
from tests.planning.factories import make_plan

OUR_APPS = {"core", "planning", "budget", "internalcontrol", "followup"}
# Tables without a history manager of their own, and why:
WITHOUT_OWN_HISTORY = {
    "core.User_groups",  # Django's auth m2m tables: groups and permissions are not used by the product
    "core.User_user_permissions",
    "planning.Assignment_goals",  # recorded with the assignment: HistoricalRecords(m2m_fields=[goals])
}


def models_without_history():
    missing = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in OUR_APPS or meta.abstract or meta.proxy:
            continue
        if model.__name__.startswith("Historical"):
            continue
        name = f"{meta.app_label}.{model.__name__}"
        if name in WITHOUT_OWN_HISTORY:
            continue
        if not hasattr(model, "history"):
            missing.append(name)
    return missing


def test_every_domain_model_has_history():
    assert models_without_history() == []


def test_the_history_check_finds_a_model_without_history():
    """The test of the test: a concrete model of our apps without ``history`` is reported."""
    from django.db import models

    class Untracked(models.Model):  # noqa: DJ008
        class Meta:
            app_label = "planning"

    try:
        assert "planning.Untracked" in models_without_history()
    finally:
        apps.all_models["planning"].pop("untracked", None)
        apps.clear_cache()


@pytest.fixture
def plan(org):
    return make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=1, responsible=org["itd"])


def edit_activity(activity, user, **data):
    activity.refresh_from_db()
    return services.activity_update(activity=activity, data=data, user=user, version=activity.version)


def test_history_tab_shows_field_changes_and_filters_by_user_and_field(client, users, plan):
    activity = Activity.objects.in_plan(plan).get()
    edit_activity(activity, users["planner"], title="Ny titel")
    edit_activity(activity, users["secretary"], status="in_progress")
    client.force_login(users["reader"])
    url = reverse("planning:activity_history", args=[activity.pk])

    page = client.get(url).content.decode()
    assert "Ny titel" in page and users["secretary"].username in page

    only_secretary = client.get(url, {"user": users["secretary"].pk}).context["entries"]
    assert [e["record"].history_user for e in only_secretary] == [users["secretary"]]
    only_title = client.get(url, {"field": "title"}).context["entries"]
    assert [c.new for e in only_title for c in e["changes"]] == ["Ny titel"]


def test_history_tab_queries_do_not_grow_with_the_number_of_changes(client, users, plan):
    activity = Activity.objects.in_plan(plan).get()
    url = reverse("planning:activity_history", args=[activity.pk])
    client.force_login(users["reader"])
    counts = []
    for round_ in range(2):
        for n in range(3 if round_ == 0 else 12):
            edit_activity(
                activity, users["planner"], title=f"Titel {round_}.{n}", responsible_unit=None if n % 2 else plan.unit
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_record_changes_formats_choices_foreign_keys_and_m2m(users, plan, org):
    assignment = Assignment.objects.in_plan(plan).get()
    goal = Goal.objects.get(focus_area__plan=plan)
    extra = Goal.objects.create(focus_area=goal.focus_area, title="Ett mål till")
    services.assignment_update(
        assignment=assignment,
        data={"kind": "development", "responsible_unit": org["hr"], "goals": [goal, extra]},
        user=users["secretary"],
        version=assignment.version,
    )
    newest, older = assignment.history.all()[:2]
    changes = {c.field: c for c in record_changes([(newest, older)])[0]}
    assert changes["goals"].new == "Ett mål till; Mål 1.1"
    older2 = assignment.history.all()[2]
    changes = {c.field: c for c in record_changes([(older, older2)])[0]}
    assert changes["responsible_unit"].old == "IT och Digitalisering" and changes["responsible_unit"].new == "HR"
    assert changes["kind"].new == str(Assignment._meta.get_field("kind").flatchoices[2][1])


# --- Restoring a version ------------------------------------------------------------------------------------------


def restore_form(activity, record):
    return {"record": record.history_id, "version": activity.version}


def test_administrator_restores_an_earlier_version_as_a_change_of_its_own(client, users, plan):
    activity = Activity.objects.in_plan(plan).get()
    original_title = activity.title
    edit_activity(activity, users["planner"], title="Fel titel", status="in_progress")
    activity.refresh_from_db()
    first = activity.history.earliest()
    client.force_login(users["administrator"])

    response = client.post(reverse("planning:activity_history", args=[activity.pk]), restore_form(activity, first))

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.status) == (original_title, "not_started")
    latest = activity.history.first()
    assert latest.history_user == users["administrator"]
    assert latest.history_change_reason.startswith(RESTORE_REASON.split("{")[0])
    assert activity.history.count() == 3  # created, edited, restored: nothing rewritten


def test_restore_from_a_stale_page_is_refused(client, users, plan):
    activity = Activity.objects.in_plan(plan).get()
    first = activity.history.earliest()
    stale = {"record": first.history_id, "version": activity.version}
    edit_activity(activity, users["planner"], title="Ändrad under tiden")
    client.force_login(users["administrator"])
    response = client.post(reverse("planning:activity_history", args=[activity.pk]), stale)
    assert response.status_code == 409
    activity.refresh_from_db()
    assert activity.title == "Ändrad under tiden"


@pytest.mark.parametrize("who", ["planner", "secretary", "controller", "reader", "nobody"])
def test_only_administrators_may_restore(client, users, plan, who):
    activity = Activity.objects.in_plan(plan).get()
    edit_activity(activity, users["planner"], title="Ändrad")
    activity.refresh_from_db()
    client.force_login(users[who])
    response = client.post(
        reverse("planning:activity_history", args=[activity.pk]), restore_form(activity, activity.history.earliest())
    )
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.title == "Ändrad"


def test_a_non_superuser_administrator_may_restore(client, users, plan, org):
    from core.choices import Role
    from tests.conftest import make_user

    admin = make_user("unitadmin", role=Role.ADMINISTRATOR, unit=org["rk"])
    activity = Activity.objects.in_plan(plan).get()
    edit_activity(activity, users["planner"], title="Ändrad")
    activity.refresh_from_db()
    client.force_login(admin)
    response = client.post(
        reverse("planning:activity_history", args=[activity.pk]), restore_form(activity, activity.history.earliest())
    )
    assert response.status_code == 302


def test_restore_in_a_decided_plan_is_refused(client, users, plan):
    activity = Activity.objects.in_plan(plan).get()
    edit_activity(activity, users["planner"], title="Ändrad")
    Plan.objects.filter(pk=plan.pk).update(stage="decided")
    activity = Activity.objects.with_tree().get(pk=activity.pk)
    client.force_login(users["administrator"])
    response = client.post(
        reverse("planning:activity_history", args=[activity.pk]), restore_form(activity, activity.history.earliest())
    )
    assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.title == "Ändrad"


def test_restore_brings_back_the_goals_of_an_assignment(users, plan):
    assignment = Assignment.objects.in_plan(plan).get()
    goal = Goal.objects.get(focus_area__plan=plan)
    extra = Goal.objects.create(focus_area=goal.focus_area, title="Ett mål till")
    services.assignment_update(assignment=assignment, data={"goals": [goal, extra]}, user=users["secretary"], version=1)
    before = assignment.history.first()
    services.assignment_update(assignment=assignment, data={"goals": []}, user=users["secretary"], version=2)
    assignment.refresh_from_db()
    history_restore(obj=assignment, record=before, user=users["administrator"], version=assignment.version)
    assert set(assignment.goals.all()) == {goal, extra}
    assert assignment.history.first().history_change_reason.startswith("Återställd till version från")


def test_restore_service_refuses_a_stale_version(users, plan):
    activity = Activity.objects.in_plan(plan).get()
    with pytest.raises(StaleVersion):
        history_restore(obj=activity, record=activity.history.earliest(), user=users["administrator"], version=99)


def test_risk_and_control_pages_link_to_their_history(client, users, plan, org):
    from tests.internalcontrol.factories import internal_control_world

    world = internal_control_world(plan, org)
    client.force_login(users["reader"])
    risk_page = client.get(reverse("internalcontrol:risk_detail", args=[world["ic_risk"].pk])).content.decode()
    assert reverse("internalcontrol:risk_history", args=[world["ic_risk"].pk]) in risk_page
    control_page = client.get(reverse("internalcontrol:control_detail", args=[world["ic_control"].pk]))
    assert reverse("internalcontrol:control_history", args=[world["ic_control"].pk]) in control_page.content.decode()
    activity = Activity.objects.in_plan(plan).get()
    page = client.get(reverse("planning:activity_detail", args=[activity.pk])).content.decode()
    assert reverse("planning:activity_history", args=[activity.pk]) in page


# --- The change feed ----------------------------------------------------------------------------------------------


def test_plan_feed_lists_changes_of_all_items_newest_first_and_filters(client, users, plan, org):
    activity = Activity.objects.in_plan(plan).get()
    goal = Goal.objects.get(focus_area__plan=plan)
    edit_activity(activity, users["planner"], title="Ny aktivitetstitel")
    goal.title = "Ny målformulering"
    stamp(goal, user=users["secretary"]).save()

    page = plan_feed(plan)
    assert page.entries[0].record.history_user == users["secretary"]
    assert page.entries[0].changes[0].new == "Ny målformulering"
    assert page.entries[1].title == "Ny aktivitetstitel" and page.entries[1].url.endswith(f"/{activity.pk}/")
    assert {e.source.key for e in plan_feed(plan, kinds=["goal"]).entries} == {"goal"}
    assert {e.record.history_user for e in plan_feed(plan, user_id=users["planner"].pk).entries} == {users["planner"]}
    by_unit = plan_feed(plan, unit_ids={org["itd"].pk}).entries
    assert by_unit and {e.source.key for e in by_unit} <= {"assignment", "activity", "control"}
    assert plan_feed(plan, unit_ids={org["hr"].pk}).entries == []

    client.force_login(users["reader"])
    url = reverse("planning:plan_changes", kwargs=plan.url_kwargs())
    response = client.get(url, {"type": "goal"})
    assert response.status_code == 200
    assert "Ny målformulering" in response.content.decode()
    assert "Ny aktivitetstitel" not in response.content.decode()


def test_plan_feed_page_has_a_fixed_number_of_queries(client, users, org):
    """A page of the feed costs the same queries for a small plan with a few changes and for a larger plan with many:
    the count depends on the kinds of item on the page, never on how many changes or items there are."""
    client.force_login(users["reader"])
    counts = []
    for year, size, rounds in ((2025, 2, 3), (2026, 3, 6)):
        plan = make_plan(org["rk"], year=year, areas=size, goals=size, assignments=2, activities=2)
        for n in range(rounds):
            for activity in Activity.objects.in_plan(plan):
                unit = org["hr"] if n % 2 else org["itd"]
                edit_activity(activity, users["planner"], title=f"{activity.title} v{n}", responsible_unit=unit)
            for goal in Goal.objects.filter(focus_area__plan=plan):
                goal.title = f"{goal.title} v{n}"
                stamp(goal, user=users["secretary"]).save()
        url = reverse("planning:plan_changes", kwargs=plan.url_kwargs())
        client.get(url)  # templates and translations load once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["feed"].entries) == 50 and response.context["older_url"]
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 30
    older = client.get(url + response.context["older_url"])
    assert older.status_code == 200 and older.context["feed"].entries


# --- The plan as it stood -----------------------------------------------------------------------------------------


def test_plan_as_it_stood_when_it_entered_the_dialogue(client, users, plan):
    goal = Goal.objects.get(focus_area__plan=plan)
    services.plan_change_stage(plan=plan, to_stage="dialogue", user=users["secretary"])
    moment = stage_moment(plan, "dialogue")
    goal.title = "Efter dialogen"
    stamp(goal, user=users["secretary"]).save()
    Goal.objects.create(focus_area=goal.focus_area, title="Ett nytt mål", order=5)

    then = plan_snapshot(plan, at=moment)
    now = plan_snapshot(plan)
    assert [g.title for g in then.ordered("goal")] == ["Mål 1.1"]
    assert [g.title for g in now.ordered("goal")] == ["Efter dialogen", "Ett nytt mål"]
    assert then.count("activity") == now.count("activity") == 1

    with pytest.raises(StageNeverEntered):
        stage_moment(plan, "decided")
    client.force_login(users["reader"])
    response = client.get(reverse("planning:plan_as_of", kwargs=plan.url_kwargs()), {"stage": "dialogue"})
    assert response.status_code == 200
    assert "Mål 1.1" in response.content.decode() and "Efter dialogen" not in response.content.decode()


def test_a_stage_set_outside_the_service_has_its_moment_from_the_plan_history(users, plan):
    plan.stage = "dialogue"
    stamp(plan, user=users["administrator"]).save()
    assert stage_moment(plan, "dialogue") == plan.history.first().history_date
    assert stage_moment(plan, "dialogue") <= datetime.datetime.now(datetime.UTC)
