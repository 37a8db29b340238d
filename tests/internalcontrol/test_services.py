import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.versioning import StaleVersion
from internalcontrol import services
from internalcontrol.models import Action, ControlPlan, ControlResult, RiskAssessment, RiskScale
from tests.internalcontrol.factories import add_action, make_control, make_risk, select
from tests.planning.factories import make_plan


@pytest.fixture
def plan(org):
    return make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=0)


@pytest.fixture
def risk(org, plan):
    return make_risk(org["rk"], owner=org["itd"], scores={2025: (3, 4)})


@pytest.fixture
def control(plan, risk, org):
    return make_control(select(plan, risk), periods=["T1", "T3"], responsible=org["itd"])


def decide(plan):
    plan.stage = "decided"
    plan.save()


def test_score_is_probability_times_consequence_and_default_levels_follow_the_swedish_scale(risk, org):
    assessment = risk.assessments.get()
    assert assessment.score == 12
    scale = RiskScale.objects.for_unit(org["rk"])
    assert scale.pk is None  # reading never writes
    assert scale.probability_labels == ["Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"]
    assert scale.consequence_labels == ["Försumbar", "Lindrig", "Kännbar", "Allvarlig"]
    levels = {score: scale.level(score) for score in (1, 2, 3, 4, 6, 8, 9, 12, 16)}
    assert [levels[s] for s in (1, 2, 3)] == ["low"] * 3
    assert [levels[s] for s in (4, 6)] == ["medium"] * 2
    assert [levels[s] for s in (8, 9)] == ["high"] * 2
    assert [levels[s] for s in (12, 16)] == ["very_high"] * 2
    assert [(r["level"], r["low"], r["high"]) for r in scale.level_ranges()] == [
        ("low", 1, 3), ("medium", 4, 6), ("high", 8, 9), ("very_high", 12, 16),
    ]  # fmt: skip


def test_the_scale_is_data_per_organisation_and_must_rise(org):
    scale = RiskScale.objects.create(unit=org["rk"], medium_from=3, high_from=6, very_high_from=9)
    assert scale.level(3) == "medium" and scale.level(9) == "very_high"
    scale.high_from = 2
    with pytest.raises(ValidationError):
        scale.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskScale.objects.filter(pk=scale.pk).update(high_from=2)


def test_score_steps_are_one_to_four_in_the_database(risk):
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskAssessment.objects.filter(risk=risk).update(probability=5)


def test_assessment_is_created_then_updated_with_a_version_and_a_stale_one_is_refused(risk, users):
    assessment = services.assessment_save(
        risk=risk, year=2026, data={"probability": 2, "consequence": 2}, user=users["planner"]
    )
    assert assessment.score == 4 and assessment.history.first().history_user == users["planner"]
    services.assessment_save(
        risk=risk, year=2026, data={"probability": 4, "consequence": 2}, user=users["planner"], version=1
    )
    with pytest.raises(StaleVersion) as refused:
        services.assessment_save(
            risk=risk, year=2026, data={"probability": 1, "consequence": 1}, user=users["secretary"], version=1
        )
    assert "planner" in str(refused.value)
    assert RiskAssessment.objects.get(risk=risk, year=2026).score == 8


def test_scores_of_a_decided_plans_year_are_read_only(risk, plan, users):
    decide(plan)
    with pytest.raises(ValidationError, match="2025"):
        services.assessment_save(risk=risk, year=2025, data={"probability": 1}, user=users["secretary"], version=1)
    assert risk.assessments.get(year=2025).score == 12


def test_selecting_a_risk_creates_the_control_plan_and_refuses_a_second_selection(plan, risk, users):
    selected = services.risk_select(plan=plan, risk=risk, reason="Ny risk", user=users["planner"])
    assert selected.control_plan.plan == plan and selected.control_plan.status == "proposed"
    with pytest.raises(ValidationError):
        services.risk_select(plan=plan, risk=risk, reason="", user=users["planner"])
    assert ControlPlan.objects.count() == 1


def test_a_control_needs_at_least_one_report(plan, risk, users):
    selected = select(plan, risk)
    with pytest.raises(ValidationError):
        services.control_create(
            selected_risk=selected, data={"title": "X", "method": "survey", "periods": []}, user=users["planner"]
        )
    control = services.control_create(
        selected_risk=selected, data={"title": "X", "method": "survey", "periods": ["T2"]}, user=users["planner"]
    )
    assert control.periods == ["T2"] and control.in_t2 and not control.in_t1


def test_result_for_a_period_the_control_is_not_planned_for_is_refused_with_a_clear_message(control, users):
    with pytest.raises(ValidationError) as refused:
        services.result_save(control=control, period="T2", data={"outcome": "met"}, user=users["planner"])
    message = " ".join(refused.value.messages)
    assert "T2" in message and control.title in message
    assert "T1" in message  # names the reports it is planned for
    assert not ControlResult.objects.exists()


def test_result_is_saved_with_its_table_and_a_stale_save_is_refused(control, users):
    table = {"columns": ["Område", "Procent"], "rows": [["IT och Digitalisering", "8 %"]]}
    result = services.result_save(
        control=control, period="T1", data={"outcome": "met", "text": "Bra.", "table": table}, user=users["planner"]
    )
    assert result.table == table and result.version == 1
    services.result_save(control=control, period="T1", data={"outcome": "partly_met"}, user=users["planner"], version=1)
    with pytest.raises(StaleVersion):
        services.result_save(
            control=control, period="T1", data={"outcome": "not_met"}, user=users["secretary"], version=1
        )
    assert ControlResult.objects.get().outcome == "partly_met"


def test_a_table_with_uneven_rows_is_refused(control, users):
    with pytest.raises(ValidationError) as refused:
        services.result_save(
            control=control,
            period="T1",
            data={"outcome": "met", "table": {"columns": ["A", "B"], "rows": [["1"]]}},
            user=users["planner"],
        )
    assert "table" in refused.value.message_dict


def test_a_report_with_results_cannot_be_dropped_from_the_control(control, users):
    services.result_save(control=control, period="T3", data={"outcome": "met"}, user=users["planner"])
    with pytest.raises(ValidationError) as refused:
        services.control_update(control=control, data={"periods": ["T1"]}, user=users["planner"], version=1)
    assert "T3" in " ".join(refused.value.messages)


def test_approval_needs_controls_for_every_selected_risk_and_records_who(plan, risk, org, users):
    selected = select(plan, risk)
    other = select(plan, make_risk(org["rk"], owner=org["hr"], title="Risk för driftstörningar"), order=1)
    make_control(selected)
    control_plan = selected.control_plan
    with pytest.raises(ValidationError, match="Risk för driftstörningar"):
        services.control_plan_approve(control_plan=control_plan, user=users["secretary"], version=1)
    make_control(other)
    approved = services.control_plan_approve(control_plan=control_plan, user=users["secretary"], version=1)
    assert approved.status == "approved" and approved.approved_by == users["secretary"] and approved.approved_at
    with pytest.raises(ValidationError):
        services.control_plan_approve(control_plan=approved, user=users["administrator"], version=approved.version)


def test_a_decided_plan_locks_its_risks_and_controls_but_takes_results_and_actions(plan, risk, control, users, org):
    decide(plan)
    plan.refresh_from_db()
    control.refresh_from_db()
    user = users["secretary"]
    structure_writes = [
        lambda: services.risk_select(plan=plan, risk=make_risk(org["rk"], owner=org["hr"], title="Ny"), reason="",
                                     user=user),
        lambda: services.control_create(selected_risk=control.selected_risk,
                                        data={"title": "X", "method": "review", "periods": ["T1"]}, user=user),
        lambda: services.control_update(control=control, data={"title": "Y"}, user=user, version=1),
        lambda: services.control_plan_approve(control_plan=control.selected_risk.control_plan, user=user, version=1),
    ]  # fmt: skip
    for write in structure_writes:
        with pytest.raises(ValidationError):
            write()
    assert control.selected_risk.control_plan.status == "proposed"
    # Follow-up of the decided plan during its year: results and corrective actions are still entered.
    services.result_save(control=control, period="T1", data={"outcome": "met"}, user=user)
    services.action_create(
        control=control, data={"description": "A", "owner": "B", "due_date": datetime.date(2025, 5, 1)}, user=user
    )
    assert ControlResult.objects.count() == 1 and Action.objects.count() == 1


def test_overdue_means_due_before_today_and_not_done(control):
    today = datetime.date(2025, 6, 1)
    late = add_action(control, due=datetime.date(2025, 5, 31))
    due_today = add_action(control, due=today)
    done_late = add_action(control, due=datetime.date(2025, 1, 1), status="done")
    assert late.is_overdue(today) and not due_today.is_overdue(today) and not done_late.is_overdue(today)
    assert list(Action.objects.overdue(today)) == [late]


def test_action_update_marks_done_with_version(control, users):
    action = services.action_create(
        control=control,
        data={"description": "Uppdatera rutinen", "owner": "Petra", "due_date": datetime.date(2025, 3, 1)},
        user=users["planner"],
    )
    services.action_update(action=action, data={"status": "done"}, user=users["planner"], version=1)
    action.refresh_from_db()
    assert action.status == "done" and action.version == 2 and not action.is_overdue()
