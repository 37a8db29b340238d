"""What a plan's overview page shows: stage and timeline, counts, and what is still missing."""

from dataclasses import dataclass

from django.db.models import Q

from planning.choices import Stage
from planning.models import Activity, Assignment, Goal, Plan


@dataclass
class Overview:
    timeline: list[dict]
    counts: dict[str, int]
    without_activities: list[Assignment]
    without_responsible: list[Activity]
    transitions: list


def plan_overview(plan: Plan) -> Overview:
    milestones = {m.stage: m for m in plan.milestones.prefetch_related("steps")}
    reached = list(Stage).index(Stage(plan.stage))
    timeline = [
        {"stage": stage, "milestone": milestones.get(stage.value), "done": i <= reached, "current": i == reached}
        for i, stage in enumerate(Stage)
    ]
    assignments = Assignment.objects.in_plan(plan)
    activities = Activity.objects.in_plan(plan)
    return Overview(
        timeline=timeline,
        counts={
            "focus_areas": plan.focus_areas.count(),
            "goals": Goal.objects.filter(focus_area__plan=plan).count(),
            "assignments": assignments.count(),
            "activities": activities.count(),
            "indicators": plan.indicators.count(),
        },
        without_activities=list(assignments.without_activities().select_related("focus_area")),
        without_responsible=list(
            activities.filter(Q(responsible_unit__isnull=True) & Q(responsible_person="")).select_related("assignment")
        ),
        transitions=list(plan.transitions.select_related("user")),
    )
