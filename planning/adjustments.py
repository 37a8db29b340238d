"""The plan's adjustments ("Justeringar"): what changed between two stages of one plan, or between two years.

Two ways to compare:

* **since a stage** (``since_stage="dialogue"``): the plan as it stood when it entered the stage (read back from
  history, see :mod:`planning.history`) against the plan now; items are the same objects, matched by id;
* **against another plan** (``against=plan.previous``): last year's plan against this one, items matched by lineage
  (``origin``, the item each one was copied from when the plan was rolled; followed through the years in between).

At every level (focus areas, goals, assignments, activities, indicators, sections) an item is *added*, *removed*,
*reworded* (its title changed) or *moved* (its parent changed), and the counts before and after are compared.
Between years, last year's finished activities are left out (rolling does not carry them over; they are not
adjustments), and items without lineage (sections; plans entered by hand) are matched by their title.
Other apps add their own entries with :func:`register_adjustments` in their ``AppConfig.ready``; ``planning`` never
imports them. Internal control adds the risks added to or removed from the control plan. The budget app is meant to
add its totals the same way (a builder returning entries with ``level="budget"``, e.g. "Nettobudgeten ändras från
820 till 850 mnkr."); nothing here depends on it.

The sentences are document text: Swedish, like the "Justeringar" list of seed 001, whatever the interface language,
because they go into the plan document as written. They are kept together in ``SENTENCES`` below.
"""

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from planning.choices import ActivityStatus, Stage
from planning.history import LEVEL_KEYS, LEVELS, PlanSnapshot, StageNeverEntered, plan_snapshot, stage_moment
from planning.models import Plan

# --- Document text (Swedish, the language of the plan documents; not translated) ----------------------------------
# Placeholders: {title} the item's (new) title, {old} its earlier title, {parent} the title of the item it sits
# under, {old_parent}/{new_parent} before and after a move, {before}/{after}/{noun} for counts.
SENTENCES = {
    ("reworded", "focus_area"): "Fokusområdet {old} byter namn till {title}",
    ("reworded", "goal"): "Målformulering ändrad till {title}",
    ("reworded", "assignment"): "Uppdragsformulering ändrad till {title}",
    ("reworded", "activity"): "Aktivitet omformulerad till {title}",
    ("reworded", "indicator"): "Indikatorn {old} byter namn till {title}",
    ("reworded", "section"): "Avsnittet {old} byter rubrik till {title}",
    ("added", "focus_area"): "Ett fokusområde läggs till: {title}",
    ("added", "goal"): "Ett mål läggs till under fokusområdet {parent}: {title}",
    ("added", "assignment"): "Ett uppdrag läggs till under {parent_kind} {parent}: {title}",
    ("added", "activity"): "En aktivitet läggs till under {parent_kind} {parent}: {title}",
    ("added", "indicator"): "En indikator läggs till: {title}",
    ("added", "section"): "Ett avsnitt läggs till: {title}",
    ("removed", "focus_area"): "Fokusområdet {title} tas bort",
    ("removed", "goal"): "Ett mål tas bort under fokusområdet {parent}: {title}",
    ("removed", "assignment"): "Ett uppdrag tas bort under {parent_kind} {parent}: {title}",
    ("removed", "activity"): "En aktivitet tas bort under {parent_kind} {parent}: {title}",
    ("removed", "indicator"): "En indikator tas bort: {title}",
    ("removed", "section"): "Avsnittet {title} tas bort",
    ("moved", "goal"): "Målet {title} flyttas från fokusområdet {old_parent} till fokusområdet {new_parent}",
    ("moved", "assignment"): "Uppdraget {title} flyttas från {old_parent_kind} {old_parent} till {new_parent_kind} "
    "{new_parent}",
    ("moved", "activity"): "Aktiviteten {title} flyttas från {old_parent_kind} {old_parent} till {new_parent_kind} "
    "{new_parent}",
    "count": "Från {before} till {after} {noun} i planen",
}
# "under fokusområdet …", "under uppdraget …", "under avsnittet …"
PARENT_KINDS = {"focus_area": "fokusområdet", "assignment": "uppdraget", "section": "avsnittet"}
# (singular, plural) for the counts
NOUNS = {
    "focus_area": ("fokusområde", "fokusområden"),
    "goal": ("mål", "mål"),
    "assignment": ("uppdrag", "uppdrag"),
    "activity": ("aktivitet", "aktiviteter"),
    "indicator": ("indikator", "indikatorer"),
    "section": ("avsnitt", "avsnitt"),
}


def sentence(text: str) -> str:
    """One bullet of the list: trimmed, ending with a full stop (not doubled after a title that has one)."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


# --- Results ------------------------------------------------------------------------------------------------------

KINDS = ["reworded", "moved", "added", "removed"]


@dataclass
class Adjustment:
    """One line of the list. ``old_id``/``new_id`` are the item in the earlier and in the later version (the same
    id when comparing stages of one plan)."""

    kind: str  # reworded | moved | added | removed | count | changed (other apps may add kinds of their own)
    level: str  # focus_area | goal | assignment | activity | indicator | section | risk | budget | …
    text: str
    old: str | None = None
    new: str | None = None
    old_id: int | None = None
    new_id: int | None = None
    source: str = "planning"


@dataclass
class Comparison:
    """What is compared, as given to other apps' builders: either ``moment`` (a stage of ``plan``) or ``against``."""

    plan: Plan
    since_stage: str | None = None
    moment: datetime.datetime | None = None
    against: Plan | None = None

    @property
    def mode(self) -> str:
        return "stage" if self.moment is not None else "year"


@dataclass
class Adjustments:
    comparison: Comparison
    entries: list[Adjustment] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return bool(self.entries)

    @property
    def lines(self) -> list[str]:
        """The sentences, in order: what the plan PDF prints under "Justeringar"."""
        return [entry.text for entry in self.entries]

    def as_dict(self) -> dict:
        c = self.comparison
        return {
            "plan": c.plan.key,
            "mode": c.mode,
            "since_stage": c.since_stage,
            "moment": c.moment.isoformat() if c.moment else None,
            "against": c.against.key if c.against else None,
            "has_changes": self.has_changes,
            "entries": [asdict(entry) for entry in self.entries],
            "counts": self.counts,
        }


class AdjustmentError(ValueError):
    """The comparison cannot be made (a stage the plan never entered, no plan to compare with)."""


# --- Other apps' contributions ------------------------------------------------------------------------------------

AdjustmentBuilder = Callable[[Comparison], list[Adjustment]]
_builders: dict[str, AdjustmentBuilder] = {}


def register_adjustments(key: str, builder: AdjustmentBuilder) -> None:
    """Add entries from another app (``key`` names it, e.g. "internal_control", "budget"). The builder gets the
    :class:`Comparison` and returns :class:`Adjustment` entries; entries of kind "count" go last with planning's."""
    _builders[key] = builder


# --- The comparison -----------------------------------------------------------------------------------------------


def plan_adjustments(*, plan: Plan, since_stage: str | None = None, against: Plan | None = None) -> Adjustments:
    """The adjustments of ``plan`` since it entered ``since_stage``, or against the plan ``against`` (by default
    ``plan.previous``). Raises :class:`AdjustmentError` with a message for people when it cannot compare."""
    if since_stage and against:
        raise AdjustmentError(_("Compare either since a stage or against another plan, not both."))
    if since_stage:
        if since_stage not in Stage.values:
            raise AdjustmentError(
                _("Unknown stage %(stage)s; choose one of %(stages)s.")
                % {"stage": since_stage, "stages": ", ".join(Stage.values)}
            )
        try:
            moment = stage_moment(plan, since_stage)
        except StageNeverEntered as error:
            raise AdjustmentError(str(error)) from error
        comparison = Comparison(plan=plan, since_stage=since_stage, moment=moment)
        old, new = plan_snapshot(plan, at=moment), plan_snapshot(plan)
        translate = _identity
    else:
        against = against or plan.previous
        if against is None:
            raise AdjustmentError(_("The plan %(plan)s has no previous plan to compare with.") % {"plan": plan.key})
        if against.pk == plan.pk:
            raise AdjustmentError(_("Compare the plan with another plan, not with itself."))
        comparison = Comparison(plan=plan, against=against)
        old, new = plan_snapshot(against), plan_snapshot(plan)
        # Activities finished last year end with it: they are not carried over, and not adjustments of this year.
        old.items["activity"] = {pk: a for pk, a in old.items["activity"].items() if a.status != ActivityStatus.DONE}
        translate = _lineage(plan, against, old, new)
    result = Adjustments(comparison=comparison)
    counts = []
    for level in LEVEL_KEYS:
        result.entries += _level_entries(level, old, new, translate)
        before, after = old.count(level), new.count(level)
        result.counts[level] = {"before": before, "after": after}
        if before != after:
            noun = NOUNS[level][0 if after == 1 else 1]
            text = SENTENCES["count"].format(before=before, after=after, noun=noun)
            counts.append(Adjustment(kind="count", level=level, text=sentence(text), old=str(before), new=str(after)))
    for builder in _builders.values():
        for entry in builder(comparison):
            (counts if entry.kind == "count" else result.entries).append(entry)
    result.entries += counts
    return result


def document_adjustments(plan: Plan) -> Adjustments | None:
    """The list a plan document prints: since the dialogue once the plan is past it, otherwise against last year's
    plan; None when there is nothing to compare with. For the plan PDF."""
    if plan.stage in (Stage.PROPOSAL, Stage.DECIDED):
        try:
            return plan_adjustments(plan=plan, since_stage=Stage.DIALOGUE)
        except AdjustmentError:
            pass
    if plan.previous_id:
        return plan_adjustments(plan=plan, against=plan.previous)
    return None


Translate = Callable[[str, int], int | None]


def _identity(level: str, pk: int) -> int | None:
    return pk


def _lineage(plan: Plan, against: Plan, old: PlanSnapshot, new: PlanSnapshot) -> Translate:
    """Map an item of ``plan`` to the item of ``against`` it descends from (``origin``, through the plans between
    them when ``against`` is further back than ``plan.previous``). Items without lineage are matched by title."""
    chain = [new]
    cursor = plan
    while cursor.previous_id and cursor.previous_id != against.pk and len(chain) < 50:
        cursor = Plan.objects.select_related("unit").get(pk=cursor.previous_id)
        chain.append(plan_snapshot(cursor))
    maps: dict[str, dict[int, int]] = {}
    for level in LEVELS:
        mapping: dict[int, int] = {}
        if level.has_origin:
            for item in new.items[level.key].values():
                pk = item.id
                for step in chain:
                    current = step.items[level.key].get(pk)
                    pk = current.origin_id if current else None
                    if pk is None:
                        break
                if pk is not None and pk in old.items[level.key]:
                    mapping[item.id] = pk
        # Items without lineage (sections, which have no origin; plans entered by hand or loaded from documents):
        # the same title at the same level is the same item.
        taken = set(mapping.values())
        unmatched: dict[str, list[int]] = {}
        for item in old.ordered(level.key):
            if item.id not in taken:
                unmatched.setdefault(" ".join(item.title.split()), []).append(item.id)
        for item in new.ordered(level.key):
            title = " ".join(item.title.split())
            if item.id not in mapping and (not level.has_origin or item.origin_id is None) and unmatched.get(title):
                mapping[item.id] = unmatched[title].pop(0)
        maps[level.key] = mapping

    def translate(level: str, pk: int) -> int | None:
        return maps[level].get(pk)

    return translate


def _parent_key(parent, translate: Translate):
    if parent is None:
        return None
    return (parent[0], translate(parent[0], parent[1]))


def _level_entries(level: str, old: PlanSnapshot, new: PlanSnapshot, translate: Translate) -> list[Adjustment]:
    found: dict[str, list[tuple[tuple, Adjustment]]] = {kind: [] for kind in KINDS}
    matched = set()
    for item in new.ordered(level):
        old_id = translate(level, item.id)
        before = old.items[level].get(old_id) if old_id is not None else None
        position = new.position(item)
        if before is None:
            text = _text("added", level, title=item.title, parent_key=item.parent, snapshot=new)
            found["added"].append((position, Adjustment("added", level, text, new=item.title, new_id=item.id)))
            continue
        matched.add(before.id)
        if " ".join(before.title.split()) != " ".join(item.title.split()):
            text = _text("reworded", level, title=item.title, old=before.title)
            entry = Adjustment("reworded", level, text, old=before.title, new=item.title, old_id=before.id)
            entry.new_id = item.id
            found["reworded"].append((position, entry))
        if item.parent is not None and _parent_key(item.parent, translate) != before.parent:
            text = _moved_text(level, item.title, old.title(before.parent), new.title(item.parent), before, item)
            entry = Adjustment(
                "moved", level, text, old=old.title(before.parent), new=new.title(item.parent), old_id=before.id
            )
            entry.new_id = item.id
            found["moved"].append((position, entry))
    for item in old.ordered(level):
        if item.id not in matched:
            text = _text("removed", level, title=item.title, parent_key=item.parent, snapshot=old)
            found["removed"].append((old.position(item), Adjustment("removed", level, text, old=item.title)))
            found["removed"][-1][1].old_id = item.id
    return [entry for kind in KINDS for _, entry in sorted(found[kind], key=lambda pair: pair[0])]


def _text(kind, level, *, title, old=None, parent_key=None, snapshot=None) -> str:
    template = SENTENCES[(kind, level)]
    parent = snapshot.title(parent_key) if snapshot is not None and parent_key else ""
    parent_kind = PARENT_KINDS.get(parent_key[0], "") if parent_key else ""
    return sentence(template.format(title=title, old=old or "", parent=parent, parent_kind=parent_kind))


def _moved_text(level, title, old_parent, new_parent, before, item) -> str:
    template = SENTENCES.get(("moved", level), "{title}")
    return sentence(
        template.format(
            title=title,
            old_parent=old_parent,
            new_parent=new_parent,
            old_parent_kind=PARENT_KINDS.get(before.parent[0], "") if before.parent else "",
            new_parent_kind=PARENT_KINDS.get(item.parent[0], "") if item.parent else "",
        )
    )
