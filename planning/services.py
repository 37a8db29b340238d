"""Every write to a plan goes through these functions: validated, atomic, versioned and recorded in history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.history import stamp
from core.models import User
from core.versioning import claim_version
from planning.choices import Stage
from planning.models import Activity, Assignment, Plan, PlanSection, StageTransition

ASSIGNMENT_FIELDS = ["title", "description", "kind", "responsible_unit", "responsible_person"]
ACTIVITY_FIELDS = ["title", "description", "start", "end", "responsible_unit", "responsible_person", "status"]


def _apply(obj, data: dict, fields: list[str]) -> None:
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])


def _refuse_if_decided(plan: Plan) -> None:
    if plan.is_decided:
        raise ValidationError(_("The plan is decided and cannot be changed until it is reopened."))


@transaction.atomic
def assignment_update(*, assignment: Assignment, data: dict, user: User, version: int | None) -> Assignment:
    _refuse_if_decided(assignment.focus_area.plan)
    claim_version(assignment, version)
    _apply(assignment, data, ASSIGNMENT_FIELDS)
    assignment.full_clean()
    stamp(assignment, user=user).save()
    if "goals" in data:
        assignment.goals.set(data["goals"])
    return assignment


@transaction.atomic
def activity_create(
    *, data: dict, user: User, assignment: Assignment | None = None, section: PlanSection | None = None
) -> Activity:
    siblings = assignment.activities if assignment else section.activities
    activity = Activity(assignment=assignment, section=section, order=siblings.count())
    _refuse_if_decided(activity.plan)
    _apply(activity, data, ACTIVITY_FIELDS)
    activity.full_clean()
    stamp(activity, user=user).save()
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, data: dict, user: User, version: int | None) -> Activity:
    _refuse_if_decided(activity.plan)
    claim_version(activity, version)
    _apply(activity, data, ACTIVITY_FIELDS)
    activity.full_clean()
    stamp(activity, user=user).save()
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, user: User, version: int | None) -> None:
    _refuse_if_decided(activity.plan)
    claim_version(activity, version)
    stamp(activity, user=user).delete()
    _renumber(activity.assignment.activities if activity.assignment_id else activity.section.activities, user)


@transaction.atomic
def activity_move(*, activity: Activity, offset: int, user: User) -> Activity:
    """Move an activity ``offset`` places among its siblings (−1 up, +1 down); the ends stay where they are."""
    _refuse_if_decided(activity.plan)
    siblings_qs = activity.assignment.activities if activity.assignment_id else activity.section.activities
    siblings = list(siblings_qs.select_for_update().order_by("order", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == activity.pk)
    target = max(0, min(len(siblings) - 1, index + offset))
    siblings.insert(target, siblings.pop(index))
    _save_order(siblings, user)
    return activity


def _renumber(queryset, user: User) -> None:
    _save_order(list(queryset.order_by("order", "pk")), user)


def _save_order(items: list, user: User) -> None:
    for order, item in enumerate(items):
        if item.order != order:
            item.order = order
            item.version += 1
            stamp(item, user=user).save(update_fields=["order", "version"])


@transaction.atomic
def plan_change_stage(*, plan: Plan, to_stage: str, user: User, reason: str = "") -> StageTransition:
    """Move the plan one stage forward, or reopen a decided plan (back to proposal) with a reason."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    from_stage = plan.stage
    reopening = from_stage == Stage.DECIDED
    if reopening:
        if to_stage != Stage.PROPOSAL:
            raise ValidationError(_("A decided plan can only be reopened to the proposal stage."))
        if not reason.strip():
            raise ValidationError({"reason": _("Give a reason for reopening the decided plan.")})
    elif to_stage != Stage.next_of(from_stage):
        raise ValidationError(_("The plan can only move to the next stage."))
    plan.stage = to_stage
    plan.version += 1
    stamp(plan, user=user, reason=reason or None).save(update_fields=["stage", "version"])
    transition = StageTransition(plan=plan, from_stage=from_stage, to_stage=to_stage, user=user, reason=reason.strip())
    stamp(transition, user=user).save()
    return transition
