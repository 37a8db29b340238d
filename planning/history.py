"""A plan's history, read back: the plan as it stood at a moment, the moments its stages began, and a feed of recent
changes to all its items.

Other apps add their items to the feed with :func:`register_feed_source` (internal control adds its control plan's
risks and controls); ``planning`` never imports them. Importing this module also registers the restore guards of
planning's models (a decided plan's items are not restored until the plan is reopened).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.history import FieldChange, previous_records, record_changes, register_restore_guard
from planning.models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    IndicatorTarget,
    Milestone,
    Plan,
    PlanSection,
    PreparationStep,
    StageTransition,
)

# --- The plan at a moment -----------------------------------------------------------------------------------------


class StageNeverEntered(ValueError):
    """The plan has no recorded moment for the stage."""


def stage_moment(plan: Plan, stage: str) -> datetime.datetime:
    """When the plan (last) entered ``stage``: the stage transition's ``at``; failing that (a stage set outside
    ``plan_change_stage``, e.g. in the admin), the plan's own history where its stage became ``stage``. A plan created
    at a stage (demo data, imports) has no moment for it."""
    transition = plan.transitions.filter(to_stage=stage).order_by("-at", "-pk").first()
    if transition is not None:
        return transition.at
    moment, previous = None, None
    for history_date, value in plan.history.order_by("history_date", "history_id").values_list("history_date", "stage"):
        if value == stage and previous is not None and previous != stage:
            moment = history_date
        previous = value
    if moment is not None:
        return moment
    raise StageNeverEntered(
        _("The plan %(plan)s has no recorded moment when it entered the stage %(stage)s.")
        % {"plan": plan.key, "stage": stage}
    )


@dataclass(frozen=True)
class ItemState:
    """One item of a plan at a moment: enough to compare two moments or two years."""

    level: str
    id: int
    title: str
    order: int
    parent: tuple[str, int] | None = None
    origin_id: int | None = None
    status: str = ""  # activities only


@dataclass(frozen=True)
class Level:
    key: str
    model: type
    title_field: str
    fields: tuple[str, ...]
    parent: Callable[[dict], tuple[str, int] | None]
    has_origin: bool = True


def _assignment_parent(row):
    return ("assignment", row["parent_id"]) if row["parent_id"] else ("focus_area", row["focus_area_id"])


def _activity_parent(row):
    return ("assignment", row["assignment_id"]) if row["assignment_id"] else ("section", row["section_id"])


LEVELS = [
    Level("focus_area", FocusArea, "title", ("plan_id",), lambda row: None),
    Level("goal", Goal, "title", ("focus_area_id",), lambda row: ("focus_area", row["focus_area_id"])),
    Level("assignment", Assignment, "title", ("focus_area_id", "parent_id"), _assignment_parent),
    Level("activity", Activity, "title", ("assignment_id", "section_id", "status"), _activity_parent),
    Level("indicator", Indicator, "name", ("plan_id",), lambda row: None),
    Level("section", PlanSection, "title", ("plan_id",), lambda row: None, has_origin=False),
]
LEVEL_KEYS = [level.key for level in LEVELS]


def _current(plan: Plan) -> dict[str, QuerySet]:
    return {
        "focus_area": FocusArea.objects.filter(plan=plan),
        "goal": Goal.objects.filter(focus_area__plan=plan),
        "assignment": Assignment.objects.filter(focus_area__plan=plan),
        "activity": Activity.objects.filter(Q(assignment__focus_area__plan=plan) | Q(section__plan=plan)),
        "indicator": Indicator.objects.filter(plan=plan),
        "section": PlanSection.objects.filter(plan=plan),
    }


def historical_items(plan: Plan) -> dict[str, QuerySet]:
    """Every historical record of every item that ever belonged to the plan, per level (querysets, lazy)."""
    h = {level.key: level.model.history.all() for level in LEVELS}
    areas_ever = h["focus_area"].filter(plan_id=plan.pk).values("id")
    sections_ever = h["section"].filter(plan_id=plan.pk).values("id")
    assignments_ever = h["assignment"].filter(focus_area_id__in=areas_ever).values("id")
    return {
        "focus_area": h["focus_area"].filter(plan_id=plan.pk),
        "goal": h["goal"].filter(focus_area_id__in=areas_ever),
        "assignment": h["assignment"].filter(focus_area_id__in=areas_ever),
        "activity": h["activity"].filter(Q(assignment_id__in=assignments_ever) | Q(section_id__in=sections_ever)),
        "indicator": h["indicator"].filter(plan_id=plan.pk),
        "section": h["section"].filter(plan_id=plan.pk),
    }


@dataclass
class PlanSnapshot:
    """The items of a plan at a moment (``at``) or now (``at`` is None), per level: ``items[level][id]``."""

    plan: Plan
    at: datetime.datetime | None
    items: dict[str, dict[int, ItemState]] = field(default_factory=dict)

    def count(self, level: str) -> int:
        return len(self.items.get(level, {}))

    def get(self, key: tuple[str, int] | None) -> ItemState | None:
        if key is None:
            return None
        return self.items.get(key[0], {}).get(key[1])

    def title(self, key: tuple[str, int] | None) -> str:
        item = self.get(key)
        return item.title if item else ""

    def position(self, item: ItemState) -> tuple:
        """Sort key in document order: the parent's position, then the item's own order."""
        parent = self.get(item.parent)
        return (*(self.position(parent) if parent else (LEVEL_KEYS.index(item.level),)), item.order, item.id)

    def ordered(self, level: str) -> list[ItemState]:
        return sorted(self.items.get(level, {}).values(), key=self.position)


def plan_snapshot(plan: Plan, at: datetime.datetime | None = None) -> PlanSnapshot:
    """The plan's items now, or as they stood at ``at`` (from history: the latest version of each item at that
    moment, removed items left out). One query per level either way."""
    snapshot = PlanSnapshot(plan=plan, at=at)
    sources = _current(plan) if at is None else historical_items(plan)
    for level in LEVELS:
        queryset = sources[level.key]
        if at is not None:
            queryset = queryset.filter(history_date__lte=at).latest_of_each().exclude(history_type="-")
        names = ["id", level.title_field, "order", *level.fields] + (["origin_id"] if level.has_origin else [])
        snapshot.items[level.key] = {
            row["id"]: ItemState(
                level=level.key,
                id=row["id"],
                title=row[level.title_field],
                order=row["order"],
                parent=level.parent(row),
                origin_id=row.get("origin_id"),
                status=row.get("status", ""),
            )
            for row in queryset.order_by().values(*names)
        }
    return snapshot


# --- The change feed of a plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedSource:
    """One kind of item in a plan's change feed.

    ``records(plan)`` gives the historical records of the plan's items of this kind (a queryset of one historical
    model); ``unit_field`` names the record's responsible-unit column, if it has one; ``url(pk)`` the item's page.
    """

    key: str
    label: object
    records: Callable[[Plan], QuerySet]
    title: Callable[[object], str] = lambda record: record.title
    unit_field: str | None = None
    url: Callable[[int], str] | None = None
    model: type | None = None
    select_related: tuple[str, ...] = ()


_feed_sources: dict[str, FeedSource] = {}


def register_feed_source(source: FeedSource) -> None:
    _feed_sources[source.key] = source


def feed_sources() -> list[FeedSource]:
    return list(_feed_sources.values())


@dataclass
class FeedEntry:
    source: FeedSource
    record: object
    title: str
    changes: list[FieldChange]
    url: str | None = None


@dataclass
class FeedPage:
    entries: list[FeedEntry]
    more: bool
    next_before: datetime.datetime | None


FEED_PAGE_SIZE = 50


def plan_feed(
    plan: Plan,
    *,
    user_id: int | None = None,
    unit_ids: set[int] | None = None,
    kinds: list[str] | None = None,
    before: datetime.datetime | None = None,
    limit: int = FEED_PAGE_SIZE,
) -> FeedPage:
    """The latest changes to the plan and all its items, newest first, ``limit`` a page.

    The number of queries is fixed per page, whatever the plan's size or the page's length: one per feed source
    for the records, then per historical model on the page one for the earlier versions (for the differences) and
    one for which items still exist (for links), and one per related model named in a change.
    """
    chosen = [s for s in _feed_sources.values() if not kinds or s.key in kinds]
    if unit_ids is not None:
        chosen = [s for s in chosen if s.unit_field]
    found: list[tuple[FeedSource, object]] = []
    for source in chosen:
        records = source.records(plan).select_related("history_user", *source.select_related)
        if user_id:
            records = records.filter(history_user_id=user_id)
        if unit_ids is not None:
            records = records.filter(**{f"{source.unit_field}__in": unit_ids})
        if before is not None:
            records = records.filter(history_date__lt=before)
        found += [(source, record) for record in records.order_by("-history_date", "-history_id")[: limit + 1]]
    found.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)
    page, more = found[:limit], len(found) > limit
    previous = previous_records([record for _, record in page])
    changes = record_changes([(record, previous.get((type(record), record.history_id))) for _, record in page])
    existing = _existing([(source, record) for source, record in page if source.url])
    entries = [
        FeedEntry(
            source=source,
            record=record,
            title=source.title(record),
            changes=change,
            url=source.url(record.id) if source.url and (source.key, record.id) in existing else None,
        )
        for (source, record), change in zip(page, changes, strict=True)
    ]
    return FeedPage(entries=entries, more=more, next_before=page[-1][1].history_date if more and page else None)


def _existing(pairs) -> set[tuple[str, int]]:
    """Which items on the page still exist (one query per kind with a page of its own)."""
    wanted: dict[str, tuple[type, set[int]]] = {}
    for source, record in pairs:
        wanted.setdefault(source.key, (record.instance_type, set()))[1].add(record.id)
    existing = set()
    for key, (model, ids) in wanted.items():
        existing |= {(key, pk) for pk in model._base_manager.filter(pk__in=ids).values_list("pk", flat=True)}
    return existing


def _historical(model):
    return model.history.all()


def _register_planning_sources():
    items = historical_items
    register_feed_source(
        FeedSource("plan", gettext_lazy("Plan"), lambda plan: _historical(Plan).filter(id=plan.pk), model=Plan)
    )
    register_feed_source(
        FeedSource("focus_area", gettext_lazy("Focus area"), lambda plan: items(plan)["focus_area"], model=FocusArea)
    )
    register_feed_source(FeedSource("goal", gettext_lazy("Goal"), lambda plan: items(plan)["goal"], model=Goal))
    register_feed_source(
        FeedSource(
            "assignment",
            gettext_lazy("Assignment"),
            lambda plan: items(plan)["assignment"],
            unit_field="responsible_unit_id",
            url=lambda pk: reverse("planning:assignment_detail", args=[pk]),
            model=Assignment,
        )
    )
    register_feed_source(
        FeedSource(
            "activity",
            gettext_lazy("Activity"),
            lambda plan: items(plan)["activity"],
            unit_field="responsible_unit_id",
            url=lambda pk: reverse("planning:activity_detail", args=[pk]),
            model=Activity,
        )
    )
    register_feed_source(
        FeedSource("section", gettext_lazy("Plan section"), lambda plan: items(plan)["section"], model=PlanSection)
    )
    register_feed_source(
        FeedSource(
            "indicator",
            gettext_lazy("Indicator"),
            lambda plan: items(plan)["indicator"],
            title=lambda record: record.name,
            model=Indicator,
        )
    )
    register_feed_source(
        FeedSource(
            "target",
            gettext_lazy("Target value"),
            lambda plan: _historical(IndicatorTarget).filter(indicator_id__in=items(plan)["indicator"].values("id")),
            title=lambda record: _("Target %(year)s") % {"year": record.year},
            model=IndicatorTarget,
        )
    )
    register_feed_source(
        FeedSource(
            "decision",
            gettext_lazy("Stage decision"),
            lambda plan: _historical(StageTransition).filter(plan_id=plan.pk),
            title=lambda record: f"{record.get_from_stage_display()} → {record.get_to_stage_display()}",
            model=StageTransition,
        )
    )


_register_planning_sources()


# --- Restore guards -----------------------------------------------------------------------------------------------


def _refuse_if_decided(plan: Plan) -> None:
    if plan.is_decided:
        raise ValidationError(_("The plan is decided and cannot be changed until it is reopened."))


def _refuse_decisions(obj) -> None:
    raise ValidationError(_("Stages change through the plan's stage page, not by restoring a version."))


PLAN_OF = {
    FocusArea: lambda obj: obj.plan,
    Goal: lambda obj: obj.focus_area.plan,
    Assignment: lambda obj: obj.focus_area.plan,
    Activity: lambda obj: obj.plan,
    Indicator: lambda obj: obj.plan,
    IndicatorTarget: lambda obj: obj.indicator.plan,
    PlanSection: lambda obj: obj.plan,
    Milestone: lambda obj: obj.plan,
    PreparationStep: lambda obj: obj.milestone.plan,
}

for _model, _plan_of in PLAN_OF.items():
    register_restore_guard(_model, lambda obj, plan_of=_plan_of: _refuse_if_decided(plan_of(obj)))
register_restore_guard(Plan, _refuse_decisions)
register_restore_guard(StageTransition, _refuse_decisions)
