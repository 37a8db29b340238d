import pytest
from django.core.exceptions import ValidationError

from core.versioning import StaleVersion
from planning import services
from planning.models import Activity, Assignment, StageTransition
from tests.planning.factories import make_plan


@pytest.fixture
def plan(org):
    return make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=3, responsible=org["itd"])


@pytest.fixture
def assignment(plan):
    return Assignment.objects.in_plan(plan).get()


def titles(assignment):
    return list(assignment.activities.order_by("order").values_list("title", flat=True))


def test_update_records_the_user_and_bumps_the_version(assignment, users):
    activity = assignment.activities.first()
    services.activity_update(activity=activity, data={"title": "Ny titel"}, user=users["planner"], version=1)
    activity.refresh_from_db()
    assert activity.version == 2
    assert activity.history.first().history_user == users["planner"]


def test_a_stale_version_is_refused_and_says_what_changed(assignment, users):
    activity = assignment.activities.first()
    services.activity_update(activity=activity, data={"title": "Först"}, user=users["planner"], version=1)
    mine = Activity.objects.get(pk=activity.pk)
    with pytest.raises(StaleVersion) as refused:
        services.activity_update(activity=mine, data={"title": "Sen"}, user=users["secretary"], version=1)
    assert "Först" in str(refused.value) and "planner" in str(refused.value)
    assert Activity.objects.get(pk=activity.pk).title == "Först"


def test_decided_plans_refuse_changes(plan, assignment, users):
    plan.stage = "decided"
    plan.save()
    activity = assignment.activities.first()
    with pytest.raises(ValidationError, match="beslutad"):
        services.activity_update(activity=activity, data={"title": "x"}, user=users["secretary"], version=None)
    with pytest.raises(ValidationError):
        services.activity_create(assignment=assignment, data={"title": "Ny"}, user=users["secretary"])


def test_create_appends_and_move_renumbers(assignment, users):
    services.activity_create(assignment=assignment, data={"title": "Sist"}, user=users["planner"])
    assert titles(assignment)[-1] == "Sist"
    last = assignment.activities.get(title="Sist")
    services.activity_move(activity=last, offset=-1, user=users["planner"])
    assert titles(assignment)[-2:] == ["Sist", "Aktivitet 1.1.1.3"]
    first = assignment.activities.order_by("order").first()
    services.activity_move(activity=first, offset=-1, user=users["planner"])  # already first: stays
    assert titles(assignment)[0] == first.title
    assert list(assignment.activities.order_by("order").values_list("order", flat=True)) == [0, 1, 2, 3]


def test_delete_renumbers_the_rest(assignment, users):
    first = assignment.activities.order_by("order").first()
    first_pk = first.pk
    services.activity_delete(activity=first, user=users["planner"], version=first.version)
    assert list(assignment.activities.order_by("order").values_list("order", flat=True)) == [0, 1]
    assert Activity.history.filter(id=first_pk, history_type="-", history_user=users["planner"]).exists()


def test_bad_dates_are_refused(assignment, users):
    import datetime

    with pytest.raises(ValidationError):
        services.activity_create(
            assignment=assignment,
            data={"title": "Bakvänd", "start": datetime.date(2025, 5, 1), "end": datetime.date(2025, 1, 1)},
            user=users["planner"],
        )
    assert not assignment.activities.filter(title="Bakvänd").exists()


def test_stages_move_forward_one_step_and_reopen_needs_a_reason(plan, users):
    secretary = users["secretary"]
    with pytest.raises(ValidationError):
        services.plan_change_stage(plan=plan, to_stage="decided", user=secretary)
    for stage in ["dialogue", "proposal", "decided"]:
        services.plan_change_stage(plan=plan, to_stage=stage, user=secretary)
    plan.refresh_from_db()
    assert plan.is_decided
    with pytest.raises(ValidationError, match="reason"):
        services.plan_change_stage(plan=plan, to_stage="proposal", user=secretary, reason=" ")
    services.plan_change_stage(plan=plan, to_stage="proposal", user=secretary, reason="Ny information om ramen")
    plan.refresh_from_db()
    assert plan.stage == "proposal"
    last = StageTransition.objects.filter(plan=plan).last()
    assert (last.from_stage, last.reason, last.user) == ("decided", "Ny information om ramen", secretary)
