"""The report's entry pages: one page per chapter of the report (seed 004's order), each with the forms of what is
written at follow-up, saved one form at a time with htmx, or with a plain POST without script.

Every form is an :class:`Entry`: the form (unbound on the page, bound when posted), whether the user may edit it (the
``followup`` rules; an approved report is read-only for everyone) and what a reader sees instead. Entries render
through ``followup/partials/entry.html``. A save answers htmx with that partial: saved (200, "Saved." and the new
version), invalid (400) or stale (409, naming who changed what), and a plain POST with a redirect back to the section,
or the form alone with its errors. Each page reads its data in a fixed number of queries, whatever the plan's size.
"""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from budget.calculations import OutcomeRow, outcome_table, total
from budget.models import BudgetColumn, Forecast, Investment, InvestmentForecast
from core.choices import Role
from core.formatting import MONTHS_FULL, sv_money
from core.forms import add_errors
from core.permissions import can, unit_ids_for
from core.versioning import StaleVersion
from core.views import PermissionMixin
from followup import services
from followup.choices import TEXT_SECTIONS, Section, TextKey
from followup.document import contributes_sentence
from followup.forms import (
    AssessmentForm,
    BreakdownFormSet,
    ForecastForm,
    IndicatorOutcomeForm,
    ItemFilterForm,
    StatusForm,
    TextForm,
)
from followup.models import FollowUpReport, IndicatorOutcome, ReportText, StatusUpdate
from internalcontrol.models import Control, ControlPlan, ControlResult
from planning.choices import Direction, IndicatorArea, SectionKind
from planning.documents import indicator_value_text
from planning.models import Activity, Assignment, Indicator
from planning.tree import TreeBuilder, TreeFilters, plan_tree

ENTRY_TEMPLATE = "followup/partials/entry.html"
PLAN_SECTIONS = (SectionKind.WORK_ENVIRONMENT, SectionKind.COMPETENCE)


@dataclass
class Entry:
    dom_id: str
    url: str
    name: str  # what is edited: the button and a group's legend name it
    form: forms.Form
    editable: bool
    shown: list[tuple[str, str]]  # what a reader sees instead of the form: (label, text)
    fieldset: bool = False  # several fields: a fieldset with ``name`` as its legend
    note: str = ""  # a line shown above the form and to readers
    formset: forms.BaseFormSet | None = None
    saved: bool = False

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        return (self.formset is None or self.formset.is_valid()) and valid

    def focus_first_error(self) -> None:
        """After a refused save, focus lands on the first field in error (htmx focuses ``[autofocus]``)."""
        for form in [self.form, *(self.formset or [])]:
            for name in form.errors:
                if name in form.fields:
                    form.fields[name].widget.attrs["autofocus"] = True
                    return


def entry_url(name: str, report: FollowUpReport, **kwargs) -> str:
    return reverse(f"followup:{name}", kwargs={**report.url_kwargs(), **kwargs})


def may(user, action: str, obj, report) -> bool:
    """Whether the form is offered: the rule, and never on an approved report (not even to superusers, whom every
    rule lets through; the services refuse them)."""
    return not report.is_approved and can(user, action, obj)


def version_of(obj) -> int:
    """The version a form carries: 0 when there is no row yet."""
    return obj.version if obj is not None and obj.pk else 0


def text_entry(report, text: ReportText, user, data=None) -> Entry:
    key = TextKey(text.key)
    form = TextForm(
        data, initial={"body": text.body, "version": version_of(text)}, label=key.label, auto_id=f"text-{key}-%s"
    )
    return Entry(
        dom_id=f"text-{key}",
        url=entry_url("report_text", report, key=key.value),
        name=key.label,
        form=form,
        editable=may(user, "followup.change_text", text, report),
        shown=[(key.label, text.body or _("Nothing written yet."))],
    )


def assessment_entry(report, user, data=None) -> Entry:
    form = AssessmentForm(
        data, initial={"assessment": report.assessment, "version": report.version}, auto_id="assessment-%s"
    )
    label = form.fields["assessment"].label
    return Entry(
        dom_id="assessment",
        url=entry_url("report_assessment", report),
        name=label,
        form=form,
        editable=may(user, "followup.change_report", report, report),
        shown=[(label, report.get_assessment_display() or _("Not assessed yet"))],
    )


def status_entry(report, item: Assignment | Activity, update: StatusUpdate | None, user, data=None) -> Entry:
    kind = "assignment" if isinstance(item, Assignment) else "activity"
    update = update or StatusUpdate()
    update.report = report
    setattr(update, kind, item)  # the rule reads the item's units: no query per item
    form = StatusForm(
        data,
        initial={"status": update.status, "comment": update.comment, "version": version_of(update)},
        item=item.title,
        auto_id=f"status-{kind}-{item.pk}-%s",
    )
    return Entry(
        dom_id=f"status-{kind}-{item.pk}",
        url=entry_url("report_status", report, kind=kind, pk=item.pk),
        name=item.title,
        form=form,
        editable=may(user, "followup.change_status", update, report),
        fieldset=True,
        shown=[
            (_("Status"), update.get_status_display() or _("No status reported")),
            (_("Comment"), update.comment or "–"),
        ],
    )


def meets_target(value, target, direction) -> bool:
    return value >= target if direction == Direction.HIGHER else value <= target


def indicator_verdict(indicator: Indicator, value, year: int) -> str:
    """The target of the year, and whether the outcome meets it, in words."""
    target = indicator.target_for(year)
    if target is None:
        return _("No target for %(year)s.") % {"year": year}
    parts = [_("Target %(year)s: %(target)s.") % {"year": year, "target": indicator_value_text(target, indicator.unit)}]
    if value is None:
        parts.append(_("No outcome entered yet."))
    else:
        meets = meets_target(value, target, indicator.direction)
        message = (
            _("The outcome %(value)s meets the target (%(direction)s).")
            if meets
            else _("The outcome %(value)s does not meet the target (%(direction)s).")
        )
        direction = str(Direction(indicator.direction).label).lower()
        parts.append(message % {"value": indicator_value_text(value, indicator.unit), "direction": direction})
    return " ".join(parts)


def indicator_entry(report, indicator: Indicator, outcome: IndicatorOutcome | None, user, data=None) -> Entry:
    rows = list(outcome.breakdown.all()) if outcome else []
    value = outcome.value if outcome else None
    analysis = outcome.analysis if outcome else ""
    dom_id = f"indicator-{indicator.pk}"
    form = IndicatorOutcomeForm(
        data,
        initial={"value": value, "analysis": analysis, "version": version_of(outcome)},
        indicator=indicator.name,
        auto_id=f"{dom_id}-%s",
    )
    formset = BreakdownFormSet(
        data,
        initial=[{"dimension": row.dimension, "label": row.label, "value": row.value} for row in rows],
        prefix="breakdown",
        auto_id=f"{dom_id}-%s",
    )
    groups = "; ".join(f"{row.label}: {indicator_value_text(row.value, indicator.unit)}" for row in rows)
    return Entry(
        dom_id=dom_id,
        url=entry_url("report_indicator", report, pk=indicator.pk),
        name=indicator.name,
        form=form,
        formset=formset,
        editable=may(user, "followup.change_indicator_outcome", report, report),
        fieldset=True,
        note=indicator_verdict(indicator, value, report.plan.year),
        shown=[
            (_("Outcome"), indicator_value_text(value, indicator.unit) or "–"),
            (_("Analysis"), analysis or "–"),
            (str(formset.form.base_fields["dimension"].label), groups or "–"),
        ],
    )


def forecast_entry(report, target: BudgetColumn | Investment, forecast, user, data=None) -> Entry:
    """The full-year forecast of a budget column (net cost) or an investment, made after the report's last month."""
    kind = "column" if isinstance(target, BudgetColumn) else "investment"
    if kind == "column":
        label = _("Full-year forecast of %(name)s, net cost in tkr") % {"name": target.name}
    else:
        label = _("Full-year forecast of %(name)s in tkr") % {"name": target.name}
    amount = forecast.amount if forecast else None
    return Entry(
        dom_id=f"forecast-{kind}-{target.pk}",
        url=entry_url("report_forecast", report, kind=kind, pk=target.pk),
        name=label,
        form=ForecastForm(
            data,
            initial={"amount": amount, "version": version_of(forecast)},
            label=label,
            auto_id=f"forecast-{kind}-{target.pk}-%s",
        ),
        editable=may(user, "followup.change_economy", report, report),
        shown=[(label, sv_money(amount, "tkr") or "–")],
    )


# Pages ------------------------------------------------------------------------------------------------------------


class ReportMixin(PermissionMixin):
    """Views of one report, addressed as ``plans/<unit>/<year>/reports/<period>/``."""

    permission_action = "followup.view_report"

    def get_report(self) -> FollowUpReport:
        if not hasattr(self, "_report"):
            self._report = get_object_or_404(
                FollowUpReport.objects.with_plan().by_key(
                    self.kwargs["unit"], self.kwargs["year"], self.kwargs["period"]
                )
            )
        return self._report

    def get_permission_object(self):
        return self.get_report()

    def report_context(self, **kwargs) -> dict:
        report = self.get_report()
        return {"report": report, "plan": report.plan, **kwargs}


def section_url(report, section: Section) -> str:
    return entry_url("report_section", report, section=section.value)


@dataclass
class ColumnLine:
    """A budget column in the economy table, with the forecast form and the change since the previous forecast."""

    row: OutcomeRow
    entry: Entry
    current: Decimal | None  # the forecast made after this report's last month
    previous: Decimal | None  # the latest one made before it

    @property
    def change(self) -> Decimal | None:
        """How much the forecast deviation changed (positive: the forecast improved)."""
        if self.current is None or self.previous is None:
            return None
        return self.previous - self.current


def forecasts_by(queryset, field: str, month: int) -> dict[int, tuple]:
    """``id → (the forecast made after month or None, the amount of the latest made before it or None)``."""
    found: dict[int, tuple] = {}
    for forecast in queryset.filter(month__lte=month).order_by("month"):
        current, previous = found.get(getattr(forecast, field), (None, None))
        if forecast.month == month:
            current = forecast
        else:
            previous = forecast.amount
        found[getattr(forecast, field)] = (current, previous)
    return found


class SectionView(ReportMixin, TemplateView):
    """One chapter of the report: what is computed from the other apps, read-only, and the forms of what is written."""

    def get_template_names(self):
        return [f"followup/section_{self.kwargs['section']}.html"]

    def get_context_data(self, **kwargs):
        section = Section(self.kwargs["section"])
        report, user = self.get_report(), self.request.user
        keys = [key.value for key, in_section in TEXT_SECTIONS.items() if in_section == section]
        saved = {text.key: text for text in report.texts.filter(key__in=keys)} if keys else {}
        texts = {key: text_entry(report, saved.get(key) or ReportText(report=report, key=key), user) for key in keys}
        kwargs.update(self.report_context(section=section, texts=texts, **getattr(self, section.value)(report, user)))
        return super().get_context_data(**kwargs)

    def summary(self, report, user) -> dict:
        return {"assessment": assessment_entry(report, user)}

    def statuses(self, report) -> dict:
        return {(u.assignment_id, u.activity_id): u for u in report.status_updates.all()}

    def with_status(self, report, user, node, statuses, level=0) -> None:
        """Attach a status entry to an assignment or activity node and, for assignments, to everything below it."""
        key = (node.obj.pk, None) if node.kind == "assignment" else (None, node.obj.pk)
        node.update = statuses.get(key)
        node.entry = status_entry(report, node.obj, node.update, user)
        node.level = min(level, 6)
        if node.kind == "assignment":
            node.contributes = contributes_sentence(node.obj)
            for child in [*node.activities, *node.children]:
                self.with_status(report, user, child, statuses, level + 1)

    def goals(self, report, user) -> dict:
        """Every assignment, under its focus area and goal as the plan tree shows them, with its activities."""
        form = ItemFilterForm(self.request.GET or None, auto_id="filter-%s")
        chosen = form.cleaned_data if form.is_valid() else {}
        statuses = self.statuses(report)
        areas = [node for node in plan_tree(report.plan, user) if node.kind == "focus_area"]
        for area in areas:
            for child in area.children:
                for node in child.children if child.kind == "goal" else [child]:
                    self.with_status(report, user, node, statuses, level=5 if child.kind == "goal" else 4)
        if chosen.get("mine") or chosen.get("missing"):
            areas = prune(areas, item_filter(user, chosen))
        return {"areas": areas, "filter_form": form, "filtered": bool(chosen.get("mine") or chosen.get("missing"))}

    def quality(self, report, user) -> dict:
        """The activities of the plan's work-environment and competence plans."""
        builder = TreeBuilder(report.plan, user, TreeFilters())
        builder.load_sections()
        builder.load_section_activities()
        plan_sections = [node for node in builder.section_nodes() if node.obj.kind in PLAN_SECTIONS]
        statuses = self.statuses(report)
        for node in plan_sections:
            for activity in node.activities:
                self.with_status(report, user, activity, statuses)
        return {"plan_sections": plan_sections}

    def employees(self, report, user) -> dict:
        """Every indicator of the plan, the employees' first."""
        outcomes = {o.indicator_id: o for o in report.indicator_outcomes.prefetch_related("breakdown")}
        indicators = sorted(
            report.plan.indicators.prefetch_related("targets"),
            key=lambda i: (i.area != IndicatorArea.EMPLOYEES, i.area, i.order, i.pk),
        )
        return {"indicators": [(i, indicator_entry(report, i, outcomes.get(i.pk), user)) for i in indicators]}

    def economy(self, report, user) -> dict:
        plan, month = report.plan, report.end_month
        table = outcome_table(plan, month)
        made = forecasts_by(Forecast.objects.filter(column__plan=plan), "column_id", month)
        columns = []
        for row, column in zip(table.columns, BudgetColumn.objects.filter(plan=plan), strict=True):
            current, previous = made.get(column.pk, (None, None))
            entry = forecast_entry(report, column, current, user)
            columns.append(ColumnLine(row, entry, current.amount if current else None, previous))
        changes = [line.change for line in columns if line.change is not None]
        invested = forecasts_by(InvestmentForecast.objects.filter(investment__plan=plan), "investment_id", month)
        investments = [
            (row, forecast_entry(report, row.investment, invested.get(row.investment.pk, (None, None))[0], user))
            for row in table.investments
        ]
        return {
            "month_name": MONTHS_FULL[month - 1],
            "table": table,
            "total": table.total,
            "columns": columns,
            "total_change": total(changes) if changes else None,
            "investments": investments,
            "investment_totals": table.investment_totals,
        }

    def internal_control(self, report, user) -> dict:
        """The risks of the plan's control plan with the controls due in this period and their results."""
        period = report.period.code
        try:
            control_plan = report.plan.control_plan
        except ControlPlan.DoesNotExist:
            return {"control_plan": None, "risks": []}
        controls = Control.objects.select_related("responsible_unit").prefetch_related(
            Prefetch("results", queryset=ControlResult.objects.filter(period=period), to_attr="period_results")
        )
        selected = control_plan.selected_risks.select_related("risk").prefetch_related(
            Prefetch("controls", queryset=controls)
        )
        risks = []
        for selected_risk in selected:
            due = [control for control in selected_risk.controls.all() if control.is_due_in(period)]
            for control in due:
                control.result = control.period_results[0] if control.period_results else None
                control.can_enter = can(user, "internalcontrol.enter_result", control)
            if due:
                risks.append((selected_risk.risk, due))
        return {"control_plan": control_plan, "risks": risks}


def item_filter(user, chosen: dict):
    """Whether an assignment or activity node is wanted: its unit's (or its assignment's) is the user's, and/or it
    has no status yet."""
    units = unit_ids_for(user, set(Role.values)) if chosen.get("mine") else None

    def wanted(node) -> bool:
        obj = node.obj
        responsible = {obj.responsible_unit_id}
        if node.kind == "activity" and obj.assignment_id:
            responsible.add(obj.assignment.responsible_unit_id)
        return (units is None or bool(responsible & units)) and not (chosen.get("missing") and node.update)

    return wanted


def prune(nodes, wanted) -> list:
    """The nodes that are wanted or have wanted items below them, with only those items."""
    kept = []
    for node in nodes:
        node.activities = [activity for activity in node.activities if wanted(activity)]
        node.children = prune(node.children, wanted)
        if node.children or node.activities or (node.kind == "assignment" and wanted(node)):
            kept.append(node)
    return kept


# Saving one entry -------------------------------------------------------------------------------------------------


class EntrySaveView(ReportMixin, View):
    """POST one entry. ``get_permission_object`` loads what the entry edits; ``entry(data)`` builds it from that,
    ``save(entry)`` writes it through a service (the form's fields are the service's arguments) and keeps what the
    service returns."""

    http_method_names = ["post"]
    section: Section

    def post(self, request, *args, **kwargs):
        entry = self.entry(request.POST)
        status = 400
        if entry.is_valid():
            try:
                self.save(entry)
            except StaleVersion as stale:
                entry.form.add_error(None, str(stale))
                status = 409
            except ValidationError as error:
                add_errors(entry.form, error)
            else:
                return self.saved()
        entry.focus_first_error()
        template = ENTRY_TEMPLATE if request.htmx else "followup/entry_page.html"
        context = self.report_context(
            entry=entry, section=self.section, section_url=section_url(self.get_report(), self.section)
        )
        return TemplateResponse(request, template, context, status=status)

    def saved(self):
        entry = self.entry(None)
        if not self.request.htmx:
            messages.success(self.request, _("Saved."))
            return redirect(f"{section_url(self.get_report(), self.section)}#{entry.dom_id}")
        entry.saved = True
        return TemplateResponse(self.request, ENTRY_TEMPLATE, {"entry": entry})


class TextSaveView(EntrySaveView):
    permission_action = "followup.change_text"

    def get_permission_object(self):
        report, key = self.get_report(), self.kwargs["key"]
        self.section = TEXT_SECTIONS[TextKey(key)]
        self.text = report.texts.filter(key=key).first() or ReportText(report=report, key=key)
        return self.text

    def entry(self, data):
        return text_entry(self.get_report(), self.text, self.request.user, data)

    def save(self, entry):
        self.text = services.report_text_save(
            report=self.get_report(), key=self.text.key, user=self.request.user, **entry.form.cleaned_data
        )


class AssessmentSaveView(EntrySaveView):
    permission_action = "followup.change_report"
    section = Section.SUMMARY

    def entry(self, data):
        return assessment_entry(self.get_report(), self.request.user, data)

    def save(self, entry):
        services.report_assessment_save(report=self.get_report(), user=self.request.user, **entry.form.cleaned_data)


class StatusSaveView(EntrySaveView):
    permission_action = "followup.change_status"

    def get_permission_object(self):
        report, kind = self.get_report(), self.kwargs["kind"]
        model = Assignment if kind == "assignment" else Activity
        self.item = get_object_or_404(model.objects.with_tree().in_plan(report.plan), pk=self.kwargs["pk"])
        in_plan_section = kind == "activity" and not self.item.assignment_id
        self.section = Section.QUALITY if in_plan_section else Section.GOALS
        self.update = report.status_updates.filter(**{kind: self.item}).first()
        return self.update or StatusUpdate(report=report, **{kind: self.item})

    def entry(self, data):
        return status_entry(self.get_report(), self.item, self.update, self.request.user, data)

    def save(self, entry):
        self.update = services.status_save(
            report=self.get_report(), item=self.item, user=self.request.user, **entry.form.cleaned_data
        )


class IndicatorSaveView(EntrySaveView):
    permission_action = "followup.change_indicator_outcome"
    section = Section.EMPLOYEES

    def get_permission_object(self):
        report = self.get_report()
        self.indicator = get_object_or_404(report.plan.indicators.prefetch_related("targets"), pk=self.kwargs["pk"])
        self.outcome = report.indicator_outcomes.filter(indicator=self.indicator).first()
        return report

    def entry(self, data):
        return indicator_entry(self.get_report(), self.indicator, self.outcome, self.request.user, data)

    def save(self, entry):
        formset = entry.formset
        rows = [form.cleaned_data for form in formset if form.cleaned_data.get("label")]
        self.outcome = services.indicator_outcome_save(
            report=self.get_report(),
            indicator=self.indicator,
            breakdown=rows if formset.has_changed() else None,  # unchanged groups stay as they are
            user=self.request.user,
            **entry.form.cleaned_data,
        )


class ForecastSaveView(EntrySaveView):
    permission_action = "followup.change_economy"
    section = Section.ECONOMY

    def get_permission_object(self):
        report = self.get_report()
        if self.kwargs["kind"] == "column":
            self.target = get_object_or_404(BudgetColumn, plan=report.plan, pk=self.kwargs["pk"])
            self.forecast = Forecast.objects.filter(column=self.target, month=report.end_month).first()
        else:
            self.target = get_object_or_404(Investment.objects.in_plan(report.plan).own(), pk=self.kwargs["pk"])
            self.forecast = InvestmentForecast.objects.filter(investment=self.target, month=report.end_month).first()
        return report

    def entry(self, data):
        return forecast_entry(self.get_report(), self.target, self.forecast, self.request.user, data)

    def save(self, entry):
        self.forecast = services.report_forecast_save(
            report=self.get_report(), target=self.target, user=self.request.user, **entry.form.cleaned_data
        )

    def saved(self):
        """The economy tables on the page listen for this event and reload themselves with the new forecast."""
        response = super().saved()
        if self.request.htmx:
            response["HX-Trigger"] = "forecast-saved"
        return response
