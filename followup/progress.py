"""How far a follow-up report has come: what is entered and what is missing, per section and per responsible unit.

Read only, in a fixed number of queries whatever the size of the plan (one per kind of thing a report asks for:
texts, assignments, activities, indicators, controls). What a report asks for:

- every text of :class:`followup.choices.TextKey`, in the section it belongs to;
- a status for every assignment (goal management) and for every activity of the work-environment and competence
  plans (quality management);
- an outcome for every indicator of the employees area (other indicators are printed only when followed up);
- a result for every control of the internal-control plan that is reported in the report's period.

:func:`report_rows` lists the three reports of plans (started or not) with their deadlines, in two queries.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followup.choices import TEXT_SECTIONS, ReportingPeriod, ReportStatus, Section, TextKey
from followup.models import REPORT_TITLES, FollowUpReport, IndicatorOutcome, Period, ReportText, StatusUpdate
from internalcontrol.models import PERIOD_FIELDS, Control, ControlResult
from planning.choices import IndicatorArea, SectionKind
from planning.models import Activity, Assignment, Indicator

ACTIVITY_SECTION_KINDS = (SectionKind.WORK_ENVIRONMENT, SectionKind.COMPETENCE)


@dataclass
class Item:
    """One thing the report asks for, entered or not, with the page where it is entered."""

    title: str
    done: bool
    url: str
    unit: object = None  # the responsible unit (assignments and activities), or None


class Counted:
    """What is entered (``done``) of ``total``, and the ``missing`` items, over ``self.items``."""

    items: list[Item]

    @property
    def done(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def missing(self) -> list[Item]:
        return [item for item in self.items if not item.done]

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass
class Part(Counted):
    label: str
    items: list[Item]


@dataclass
class UnitProgress(Counted):
    """The assignments and activities one unit is responsible for (``unit`` None: nobody is named)."""

    unit: object
    items: list[Item] = field(default_factory=list)


@dataclass
class SectionProgress(Counted):
    section: Section
    parts: list[Part]

    @property
    def items(self) -> list[Item]:
        return [item for part in self.parts for item in part.items]


@dataclass
class ReportProgress(Counted):
    sections: list[SectionProgress]
    units: list[UnitProgress]

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]


def entry_url(report: FollowUpReport, section: Section, anchor: str) -> str:
    """The entry form of something in the report's ``section`` (the section's page, at the form's ``anchor``)."""
    return reverse("followup:report_section", kwargs={**report.url_kwargs(), "section": section.value}) + "#" + anchor


def report_progress(report: FollowUpReport) -> ReportProgress:
    texts = _texts(report)
    units: dict[int | None, UnitProgress] = {}
    parts = {
        Section.GOALS: [_reported_items(report, "assignment", units)],
        Section.QUALITY: [_reported_items(report, "activity", units)],
        Section.EMPLOYEES: [_indicators(report)],
        Section.INTERNAL_CONTROL: [_controls(report)],
    }
    sections = [
        SectionProgress(section, ([texts[section]] if section in texts else []) + parts.get(section, []))
        for section in Section
    ]
    ordered = sorted(units.values(), key=lambda u: (u.unit is None, (u.unit.order, u.unit.name) if u.unit else ()))
    return ReportProgress(sections, ordered)


def _texts(report) -> dict[Section, Part]:
    written = set(ReportText.objects.filter(report=report).exclude(body="").values_list("key", flat=True))
    parts: dict[Section, Part] = {}
    for key in TextKey:
        section = TEXT_SECTIONS[key]
        item = Item(str(key.label), key.value in written, entry_url(report, section, f"text-{key.value}"))
        parts.setdefault(section, Part(_("Texts"), [])).items.append(item)
    return parts


def _reported_items(report, kind: str, units: dict) -> Part:
    """Assignments (``kind`` "assignment") or the work-environment and competence activities, with or without a
    status at the report; each is also counted for its responsible unit in ``units``."""
    status = StatusUpdate.objects.filter(report=report)
    if kind == "assignment":
        section, label = Section.GOALS, _("Assignments with a status")
        queryset = Assignment.objects.in_plan(report.plan).annotate(
            done=Exists(status.filter(assignment=OuterRef("pk")))
        )
    else:
        section, label = Section.QUALITY, _("Work-environment and competence activities with a status")
        queryset = (
            Activity.objects.filter(section__plan=report.plan, section__kind__in=ACTIVITY_SECTION_KINDS)
            .order_by("section__order", "section__pk", "order", "pk")
            .annotate(done=Exists(status.filter(activity=OuterRef("pk"))))
        )
    part = Part(label, [])
    for obj in queryset.select_related("responsible_unit"):
        unit = obj.responsible_unit
        item = Item(obj.title, obj.done, entry_url(report, section, f"status-{kind}-{obj.pk}"), unit)
        part.items.append(item)
        units.setdefault(unit.pk if unit else None, UnitProgress(unit)).items.append(item)
    return part


def _indicators(report) -> Part:
    outcomes = IndicatorOutcome.objects.filter(report=report, indicator=OuterRef("pk"), value__isnull=False)
    indicators = Indicator.objects.filter(plan=report.plan, area=IndicatorArea.EMPLOYEES).annotate(
        done=Exists(outcomes)
    )
    return Part(
        _("Indicator outcomes entered"),
        [Item(i.name, i.done, entry_url(report, Section.EMPLOYEES, f"indicator-{i.pk}")) for i in indicators],
    )


def _controls(report) -> Part:
    """The controls reported in the report's period (``Control.is_due_in``), with or without a result for it."""
    period = report.period.code
    results = ControlResult.objects.filter(control=OuterRef("pk"), period=period)
    controls = Control.objects.filter(
        selected_risk__control_plan__plan=report.plan, **{PERIOD_FIELDS[period]: True}
    ).annotate(done=Exists(results))
    return Part(
        _("Controls of the period with a result"),
        [
            Item(c.title, c.done, reverse("internalcontrol:result_entry", kwargs={"pk": c.pk, "period": period}))
            for c in controls
        ],
    )


# The reports of plans, started or not -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A report's deadline for the units' input, and whether it has passed while the report is still a draft
    (``days`` past or left)."""

    date: datetime.date | None
    overdue: bool = False
    days: int = 0

    @classmethod
    def of(cls, date: datetime.date | None, status: str, today: datetime.date | None = None) -> "Deadline":
        if date is None or status != ReportStatus.DRAFT:  # the deadline is for the writers' input
            return cls(date)
        days = ((today or timezone.localdate()) - date).days
        return cls(date, overdue=days > 0, days=abs(days))


@dataclass
class ReportRow:
    """One period of a plan: its report if started, the title it has or will have, and the deadline."""

    plan: object
    period: ReportingPeriod
    report: FollowUpReport | None
    deadline: Deadline

    @property
    def title(self) -> str:
        return str(REPORT_TITLES[self.period]) % {"year": self.plan.year}


def report_rows(plans) -> dict[int, list[ReportRow]]:
    """``{plan pk: [T1, T2, T3 rows]}`` for ``plans``; a report not started has the deadline it will get."""
    plans = list(plans)
    years = {plan.year for plan in plans}
    reports = FollowUpReport.objects.filter(plan__in=plans).select_related("period")
    started = {(report.plan_id, report.period.code): report for report in reports}
    deadlines = {(p.year, p.code): p.deadline for p in Period.objects.filter(year__in=years)}
    rows = {}
    for plan in plans:
        rows[plan.pk] = []
        for period in ReportingPeriod:
            report = started.get((plan.pk, period.value))
            if report is not None:
                report.plan = plan
            deadline = deadlines.get((plan.year, period.value), Period.default_deadline(plan.year, period.value))
            status = report.status if report else ReportStatus.DRAFT
            rows[plan.pk].append(ReportRow(plan, period, report, Deadline.of(deadline, status)))
    return rows
