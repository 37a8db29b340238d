"""The plan as a printed document (seed 002): an outline of numbered chapters that apps fill in.

``followup`` renders the document; planning only describes it and never imports the apps that fill chapters.
Each app registers its chapter in ``AppConfig.ready()`` with :func:`register_document_section` (planning fills
1, 2, 3 and 6 below; ``budget`` fills "economy", ``internalcontrol`` "internal_control").

Chapter numbers are fixed per key, as in the decided documents that later reports refer to ("se avsnitt 4"):
a chapter of the outline that no app fills is still printed under its number, with the plan's own text for it and
a note that it is reported separately. Chapters are never renumbered.

The plan's text sections (``PlanSection``) are placed by title and order: a text section titled like a chapter
("Inledning", "Målstyrning" …) is that chapter's introduction; a text section after it belongs to that chapter as
a numbered sub-section (2022: "Arbetsmiljö" after "Kvalitetsstyrning" becomes 3.1); text before any chapter
title belongs to the introduction (2025: "Justeringar" becomes 1.1). The work-environment and competence plans
always belong to quality management. The renderer prints these before the chapter's own content, so a context
builder numbers its sub-sections with ``chapter.subnumber(i)``.

A context builder is called as ``context(document, chapter)`` and returns its template's context: ``document`` is
a :class:`PlanDocument` (the plan and its data, read once for all chapters) and ``chapter`` a :class:`ChapterInfo`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.charts import Bar, bar_chart_svg
from core.formatting import sv_number, sv_percent
from core.permissions import can
from planning.choices import IndicatorArea, IndicatorUnit, SectionKind
from planning.models import Activity, Indicator, Plan, PlanSection
from planning.tree import Node, TreeBuilder, TreeFilters


@dataclass(frozen=True)
class OutlineChapter:
    key: str
    number: int
    title: str | Promise
    section_titles: tuple[str, ...] = ()  # titles of plan text sections that introduce it, as the documents write them


OUTLINE = (
    OutlineChapter("introduction", 1, _("Introduction"), ("Inledning",)),
    OutlineChapter("goals", 2, _("Goal management"), ("Målstyrning",)),
    OutlineChapter("quality", 3, _("Quality management"), ("Kvalitetsstyrning",)),
    OutlineChapter("economy", 4, _("Economic management"), ("Ekonomistyrning",)),
    OutlineChapter("internal_control", 5, _("Internal control"), ("Intern kontroll", "Internkontroll")),
    OutlineChapter("appendix", 6, _("Appendix"), ("Bilaga", "Bilagor")),
)
ACTIVITY_SECTION_CHAPTER = "quality"


@dataclass(frozen=True)
class DocumentSection:
    key: str
    number: int
    title: str | Promise
    template_name: str
    context: Callable[["PlanDocument", "ChapterInfo"], dict]


_registry: dict[str, DocumentSection] = {}
_extra_chapters: dict[str, OutlineChapter] = {}


def register_document_section(
    key: str,
    *,
    template_name: str,
    context: Callable[["PlanDocument", "ChapterInfo"], dict],
    number: int | None = None,
    title: str | Promise | None = None,
) -> None:
    """Fill chapter ``key`` of the plan document with ``template_name`` rendered with ``context(document, chapter)``.

    Keys of :data:`OUTLINE` take its number and title; a new key must give both, with a number of its own.
    """
    outline = next((c for c in OUTLINE if c.key == key), None)
    if outline is None:
        if number is None or title is None:
            raise ImproperlyConfigured(f"Plan document chapter {key!r} is not in the outline: give number and title.")
        taken = {c.number: c.key for c in [*OUTLINE, *_extra_chapters.values()]}
        if taken.get(number, key) != key:
            raise ImproperlyConfigured(f"Plan document chapter number {number} is taken by {taken[number]!r}.")
        outline = _extra_chapters[key] = OutlineChapter(key, number, title)
    elif number not in (None, outline.number):
        raise ImproperlyConfigured(f"Plan document chapter {key!r} has the fixed number {outline.number}.")
    section = DocumentSection(key, outline.number, title or outline.title, template_name, context)
    existing = _registry.get(key)
    if existing is not None and existing != section:
        raise ImproperlyConfigured(f"Plan document chapter {key!r} is registered twice.")
    _registry[key] = section


def document_outline() -> list[tuple[OutlineChapter, DocumentSection | None]]:
    """Every chapter in number order, with the section that fills it (None: reported separately)."""
    chapters = sorted([*OUTLINE, *_extra_chapters.values()], key=lambda c: c.number)
    return [(chapter, _registry.get(chapter.key)) for chapter in chapters]


@dataclass
class Part:
    """A plan section printed as a numbered sub-section of a chapter (text, or a list of activities)."""

    number: str
    section: PlanSection
    activities: list[Activity] = field(default_factory=list)


@dataclass
class ChapterInfo:
    key: str
    number: int
    title: str | Promise
    intro: PlanSection | None = None
    parts: list[Part] = field(default_factory=list)

    def subnumber(self, index: int) -> str:
        """The number of the chapter's own ``index``-th sub-section (1-based), after the plan's text sections."""
        return f"{self.number}.{len(self.parts) + index}"

    @property
    def has_text(self) -> bool:
        return bool((self.intro and self.intro.body) or self.parts)


class PlanDocument:
    """One plan's data for printing, read once (a fixed number of queries) and shared by every chapter."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self._tree = TreeBuilder(plan, None, TreeFilters())

    @cached_property
    def focus_areas(self) -> list[Node]:
        """The tree without user (no edit controls): focus area → goal → assignment → activity."""
        return self._tree.build()

    @cached_property
    def sections(self) -> list[PlanSection]:
        self.focus_areas  # noqa: B018  building the tree loads the sections and their activities
        return self._tree.sections

    def section_activities(self, section: PlanSection) -> list[Activity]:
        self.focus_areas  # noqa: B018
        return self._tree.section_activities.get(section.pk, [])

    @cached_property
    def indicators(self) -> list[Indicator]:
        return list(self.plan.indicators.prefetch_related("targets"))

    def chapter(self, outline: OutlineChapter) -> ChapterInfo:
        intro, sections = self.placement.get(outline.key, (None, []))
        parts = [
            Part(f"{outline.number}.{index}", section, self.section_activities(section))
            for index, section in enumerate(sections, start=1)
        ]
        return ChapterInfo(outline.key, outline.number, outline.title, intro, parts)

    @cached_property
    def placement(self) -> dict[str, tuple[PlanSection | None, list[PlanSection]]]:
        """Chapter key → (its introduction, its other sections), by the rules in the module docstring."""
        by_title = {}
        for outline, _section in document_outline():
            for title in (*outline.section_titles, str(outline.title)):
                by_title.setdefault(title.strip().casefold(), outline.key)
        intros: dict[str, PlanSection] = {}
        parts: dict[str, list[PlanSection]] = {}
        current = OUTLINE[0].key
        for section in self.sections:
            key = by_title.get(section.title.strip().casefold())
            if section.kind != SectionKind.TEXT:
                parts.setdefault(ACTIVITY_SECTION_CHAPTER, []).append(section)
            elif key is not None and key not in intros:
                intros[key] = section
                current = key
            else:
                parts.setdefault(current, []).append(section)
        keys = set(intros) | set(parts)
        return {key: (intros.get(key), parts.get(key, [])) for key in keys}


# Planning's own chapters ------------------------------------------------------------------------------------------


@dataclass
class PrintedAssignment:
    node: Node
    level: int
    contributes_to: list[str]
    children: list["PrintedAssignment"]
    repeats_heading: bool = False  # worded exactly as the goal it is printed under: the goal's heading serves

    @property
    def obj(self):
        return self.node.obj

    @property
    def activities(self) -> list[Activity]:
        return [child.obj for child in self.node.activities]

    @property
    def heading(self) -> int:
        return min(self.level, 6)


@dataclass
class PrintedGoal:
    number: str
    obj: object
    assignments: list[PrintedAssignment]


@dataclass
class PrintedArea:
    number: str
    obj: object
    goals: list[PrintedGoal]
    assignments: list[PrintedAssignment]


def _printed_assignments(nodes, level, goal, goal_numbers, *, top=True) -> list[PrintedAssignment]:
    result = []
    for node in nodes:
        goals = node.obj.contributes_to
        # Say which goals it serves unless that is just the goal it is printed under.
        shown = [] if goal is not None and [g.pk for g in goals] == [goal.pk] else goals
        result.append(
            PrintedAssignment(
                node=node,
                level=level,
                contributes_to=[f"{goal_numbers.get(g.pk, '')} {g.title}".strip() for g in shown],
                children=_printed_assignments(node.children, level + 1, goal, goal_numbers, top=False),
                repeats_heading=top and goal is not None and _same_words(node.obj.title, goal.title),
            )
        )
    return result


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def goals_context(document: PlanDocument, chapter: ChapterInfo) -> dict:
    """2 Målstyrning: focus area (2.1) → goal (2.1.1) → assignments with their prose and activities."""
    goal_numbers: dict[int, str] = {}
    numbered = []
    for i, area in enumerate(document.focus_areas, start=1):
        number = chapter.subnumber(i)
        goals = [child for child in area.children if child.kind == "goal"]
        for j, goal in enumerate(goals, start=1):
            goal_numbers[goal.obj.pk] = f"{number}.{j}"
        numbered.append((number, area, goals))
    areas = []
    for number, area, goals in numbered:
        direct = [child for child in area.children if child.kind == "assignment"]
        areas.append(
            PrintedArea(
                number=number,
                obj=area.obj,
                goals=[
                    PrintedGoal(
                        number=goal_numbers[goal.obj.pk],
                        obj=goal.obj,
                        assignments=_printed_assignments(goal.children, 4, goal.obj, goal_numbers),
                    )
                    for goal in goals
                ],
                assignments=_printed_assignments(direct, 3, None, goal_numbers),
            )
        )
    return {"areas": areas}


@dataclass
class PrintedIndicator:
    obj: Indicator
    target: str
    chart: str


def indicator_value_text(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    decimals = max(0, -value.normalize().as_tuple().exponent)
    if unit == IndicatorUnit.PERCENT:
        return sv_percent(value, decimals)
    text = sv_number(value, decimals)
    return f"{text}\u00a0{IndicatorUnit(unit).label}" if unit in (IndicatorUnit.TKR, IndicatorUnit.MNKR) else text


def _indicator_chart(indicator: Indicator, year: int) -> str:
    """Target per year (up to four years), drawn only when there is more than one year to compare."""
    targets = sorted((t for t in indicator.targets.all() if t.year <= year), key=lambda t: t.year)[-4:]
    if len(targets) < 2:
        return ""
    return bar_chart_svg(
        title=str(_("Target per year – %(indicator)s")) % {"indicator": indicator.name},
        bars=[Bar(str(t.year), t.value) for t in targets],
        unit=str(indicator.get_unit_display()) if indicator.unit != IndicatorUnit.INDEX else "",
        decimals=max(max(0, -t.value.normalize().as_tuple().exponent) for t in targets),
        id_prefix=f"indicator-{indicator.pk}",
    )


def quality_context(document: PlanDocument, chapter: ChapterInfo) -> dict:
    """3 Kvalitetsstyrning: after the work-environment and competence plans, the indicators per area with their
    definitions and this year's targets."""
    year = document.plan.year
    groups = []
    for area in IndicatorArea:
        indicators = [i for i in document.indicators if i.area == area]
        if indicators:
            groups.append(
                {
                    "label": area.label,
                    "indicators": [
                        PrintedIndicator(i, indicator_value_text(i.target_for(year), i.unit), _indicator_chart(i, year))
                        for i in indicators
                    ],
                }
            )
    number = chapter.subnumber(1)
    for index, group in enumerate(groups, start=1):
        group["number"] = f"{number}.{index}"
    return {"indicator_groups": groups, "indicators_number": number, "year": year}


def introduction_context(document: PlanDocument, chapter: ChapterInfo) -> dict:
    return {}


def appendix_context(document: PlanDocument, chapter: ChapterInfo) -> dict:
    """The mapping table: focus area ↔ region-wide assignment ↔ office assignments, as on the mapping page."""
    from planning.views import mapping_rows

    return {"mapping": [(area.obj, mapping_rows(area)) for area in document.focus_areas]}


def register_planning_chapters() -> None:
    for key, template, context in (
        ("introduction", "planning/document/introduction.html", introduction_context),
        ("goals", "planning/document/goals.html", goals_context),
        ("quality", "planning/document/quality.html", quality_context),
        ("appendix", "planning/document/appendix.html", appendix_context),
    ):
        register_document_section(key, template_name=template, context=context)


# Links to the printed plan on the plan's overview page, registered by the app that prints (followup) --------------


@dataclass(frozen=True)
class DocumentLink:
    label: str | Promise
    url_name: str  # reversed with the plan's ``unit`` and ``year``
    action: str
    download: bool = False
    hint: str | Promise = ""
    post: bool = False  # a button that POSTs (starts work, e.g. a PDF job) and shows the answer in the page


_links: dict[str, DocumentLink] = {}


def register_document_link(
    *, label, url_name: str, action: str, download: bool = False, hint="", post: bool = False
) -> None:
    _links[url_name] = DocumentLink(label, url_name, action, download, hint, post)


def document_links(user, plan: Plan) -> list[dict]:
    """The registered links the user may follow for ``plan``, in registration order."""
    return [
        {"label": link.label, "url": reverse(link.url_name, kwargs=plan.url_kwargs()), "download": link.download,
         "hint": link.hint, "post": link.post, "id": "document-" + link.url_name.replace(":", "-").replace("_", "-")}
        for link in _links.values()
        if can(user, link.action, plan)
    ]  # fmt: skip
