"""Every write of internal control: validated, atomic, versioned and recorded in history.

Permission checks live in ``rules.py`` and the views; these functions hold the rules of the data itself: a decided
plan's risks and controls are read-only (its results and actions are follow-up and stay open), a result only goes
into a period the control is reported in, an approval needs controls.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import stamp
from core.models import Unit, User
from core.versioning import claim_version
from internalcontrol.choices import ControlPlanStatus
from internalcontrol.models import (
    Action,
    Control,
    ControlPlan,
    ControlResult,
    Risk,
    RiskAssessment,
    SelectedRisk,
    not_due_message,
)
from internalcontrol.rules import year_decided
from planning.models import Plan

RISK_FIELDS = ["title", "description", "area", "owner_unit", "owner_person", "goal", "assignment"]
ASSESSMENT_FIELDS = ["probability", "consequence", "rationale"]
CONTROL_FIELDS = ["title", "description", "method", "responsible_unit", "responsible_person"]
RESULT_FIELDS = ["outcome", "text", "table"]
ACTION_FIELDS = ["description", "owner", "due_date", "status", "result"]


def _apply(obj, data: dict, fields: list[str]) -> None:
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])


def _save(obj, user: User | None, reason: str | None = None):
    obj.full_clean()
    stamp(obj, user=user, reason=reason).save()
    return obj


def _refuse_if_decided(plan: Plan) -> None:
    if plan.is_decided:
        raise ValidationError(_("The plan is decided and its internal control cannot be changed until it is reopened."))


@transaction.atomic
def risk_create(*, unit: Unit, data: dict, user: User) -> Risk:
    risk = Risk(unit=unit)
    _apply(risk, data, RISK_FIELDS)
    return _save(risk, user)


@transaction.atomic
def risk_update(*, risk: Risk, data: dict, user: User, version: int | None) -> Risk:
    claim_version(risk, version)
    _apply(risk, data, RISK_FIELDS)
    return _save(risk, user)


@transaction.atomic
def assessment_save(*, risk: Risk, year: int, data: dict, user: User, version: int | None = None) -> RiskAssessment:
    """Score the risk for the year (create or update). The year of a decided plan is closed."""
    if year_decided(risk.unit_id, year):
        raise ValidationError(
            _("The %(year)s plan is decided: its risk scores cannot be changed until it is reopened.") % {"year": year}
        )
    assessment = RiskAssessment.objects.select_for_update().filter(risk=risk, year=year).first()
    if assessment is None:
        assessment = RiskAssessment(risk=risk, year=year)
    else:
        claim_version(assessment, version)
    _apply(assessment, data, ASSESSMENT_FIELDS)
    return _save(assessment, user)


def _control_plan_for(plan: Plan, user: User) -> ControlPlan:
    control_plan = ControlPlan.objects.select_for_update().filter(plan=plan).first()
    if control_plan is None:
        control_plan = _save(ControlPlan(plan=plan), user)
    return control_plan


@transaction.atomic
def risk_select(*, plan: Plan, risk: Risk, reason: str, user: User) -> SelectedRisk:
    """Put the risk into the plan's internal-control plan (created on the first selection)."""
    _refuse_if_decided(plan)
    control_plan = _control_plan_for(plan, user)
    if control_plan.selected_risks.filter(risk=risk).exists():
        raise ValidationError({"risk": _("The risk is already in the internal-control plan.")})
    selected = SelectedRisk(
        control_plan=control_plan, risk=risk, reason=reason, order=control_plan.selected_risks.count()
    )
    return _save(selected, user)


@transaction.atomic
def control_create(*, selected_risk: SelectedRisk, data: dict, user: User) -> Control:
    _refuse_if_decided(selected_risk.control_plan.plan)
    control = Control(selected_risk=selected_risk, order=selected_risk.controls.count())
    _apply(control, data, CONTROL_FIELDS)
    control.set_periods(data.get("periods", []))
    return _save(control, user)


@transaction.atomic
def control_update(*, control: Control, data: dict, user: User, version: int | None) -> Control:
    _refuse_if_decided(control.plan)
    claim_version(control, version)
    _apply(control, data, CONTROL_FIELDS)
    if "periods" in data:
        reported = set(control.results.values_list("period", flat=True))
        dropped = reported - set(data["periods"])
        if dropped:
            raise ValidationError(
                {"periods": _("Results are already entered for %(periods)s; keep those reports.")
                 % {"periods": ", ".join(sorted(dropped))}}
            )  # fmt: skip
        control.set_periods(data["periods"])
    return _save(control, user)


@transaction.atomic
def control_plan_approve(*, control_plan: ControlPlan, user: User, version: int | None) -> ControlPlan:
    _refuse_if_decided(control_plan.plan)
    claim_version(control_plan, version)
    if control_plan.is_approved:
        raise ValidationError(_("The internal-control plan is already approved."))
    selected = list(control_plan.selected_risks.select_related("risk").prefetch_related("controls"))
    if not selected:
        raise ValidationError(_("Select at least one risk before approving the internal-control plan."))
    without = [str(s.risk) for s in selected if not s.controls.all()]
    if without:
        raise ValidationError(
            _("Every selected risk needs a control before approval. Without controls: %(risks)s.")
            % {"risks": "; ".join(without)}
        )
    control_plan.status = ControlPlanStatus.APPROVED
    control_plan.approved_at = timezone.now()
    control_plan.approved_by = user
    return _save(control_plan, user, reason=_("Internal-control plan approved"))


@transaction.atomic
def result_save(*, control: Control, period: str, data: dict, user: User, version: int | None = None) -> ControlResult:
    """Enter or change the control's result for a period; refused for a period the control is not reported in."""
    control = Control.objects.select_for_update().select_related("selected_risk__control_plan__plan").get(pk=control.pk)

    if not control.is_due_in(period):
        raise ValidationError(not_due_message(control, period))
    result = ControlResult.objects.filter(control=control, period=period).first()
    if result is None:
        result = ControlResult(control=control, period=period)
    else:
        claim_version(result, version)
    _apply(result, data, RESULT_FIELDS)
    return _save(result, user)


@transaction.atomic
def action_create(*, control: Control, data: dict, user: User) -> Action:

    action = Action(control=control)
    _apply(action, data, ACTION_FIELDS)
    return _save(action, user)


@transaction.atomic
def action_update(*, action: Action, data: dict, user: User, version: int | None) -> Action:

    claim_version(action, version)
    _apply(action, data, ACTION_FIELDS)
    return _save(action, user)
