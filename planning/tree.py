"""The plan as a tree (focus area → goal → assignment → activity), built in a fixed number of queries.

Filters work on the loaded rows, so the query count does not depend on the filter or the plan's size.

Three ways to build it:
- ``plan_tree``: the whole tree, for filtered views, exports, the mapping table and documents;
- ``plan_outline``: the first view of the tree page, focus areas closed with their activity counts from one
  aggregate query, their contents left out (optionally one area built in full: the no-script fallback);
- ``area_tree``: one focus area's contents, loaded when the area is opened, with queries restricted to that area.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from core.permissions import can, unit_with_descendants
from planning.choices import ActivityStatus, SectionKind
from planning.models import Activity, Assignment, FocusArea, Goal, Plan


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


STATUS_LABELS = dict(ActivityStatus.choices)


class UrlPatterns:
    """Each URL pattern reversed once, then filled in per node: no ``reverse()`` or ``{% url %}`` per tree node."""

    PLACEHOLDER = "2147483647"

    def __init__(self):
        self.patterns: dict[tuple, tuple[str, str]] = {}

    def __call__(self, name: str, pk: int, **kwargs) -> str:
        key = (name, *sorted(kwargs.items()))
        if key not in self.patterns:
            url = reverse(f"planning:{name}", kwargs={**kwargs, "pk": int(self.PLACEHOLDER)})
            before, _, after = url.partition(self.PLACEHOLDER)
            self.patterns[key] = (before, after)
        before, after = self.patterns[key]
        return f"{before}{pk}{after}"


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
    loaded: bool = True  # False: a focus area of the first view, its contents left out until it is opened
    urls: UrlPatterns = field(default_factory=UrlPatterns, repr=False, compare=False)

    @property
    def dom_id(self) -> str:
        return f"{self.kind}-{self.obj.pk}"

    @property
    def key(self) -> str:
        """The primary key as text: templates render it many times, and a string skips number localisation."""
        return str(self.obj.pk)

    @property
    def status_label(self) -> str:
        """An activity's status in words (``get_status_display`` rebuilds its choices on every call)."""
        return STATUS_LABELS.get(self.obj.status, self.obj.status)

    @property
    def movable(self) -> bool:
        """An assignment node whose activities the user may reorder (so its list carries the move form)."""
        return len(self.activities) > 1 and any(activity.editable for activity in self.activities)

    # Links of assignment and activity nodes.
    @property
    def detail_url(self) -> str:
        return self.urls(f"{self.kind}_detail", self.obj.pk)

    @property
    def edit_url(self) -> str:
        return self.urls(f"{self.kind}_edit", self.obj.pk)

    @property
    def history_url(self) -> str:
        return self.urls(f"{self.kind}_history", self.obj.pk)

    @property
    def add_activity_url(self) -> str:
        return self.urls("activity_create", self.obj.pk)

    @property
    def move_url(self) -> str:
        return self.urls("activity_move", self.obj.pk)

    @property
    def delete_url(self) -> str:
        return self.urls("activity_delete", self.obj.pk)

    @property
    def area_url(self) -> str:
        """A focus area's contents (the htmx request when it is opened)."""
        return self.urls("plan_tree_area", self.obj.pk, **self.obj.plan.url_kwargs())


class TreeBuilder:
    def __init__(self, plan: Plan, user, filters: TreeFilters, today: datetime.date | None = None):
        self.plan, self.user, self.filters = plan, user, filters
        self.today = today or datetime.date.today()
        self.units = unit_with_descendants(user, filters.unit) if filters.unit else None
        self.needle = filters.q.strip().lower()
        self.urls = UrlPatterns()
        self.sections: list = []

    # --- Loading -------------------------------------------------------------------------------------------------

    def load(self):
        """The whole plan: focus areas, goals, assignments, goal links, sections and every activity."""
        plan = self.plan
        self.load_areas()
        self.load_goals()
        self.load_sections()
        through = Assignment.goals.through.objects.filter(assignment__focus_area__plan=plan)
        self.load_assignments(
            Assignment.objects.in_plan(plan).select_related("responsible_unit"),
            through.values_list("assignment_id", "goal_id"),
            Activity.objects.in_plan(plan).select_related("responsible_unit"),
        )

    def load_areas(self):
        self.areas = list(self.plan.focus_areas.all())
        self.area_by_id = {area.pk: area for area in self.areas}
        for area in self.areas:
            area.plan = self.plan

    def load_goals(self):
        """Every goal of the plan: an assignment's first goal, which places it, may lie in another focus area."""
        goals = list(Goal.objects.filter(focus_area__plan=self.plan))
        self.goal_by_id = {goal.pk: goal for goal in goals}
        self.goals_of_area: dict[int, list[Goal]] = {}
        for goal in goals:
            goal.focus_area = self.area_by_id[goal.focus_area_id]
            self.goals_of_area.setdefault(goal.focus_area_id, []).append(goal)

    def load_sections(self):
        self.sections = list(self.plan.sections.all())
        for section in self.sections:
            section.plan = self.plan

    def load_assignments(self, assignments, goal_links, activities, keep=None):
        """Assignments with their goals and activities (plan-section activities among them, if any: load the
        sections first). ``keep``: the ids of the assignments wanted, when the queries return more (one area)."""
        assignments = [a for a in assignments if keep is None or a.pk in keep]
        self.goal_ids: dict[int, list[int]] = {}
        for assignment_id, goal_id in goal_links:
            if keep is None or assignment_id in keep:
                self.goal_ids.setdefault(assignment_id, []).append(goal_id)
        assignment_by_id = {a.pk: a for a in assignments}
        self.children_of: dict[int | None, list[Assignment]] = {}
        for assignment in assignments:
            assignment.focus_area = self.area_by_id[assignment.focus_area_id]
            assignment.contributes_to = sorted(
                (self.goal_by_id[g] for g in self.goal_ids.get(assignment.pk, [])),
                key=lambda g: (g.focus_area.order, g.order, g.pk),
            )
            self.children_of.setdefault(assignment.parent_id, []).append(assignment)
        self.activities_of: dict[int, list[Activity]] = {}
        self.section_activities: dict[int, list[Activity]] = {}
        section_by_id = {section.pk: section for section in self.sections}
        for activity in activities:
            if activity.assignment_id:
                if activity.assignment_id in assignment_by_id:
                    activity.assignment = assignment_by_id[activity.assignment_id]
                    self.activities_of.setdefault(activity.assignment_id, []).append(activity)
            else:
                activity.section = section_by_id[activity.section_id]
                self.section_activities.setdefault(activity.section_id, []).append(activity)

    def load_skeleton(self, *, counts: bool = False) -> list[tuple]:
        """(pk, parent id, focus area id[, activity count]) of every assignment of the plan: no model instances."""
        rows = Assignment.objects.in_plan(self.plan).order_by()
        if counts:
            return list(rows.values_list("pk", "parent_id", "focus_area_id").annotate(n=Count("activities")))
        return list(rows.values_list("pk", "parent_id", "focus_area_id"))

    @staticmethod
    def subtrees(skeleton: list[tuple]) -> dict[int, set[int]]:
        """Focus area id → the ids of the assignments shown under it: its top-level ones and all their descendants,
        wherever those lie (the whole tree places a sub-assignment under its parent)."""
        children: dict[int | None, list[tuple]] = {}
        for row in skeleton:
            children.setdefault(row[1], []).append(row)
        result: dict[int, set[int]] = {}
        for root in children.get(None, []):
            ids = result.setdefault(root[2], set())
            stack = [root]
            while stack:
                row = stack.pop()
                if row[0] not in ids:  # each assignment has one parent; the guard only stops a corrupt cycle
                    ids.add(row[0])
                    stack.extend(children.get(row[0], []))
        return result

    def load_area(self, area: FocusArea, skeleton: list[tuple], assignments=None, with_sections: bool = False):
        """One focus area's assignments, goal links and activities, in queries restricted to its subtree's areas
        (its own, unless a sub-assignment lies elsewhere). ``assignments``: already loaded (the plan's);
        ``with_sections``: the plan sections' activities come in the same query."""
        keep = self.subtrees(skeleton).get(area.pk, set())
        area_ids = {row[2] for row in skeleton if row[0] in keep} or {area.pk}
        if assignments is None:
            assignments = Assignment.objects.filter(focus_area_id__in=area_ids).select_related("responsible_unit")
        through = Assignment.goals.through.objects.filter(assignment__focus_area_id__in=area_ids)
        activities = Q(assignment__focus_area_id__in=area_ids)
        if with_sections:
            activities |= Q(section__plan=self.plan)
        self.load_assignments(
            assignments,
            through.values_list("assignment_id", "goal_id"),
            Activity.objects.filter(activities).select_related("responsible_unit"),
            keep=keep,
        )

    # --- Building ------------------------------------------------------------------------------------------------

    def build(self) -> list[Node]:
        self.load()
        return [self.area_node(area, i) for i, area in enumerate(self.areas, start=1)]

    def build_area(self, area_pk: int) -> Node | None:
        """One focus area with its contents, numbered as in the whole tree; None if the plan has no such area."""
        self.load_areas()
        if area_pk not in self.area_by_id:
            return None
        self.load_goals()
        area = self.area_by_id[area_pk]
        self.load_area(area, self.load_skeleton())
        return self.area_node(area, self.areas.index(area) + 1)

    def build_outline(self, open_area: int | None = None) -> list[Node]:
        """The focus areas without their contents, counted by one aggregate query, then the plan sections in full
        (small); ``open_area`` built in full as well, sharing those queries (the same count as its htmx load)."""
        self.load_areas()
        self.load_sections()
        if open_area in self.area_by_id:
            self.load_goals()
            assignments = list(
                Assignment.objects.in_plan(self.plan).select_related("responsible_unit").annotate(n=Count("activities"))
            )
            skeleton = [(a.pk, a.parent_id, a.focus_area_id, a.n) for a in assignments]
            self.load_area(self.area_by_id[open_area], skeleton, assignments=assignments, with_sections=True)
        else:
            skeleton = self.load_skeleton(counts=True)
            self.load_section_activities()
        activity_count = {row[0]: row[3] for row in skeleton}
        subtrees = self.subtrees(skeleton)
        nodes = []
        for i, area in enumerate(self.areas, start=1):
            if area.pk == open_area:
                nodes.append(self.area_node(area, i))
                continue
            node = Node("focus_area", area, str(i), loaded=False, urls=self.urls)
            node.count = sum(activity_count[pk] for pk in subtrees.get(area.pk, ()))
            nodes.append(node)
        return nodes

    def area_node(self, area: FocusArea, i: int) -> Node:
        area_node = Node("focus_area", area, str(i), urls=self.urls)
        top_level = [a for a in self.children_of.get(None, []) if a.focus_area_id == area.pk]
        area_goals = self.goals_of_area.get(area.pk, [])
        for j, goal in enumerate(area_goals, start=1):
            goal_node = Node("goal", goal, f"{i}.{j}", urls=self.urls)
            placed = [a for a in top_level if a.contributes_to and a.contributes_to[0] == goal]
            goal_node.children = self.assignment_nodes(placed, goal_node.number)
            area_node.children.append(self.summarise(goal_node))
        direct = [a for a in top_level if not a.contributes_to or a.contributes_to[0].focus_area_id != area.pk]
        area_node.children += self.assignment_nodes(direct, area_node.number, start=len(area_goals) + 1)
        return self.summarise(area_node)

    def section_nodes(self) -> list[Node]:
        """The plan's activity sections (work-environment plan, competence plan), after the focus areas."""
        nodes = []
        for section in self.sections:
            activities = self.section_activities.get(section.pk, [])
            if section.kind == SectionKind.TEXT and not activities:
                continue
            node = Node("section", section, "", urls=self.urls)
            node.activities = [self.activity_node(activity, str(m)) for m, activity in enumerate(activities, start=1)]
            node.count = sum(a.count for a in node.activities)
            node.shown = not self.filters.active or node.count > 0
            nodes.append(node)
        return nodes

    def load_section_activities(self):
        """Only the plan sections' activities (the first view)."""
        section_by_id = {section.pk: section for section in self.sections}
        self.section_activities = {}
        for activity in Activity.objects.filter(section__plan=self.plan).select_related("responsible_unit"):
            activity.section = section_by_id[activity.section_id]
            self.section_activities.setdefault(activity.section_id, []).append(activity)

    def activity_node(self, activity: Activity, number: str) -> Node:
        node = Node("activity", activity, number, urls=self.urls)
        node.shown = self.activity_matches(activity)
        node.count = int(node.shown)
        node.editable = self.may("planning.change_activity", activity)
        return node

    def assignment_nodes(self, assignments, prefix, start=1) -> list[Node]:
        result = []
        for k, assignment in enumerate(sorted(assignments, key=lambda a: (a.order, a.pk)), start=start):
            node = Node("assignment", assignment, f"{prefix}.{k}", urls=self.urls)
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


def plan_outline(plan: Plan, user=None, open_area: int | None = None) -> list[Node]:
    """The first view of the tree page: focus areas with their activity counts but not their contents (except
    ``open_area``, if given), followed by the plan's activity sections in full."""
    builder = TreeBuilder(plan, user, TreeFilters())
    return builder.build_outline(open_area) + builder.section_nodes()


def area_tree(plan: Plan, user, area_pk: int) -> Node | None:
    """One focus area with its goals, assignments and activities, numbered as in the whole tree (None: not in
    the plan). The query count does not depend on the size of the plan or of the area."""
    return TreeBuilder(plan, user, TreeFilters()).build_area(area_pk)
