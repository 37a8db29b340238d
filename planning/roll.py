"""Rolling a plan into the next year: next year's draft plan starts as a copy of this one.

:func:`plan_roll` copies, in one transaction, the focus areas, goals, assignments (with their goals and parent
assignments), the unfinished activities, the sections (text and activity sections) and the indicators with their
last target, set for the new year. Every copy keeps ``origin`` (the item it came from) and the new plan keeps
``previous``, so the two years can be compared (:mod:`planning.adjustments`). History is written in bulk with the
acting user and the reason "Rullad från <plan>": a fixed number of queries per level, never one per item.

Other apps copy their parts of the plan with :func:`register_roll` in their ``AppConfig.ready``; ``planning`` never
imports them. Internal control copies the control plan's selected risks and their controls. The budget app is meant
to copy its columns the same way (a step that reads ``context.old_plan`` and writes rows for ``context.new_plan``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.history import m2m_history_model, stamp
from core.models import User
from planning.choices import ActivityStatus, Stage
from planning.models import Activity, Assignment, FocusArea, Goal, Indicator, IndicatorTarget, Plan, PlanSection

ROLL_REASON = "Rullad från {plan}"  # history text, in the documents' language


@dataclass
class RollContext:
    """What a roll step gets: both plans, who rolls and when, the history reason, and the id maps of what planning
    copied (``copied["goal"][old_id] = new_id``), so other apps can link their copies to the new items."""

    old_plan: Plan
    new_plan: Plan
    user: User | None
    reason: str
    at: object
    copied: dict[str, dict[int, int]] = field(default_factory=dict)

    def bulk_create(self, model, objs: list) -> list:
        """Insert ``objs`` with their history in bulk: the user, the reason and the same moment on every record."""
        if not objs:
            return []
        return bulk_create_with_history(
            objs, model, default_user=self.user, default_change_reason=self.reason, default_date=self.at
        )


RollStep = Callable[[RollContext], None]
_steps: dict[str, RollStep] = {}


def register_roll(key: str, step: RollStep) -> None:
    """Add another app's part of the roll (``key`` names it). Steps run after planning's copy, in the same
    transaction, in the order they were registered."""
    _steps[key] = step


def rolled_title(title: str, old_year: int, new_year: int) -> str:
    """The title with the new year: "Verksamhetsplan och internbudget 2025" → "… 2026"."""
    if re.search(rf"\b{old_year}\b", title):
        return re.sub(rf"\b{old_year}\b", str(new_year), title)
    return f"{title} {new_year}"


@transaction.atomic
def plan_roll(*, plan: Plan, to_year: int, user: User | None) -> Plan:
    """Copy ``plan`` into a new draft plan for ``to_year``. Refused if that plan exists or ``plan`` was rolled."""
    plan = Plan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if to_year <= plan.year:
        raise ValidationError(
            _("A plan rolls into a later year than its own (%(year)s).") % {"year": plan.year}, code="year"
        )
    existing = Plan.objects.filter(unit=plan.unit, year=to_year).first()
    if existing is not None:
        raise ValidationError(
            _("The plan %(plan)s already exists; it was not changed.") % {"plan": existing.key}, code="exists"
        )
    successor = Plan.objects.filter(previous=plan).first()
    if successor is not None:
        raise ValidationError(
            _("The plan %(plan)s has already been rolled into %(next)s.") % {"plan": plan.key, "next": successor.key},
            code="rolled",
        )
    reason = ROLL_REASON.format(plan=plan.key)
    new_plan = Plan(
        unit=plan.unit, year=to_year, title=rolled_title(plan.title, plan.year, to_year), stage=Stage.DRAFT,
        previous=plan,
    )  # fmt: skip
    new_plan.full_clean()
    stamp(new_plan, user=user, reason=reason).save()
    context = RollContext(old_plan=plan, new_plan=new_plan, user=user, reason=reason, at=timezone.now())
    _copy_planning(context)
    for step in _steps.values():
        step(context)
    return new_plan


def _copy(context: RollContext, key: str, model, olds: list, make: Callable) -> list:
    """Copy ``olds`` with ``make(old) -> new unsaved object``, record the id map under ``key``."""
    news = context.bulk_create(model, [make(old) for old in olds])
    context.copied.setdefault(key, {}).update({old.pk: new.pk for old, new in zip(olds, news, strict=True)})
    return news


def _copy_planning(context: RollContext) -> None:
    old, new = context.old_plan, context.new_plan
    copied = context.copied

    areas = list(FocusArea.objects.filter(plan=old).order_by("order", "pk"))
    _copy(context, "focus_area", FocusArea, areas, lambda a: FocusArea(
        plan=new, kind=a.kind, title=a.title, description=a.description, order=a.order, origin=a,
    ))  # fmt: skip

    goals = list(Goal.objects.filter(focus_area__plan=old).order_by("pk"))
    _copy(context, "goal", Goal, goals, lambda g: Goal(
        focus_area_id=copied["focus_area"][g.focus_area_id], title=g.title, description=g.description, order=g.order,
        origin=g,
    ))  # fmt: skip

    # Assignments level by level, parents first (region-wide assignments hold office assignments): one insert per
    # depth of the tree, and the tree is two or three levels deep whatever the plan's size.
    assignments = list(Assignment.objects.filter(focus_area__plan=old).order_by("pk"))
    remaining = assignments
    copied["assignment"] = {}
    while remaining:
        ready = [a for a in remaining if a.parent_id is None or a.parent_id in copied["assignment"]]
        if not ready:  # a parent outside the plan: copy without it
            ready = [a for a in remaining if a.parent_id not in {r.pk for r in remaining}]
        _copy(context, "assignment", Assignment, ready, lambda a: Assignment(
            focus_area_id=copied["focus_area"][a.focus_area_id], parent_id=copied["assignment"].get(a.parent_id),
            kind=a.kind, title=a.title, description=a.description, responsible_unit_id=a.responsible_unit_id,
            responsible_person=a.responsible_person, order=a.order, origin=a,
        ))  # fmt: skip
        done = {a.pk for a in ready}
        remaining = [a for a in remaining if a.pk not in done]
    _copy_assignment_goals(context)

    sections = list(PlanSection.objects.filter(plan=old).order_by("order", "pk"))
    _copy(context, "section", PlanSection, sections, lambda s: PlanSection(
        plan=new, kind=s.kind, title=s.title, body=s.body, order=s.order,
    ))  # fmt: skip

    activities = list(
        Activity.objects.filter(Q(assignment__focus_area__plan=old) | Q(section__plan=old))
        .exclude(status=ActivityStatus.DONE)
        .order_by("pk")
    )
    _copy(context, "activity", Activity, activities, lambda a: Activity(
        assignment_id=copied["assignment"].get(a.assignment_id), section_id=copied["section"].get(a.section_id),
        title=a.title, description=a.description, start=a.start, end=a.end, responsible_unit_id=a.responsible_unit_id,
        responsible_person=a.responsible_person, status=a.status, order=a.order, origin=a,
    ))  # fmt: skip

    indicators = list(Indicator.objects.filter(plan=old).prefetch_related("targets").order_by("pk"))
    news = _copy(context, "indicator", Indicator, indicators, lambda i: Indicator(
        plan=new, area=i.area, name=i.name, definition=i.definition, unit=i.unit, direction=i.direction,
        frequency=i.frequency, breakdowns=i.breakdowns, order=i.order, origin=i,
    ))  # fmt: skip
    targets = []
    for indicator, copy in zip(indicators, news, strict=True):
        last = max(indicator.targets.all(), key=lambda t: t.year, default=None)
        if last is not None:
            targets.append(IndicatorTarget(indicator=copy, year=new.year, value=last.value))
    context.bulk_create(IndicatorTarget, targets)


def _copy_assignment_goals(context: RollContext) -> None:
    """The goals each assignment contributes to, mapped to the new goals; with their m2m history rows linked to the
    assignments' creation records (so the history shows the goals from the first version)."""
    goal_map, assignment_map = context.copied["goal"], context.copied["assignment"]
    through = Assignment.goals.through
    links = [
        (assignment_map[a_id], goal_map[g_id])
        for a_id, g_id in through.objects.filter(assignment__focus_area__plan=context.old_plan).values_list(
            "assignment_id", "goal_id"
        )
        if g_id in goal_map
    ]
    if not links:
        return
    created = through.objects.bulk_create([through(assignment_id=a, goal_id=g) for a, g in links])
    historical = Assignment.history.model
    creation = dict(
        historical.objects.filter(
            history_type="+", id__in=Assignment.objects.filter(focus_area__plan=context.new_plan).values("id")
        ).values_list("id", "history_id")
    )
    m2m_field = Assignment._meta.get_field("goals")
    rows = m2m_history_model(historical, m2m_field)
    rows.objects.bulk_create(
        [rows(id=row.pk, history_id=creation[row.assignment_id], assignment_id=row.assignment_id, goal_id=row.goal_id)
         for row in created]
    )  # fmt: skip
