"""Small factories for plans. ``make_plan`` builds a plan of a given size in a few bulk inserts, with history."""

import datetime

from simple_history.utils import bulk_create_with_history

from planning.models import Activity, Assignment, FocusArea, Goal, Indicator, IndicatorTarget, Plan, PlanSection


def make_plan(
    unit, *, year=2025, stage="draft", areas=2, goals=2, assignments=2, activities=2, responsible=None, title=None
):
    """A plan with ``areas`` focus areas × ``goals`` goals × ``assignments`` assignments × ``activities`` activities.

    Assignments contribute to their goal; ``responsible`` (a unit) is responsible for all of them.
    """
    plan = Plan.objects.create(unit=unit, year=year, stage=stage, title=title or f"Verksamhetsplan {year}")
    area_objs = bulk_create_with_history(
        [FocusArea(plan=plan, title=f"Fokusområde {i + 1}", order=i) for i in range(areas)], FocusArea
    )
    goal_objs = bulk_create_with_history(
        [
            Goal(focus_area=area, title=f"Mål {area.order + 1}.{j + 1}", order=j)
            for area in area_objs
            for j in range(goals)
        ],
        Goal,
    )
    assignment_objs = bulk_create_with_history(
        [
            Assignment(
                focus_area=goal.focus_area,
                title=f"Uppdrag {goal.title[4:]}.{k + 1}",
                description="Beskrivning av uppdraget.",
                kind="office",
                responsible_unit=responsible,
                order=k,
            )
            for goal in goal_objs
            for k in range(assignments)
        ],
        Assignment,
    )
    through = Assignment.goals.through
    per_goal = assignments
    through.objects.bulk_create(
        through(assignment=a, goal=goal_objs[i // per_goal]) for i, a in enumerate(assignment_objs)
    )
    start = datetime.date(year, 1, 1)
    bulk_create_with_history(
        [
            Activity(
                assignment=a,
                title=f"Aktivitet {a.title[8:]}.{m + 1}",
                start=start,
                end=start + datetime.timedelta(days=60 * (m + 1)),
                responsible_unit=responsible,
                order=m,
            )
            for a in assignment_objs
            for m in range(activities)
        ],
        Activity,
    )
    return plan


def add_indicator(plan, *, name="Personalomsättning", target="11.0", year=None):
    indicator = Indicator.objects.create(
        plan=plan, area="employees", name=name, definition="Andel tillsvidareanställda som slutat.", unit="percent",
        direction="lower",
    )  # fmt: skip
    IndicatorTarget.objects.create(indicator=indicator, year=year or plan.year, value=target)
    return indicator


def add_section(plan, *, title="Inledning", body="Regionkontoret leder och samordnar."):
    return PlanSection.objects.create(plan=plan, title=title, body=body)
