"""The plan as a tree (focus area → goal → assignment → activity), built in a fixed number of queries.

Filters work on the loaded rows, so the query count does not depend on the filter or the plan's size.
"""

import datetime
from dataclasses import dataclass, field

from core.permissions import can, unit_with_descendants
from planning.choices import ActivityStatus, SectionKind
from planning.models import Activity, Assignment, Goal, Plan


@dataclass
class TreeFilters:
    unit: int | None = None
    kind: str = ""
    status: str = ""
    q: str = ""
    late: bool = False

    @property
    def active(self) -> bool:
        return bool(self.unit or self.kind or self.status or self.q or self.late)

    @property
    def on_activities(self) -> bool:
        return bool(self.status or self.late)


@dataclass
class Node:
    kind: str
    obj: object
    number: str
    children: list["Node"] = field(default_factory=list)
    activities: list["Node"] = field(default_factory=list)
    editable: bool = False
    shown: bool = True
    count: int = 0

    @property
    def dom_id(self) -> str:
        return f"{self.kind}-{self.obj.pk}"


class TreeBuilder:
    def __init__(self, plan: Plan, user, filters: TreeFilters, today: datetime.date | None = None):
        self.plan, self.user, self.filters = plan, user, filters
        self.today = today or datetime.date.today()
        self.units = unit_with_descendants(user, filters.unit) if filters.unit else None
        self.needle = filters.q.strip().lower()

    def load(self):
        plan = self.plan
        self.areas = list(plan.focus_areas.all())
        area_by_id = {area.pk: area for area in self.areas}
        for area in self.areas:
            area.plan = plan
        goals = list(Goal.objects.filter(focus_area__plan=plan))
        self.goal_by_id = {goal.pk: goal for goal in goals}
        self.goals_of_area: dict[int, list[Goal]] = {}
        for goal in goals:
            goal.focus_area = area_by_id[goal.focus_area_id]
            self.goals_of_area.setdefault(goal.focus_area_id, []).append(goal)
        assignments = list(Assignment.objects.in_plan(plan).select_related("responsible_unit"))
        self.goal_ids: dict[int, list[int]] = {}
        through = Assignment.goals.through.objects.filter(assignment__focus_area__plan=plan)
        for assignment_id, goal_id in through.values_list("assignment_id", "goal_id"):
            self.goal_ids.setdefault(assignment_id, []).append(goal_id)
        assignment_by_id = {a.pk: a for a in assignments}
        self.children_of: dict[int | None, list[Assignment]] = {}
        for assignment in assignments:
            assignment.focus_area = area_by_id[assignment.focus_area_id]
            assignment.contributes_to = sorted(
                (self.goal_by_id[g] for g in self.goal_ids.get(assignment.pk, [])),
                key=lambda g: (g.focus_area.order, g.order, g.pk),
            )
            self.children_of.setdefault(assignment.parent_id, []).append(assignment)
        self.sections = list(plan.sections.all())
        section_by_id = {section.pk: section for section in self.sections}
        for section in self.sections:
            section.plan = plan
        self.activities_of: dict[int, list[Activity]] = {}
        self.section_activities: dict[int, list[Activity]] = {}
        for activity in Activity.objects.in_plan(plan).select_related("responsible_unit"):
            if activity.assignment_id:
                activity.assignment = assignment_by_id[activity.assignment_id]
                self.activities_of.setdefault(activity.assignment_id, []).append(activity)
            else:
                activity.section = section_by_id[activity.section_id]
                self.section_activities.setdefault(activity.section_id, []).append(activity)

    def build(self) -> list[Node]:
        self.load()
        nodes = []
        for i, area in enumerate(self.areas, start=1):
            area_node = Node("focus_area", area, str(i))
            top_level = [a for a in self.children_of.get(None, []) if a.focus_area_id == area.pk]
            area_goals = self.goals_of_area.get(area.pk, [])
            for j, goal in enumerate(area_goals, start=1):
                goal_node = Node("goal", goal, f"{i}.{j}")
                placed = [a for a in top_level if a.contributes_to and a.contributes_to[0] == goal]
                goal_node.children = self.assignment_nodes(placed, goal_node.number)
                area_node.children.append(self.summarise(goal_node))
            direct = [a for a in top_level if not a.contributes_to or a.contributes_to[0].focus_area_id != area.pk]
            area_node.children += self.assignment_nodes(direct, area_node.number, start=len(area_goals) + 1)
            nodes.append(self.summarise(area_node))
        return nodes

    def section_nodes(self) -> list[Node]:
        """The plan's activity sections (work-environment plan, competence plan), after the focus areas."""
        nodes = []
        for section in self.sections:
            activities = self.section_activities.get(section.pk, [])
            if section.kind == SectionKind.TEXT and not activities:
                continue
            node = Node("section", section, "")
            node.activities = [self.activity_node(activity, str(m)) for m, activity in enumerate(activities, start=1)]
            node.count = sum(a.count for a in node.activities)
            node.shown = not self.filters.active or node.count > 0
            nodes.append(node)
        return nodes

    def activity_node(self, activity: Activity, number: str) -> Node:
        node = Node("activity", activity, number)
        node.shown = self.activity_matches(activity)
        node.count = int(node.shown)
        node.editable = self.may("planning.change_activity", activity)
        return node

    def assignment_nodes(self, assignments, prefix, start=1) -> list[Node]:
        result = []
        for k, assignment in enumerate(sorted(assignments, key=lambda a: (a.order, a.pk)), start=start):
            node = Node("assignment", assignment, f"{prefix}.{k}")
            node.editable = self.may("planning.change_assignment", assignment)
            node.children = self.assignment_nodes(self.children_of.get(assignment.pk, []), node.number)
            for m, activity in enumerate(self.activities_of.get(assignment.pk, []), start=1):
                node.activities.append(self.activity_node(activity, f"{node.number}.{m}"))
            node.count = sum(a.count for a in node.activities) + sum(c.count for c in node.children)
            node.shown = (
                not self.filters.active
                or any(c.shown for c in node.children)
                or any(a.shown for a in node.activities)
                or (not self.filters.on_activities and self.assignment_matches(assignment))
            )
            result.append(node)
        return result

    def may(self, action, obj) -> bool:
        """Edit controls for a signed-in user; exports (no user) show none."""
        return self.user is not None and can(self.user, action, obj)

    def summarise(self, node: Node) -> Node:
        node.count = sum(child.count for child in node.children)
        node.shown = not self.filters.active or any(child.shown for child in node.children)
        return node

    def unit_matches(self, *units) -> bool:
        return self.units is None or any(unit_id in self.units for unit_id in units if unit_id)

    def text_matches(self, *texts) -> bool:
        return not self.needle or any(self.needle in text.lower() for text in texts)

    def assignment_matches(self, a: Assignment) -> bool:
        return (
            (not self.filters.kind or a.kind == self.filters.kind)
            and self.unit_matches(a.responsible_unit_id)
            and self.text_matches(a.title, a.description, a.responsible_person)
        )

    def activity_matches(self, activity: Activity) -> bool:
        f = self.filters
        a = activity.assignment if activity.assignment_id else None
        return (
            (not f.kind or (a is not None and a.kind == f.kind))
            and (not f.status or activity.status == f.status)
            and (not f.late or self.is_late(activity))
            and self.unit_matches(activity.responsible_unit_id, a.responsible_unit_id if a else None)
            and self.text_matches(
                activity.title,
                activity.description,
                activity.responsible_person,
                a.title if a else activity.section.title,
                a.description if a else "",
            )
        )

    def is_late(self, activity: Activity) -> bool:
        return bool(activity.end and activity.end < self.today and activity.status != ActivityStatus.DONE)


def plan_tree(plan: Plan, user=None, filters: TreeFilters | None = None, today=None) -> list[Node]:
    """Focus-area nodes (with goals, assignments, activities), followed by the plan's activity sections."""
    builder = TreeBuilder(plan, user, filters or TreeFilters(), today)
    return builder.build() + builder.section_nodes()
