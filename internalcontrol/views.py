import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView

from core.choices import Role
from core.forms import add_errors
from core.permissions import all_units, can, has_role, unit_ids_for, unit_with_descendants
from core.versioning import StaleVersion
from core.views import HistoryView, HtmxPartialMixin, PermissionMixin
from internalcontrol import services
from internalcontrol.choices import OUTCOME_BADGE, ReportingPeriod
from internalcontrol.forms import (
    ActionForm,
    ApproveForm,
    AssessmentForm,
    ControlForm,
    RegisterFilterForm,
    ResultForm,
    RiskForm,
    SelectRiskForm,
)
from internalcontrol.matrix import matrix_svg, movement, risk_analysis
from internalcontrol.models import (
    Action,
    Control,
    ControlResult,
    Risk,
    RiskAssessment,
    RiskScale,
    SelectedRisk,
    not_due_message,
)
from internalcontrol.rules import PLAN_OWNERS, PROPOSERS, control_plan_of
from planning.models import Plan

CONTROL_TREE = ("selected_risk__risk__owner_unit", "selected_risk__control_plan__plan__unit", "responsible_unit")


class ServiceFormMixin:
    """``form_valid`` calls ``save(form)`` (a service); a stale version answers 409 with what changed, a refused
    write 400 with the service's message, both re-rendering the form."""

    success_message = ""

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            obj = self.save(form)
        except StaleVersion as stale:
            form.add_error(None, str(stale))
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message or _("Saved."))
        return redirect(self.success_url_for(obj))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def success_url_for(self, obj):
        return obj.get_absolute_url()


class PlanPageMixin(PermissionMixin):
    """Internal-control pages of one plan, addressed as ``<unit-slug>/<year>``."""

    permission_action = "internalcontrol.view"

    def get_plan(self) -> Plan:
        if not hasattr(self, "_plan"):
            self._plan = get_object_or_404(Plan.objects.by_key(self.kwargs["unit"], self.kwargs["year"]))
        return self._plan

    def get_permission_object(self):
        return self.get_plan()

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        return super().get_context_data(plan=plan, control_plan=control_plan_of(plan), **kwargs)


class IndexView(PermissionMixin, TemplateView):
    permission_action = "internalcontrol.view"
    template_name = "internalcontrol/index.html"

    def get_context_data(self, **kwargs):
        plans = (
            Plan.objects.for_user(self.request.user)
            .select_related("unit", "control_plan")
            .annotate(selected_count=Count("control_plan__selected_risks"))
        )
        return super().get_context_data(
            plans=plans, can_add_risk=can(self.request.user, "internalcontrol.add_risk"), **kwargs
        )


@dataclass
class RegisterRow:
    risk: Risk
    assessment: RiskAssessment | None
    level: str | None
    movement: object
    selected: bool


class RiskListView(HtmxPartialMixin, PermissionMixin, TemplateView):
    """The risk register: every risk with its score for a year, filtered by area, owner unit, level and text."""

    permission_action = "internalcontrol.view"
    template_name = "internalcontrol/risk_list.html"
    partial_template_name = "internalcontrol/partials/risk_table.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        years = sorted(set(RiskAssessment.objects.values_list("year", flat=True)), reverse=True)
        years = years or [datetime.date.today().year]
        form = RegisterFilterForm(self.request.GET or None, years=years, units=all_units(user))
        filters = form.cleaned_data if form.is_valid() else {}
        year = filters.get("year") or years[0]
        risks = (
            Risk.objects.for_user(user)
            .with_register(year)
            .prefetch_related(
                Prefetch(
                    "selections",
                    queryset=SelectedRisk.objects.filter(control_plan__plan__year=year),
                    to_attr="selected_now",
                )
            )
        )
        if filters.get("area"):
            risks = risks.filter(area=filters["area"])
        if filters.get("owner_unit"):
            risks = risks.filter(owner_unit__in=unit_with_descendants(user, filters["owner_unit"]))
        if filters.get("q"):
            risks = risks.filter(title__icontains=filters["q"])
        risks = list(risks)
        scales = RiskScale.objects.by_unit({risk.unit for risk in risks})
        rows = []
        for risk in risks:
            current = risk.current[0] if risk.current else None
            previous = risk.previous[0] if risk.previous else None
            level = scales[risk.unit_id].level(current.score) if current else None
            if filters.get("level") and level != filters["level"]:
                continue
            rows.append(RegisterRow(risk, current, level, movement(current, previous), bool(risk.selected_now)))
        return super().get_context_data(
            form=form,
            year=year,
            rows=rows,
            active=any(filters.get(k) for k in ("area", "owner_unit", "level", "q")),
            can_add_risk=can(user, "internalcontrol.add_risk"),
            **kwargs,
        )


class RiskDetailView(PermissionMixin, DetailView):
    permission_action = "internalcontrol.view"
    template_name = "internalcontrol/risk_detail.html"
    queryset = Risk.objects.select_related(
        "unit", "owner_unit", "goal__focus_area__plan", "assignment__focus_area__plan"
    )

    def get_context_data(self, **kwargs):
        risk, user = self.object, self.request.user
        scale = RiskScale.objects.for_unit(risk.unit)
        assessments = list(risk.assessments.all())
        by_year = {a.year: a for a in assessments}
        rows = [
            {
                "assessment": a,
                "level": scale.level(a.score),
                "movement": movement(a, by_year.get(a.year - 1)),
                "probability_label": scale.probability_label(a.probability),
                "consequence_label": scale.consequence_label(a.consequence),
            }
            for a in assessments
        ]
        selections = risk.selections.select_related("control_plan__plan__unit").prefetch_related(
            Prefetch("controls", queryset=Control.objects.select_related("responsible_unit"))
        )
        may_change = can(user, "internalcontrol.change_risk", risk)
        open_years = []
        if may_change:
            open_years = list(
                Plan.objects.filter(unit=risk.unit).exclude(stage="decided").values_list("year", flat=True)
            )
        return super().get_context_data(
            rows=rows, selections=selections, can_edit=may_change, open_years=sorted(open_years), **kwargs
        )


class RiskCreateView(ServiceFormMixin, PermissionMixin, FormView):
    permission_action = "internalcontrol.add_risk"
    template_name = "internalcontrol/risk_form.html"
    form_class = RiskForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owner_units": unit_ids_for(self.request.user, PROPOSERS)}

    def get_initial(self):
        administration = next((u for u in all_units(self.request.user) if u.kind == "administration"), None)
        return {"unit": administration.pk if administration else None}

    def save(self, form):
        if not can(self.request.user, "internalcontrol.change_risk", form.instance):
            raise PermissionDenied
        return services.risk_create(unit=form.cleaned_data["unit"], data=form.cleaned_data, user=self.request.user)


class RiskUpdateView(ServiceFormMixin, PermissionMixin, FormView):
    permission_action = "internalcontrol.change_risk"
    template_name = "internalcontrol/risk_form.html"
    form_class = RiskForm

    def get_permission_object(self):
        if not hasattr(self, "risk"):
            self.risk = get_object_or_404(Risk.objects.select_related("unit", "owner_unit"), pk=self.kwargs["pk"])
        return self.risk

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.risk,
            "owner_units": unit_ids_for(self.request.user, PROPOSERS),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.risk, **kwargs)

    def save(self, form):
        return services.risk_update(
            risk=self.risk, data=form.cleaned_data, user=self.request.user, version=form.cleaned_data["version"]
        )


class RiskHistoryView(HistoryView):
    permission_action = "internalcontrol.view"
    queryset = Risk.objects.all()


class AssessmentView(ServiceFormMixin, PermissionMixin, FormView):
    """Score a risk for a year: probability and consequence with the organisation's scale words."""

    permission_action = "internalcontrol.assess_risk"
    template_name = "internalcontrol/assessment_form.html"
    form_class = AssessmentForm

    def get_permission_object(self):
        if not hasattr(self, "assessment"):
            risk = get_object_or_404(Risk.objects.select_related("unit"), pk=self.kwargs["pk"])
            year = self.kwargs["year"]
            self.assessment = RiskAssessment.objects.filter(risk=risk, year=year).first() or RiskAssessment(
                risk=risk, year=year
            )
        return self.assessment

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.assessment,
            "scale": RiskScale.objects.for_unit(self.assessment.risk.unit),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(risk=self.assessment.risk, year=self.kwargs["year"], **kwargs)

    def save(self, form):
        return services.assessment_save(
            risk=self.assessment.risk,
            year=self.kwargs["year"],
            data=form.cleaned_data,
            user=self.request.user,
            version=form.cleaned_data["version"],
        )


class ControlPlanView(PlanPageMixin, TemplateView):
    """The year's internal-control plan: each selected risk with its controls, and the calendar of reports."""

    template_name = "internalcontrol/controlplan_detail.html"

    def get_context_data(self, **kwargs):
        plan, user = self.get_plan(), self.request.user
        control_plan = control_plan_of(plan)
        analysis = risk_analysis(plan.unit, plan.year)
        entries = {e.risk.pk: e for e in analysis.entries}
        selected = []
        if control_plan is not None:
            controls = Control.objects.select_related("responsible_unit").prefetch_related("results")
            selected = list(
                control_plan.selected_risks.select_related("risk__owner_unit").prefetch_related(
                    Prefetch("controls", queryset=controls)
                )
            )
        calendar = []
        for item in selected:
            item.control_plan = control_plan
            item.entry = entries.get(item.risk_id)
            item.can_add_control = can(user, "internalcontrol.change_selection", item)
            for control in item.controls.all():
                control.selected_risk = item
                control.can_edit = can(user, "internalcontrol.change_control", control)
                control.can_enter = can(user, "internalcontrol.enter_result", control)
                results = {r.period: r for r in control.results.all()}
                control.cells = [
                    {
                        "period": period,
                        "due": control.is_due_in(period),
                        "result": results.get(period),
                        "badge": OUTCOME_BADGE.get(results[period].outcome) if period in results else None,
                    }
                    for period in ReportingPeriod
                ]
                calendar.append(control)
        return super().get_context_data(
            selected=selected,
            calendar=calendar,
            periods=list(ReportingPeriod),
            can_propose=can(user, "internalcontrol.propose", plan),
            can_approve=can(user, "internalcontrol.approve", plan),
            **kwargs,
        )


class RiskMatrixView(PlanPageMixin, TemplateView):
    template_name = "internalcontrol/risk_matrix.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        analysis = risk_analysis(plan.unit, plan.year)
        return super().get_context_data(analysis=analysis, svg=matrix_svg(analysis), **kwargs)


class SelectRiskView(ServiceFormMixin, PlanPageMixin, FormView):
    permission_action = "internalcontrol.propose"
    template_name = "internalcontrol/select_risk_form.html"
    form_class = SelectRiskForm
    success_message = ""

    def get_form_kwargs(self):
        plan, user = self.get_plan(), self.request.user
        risks = Risk.objects.filter(unit=plan.unit).exclude(selections__control_plan__plan=plan)
        if not has_role(user, PLAN_OWNERS, plan.unit_id):
            risks = risks.filter(owner_unit__in=unit_ids_for(user, {Role.PLANNER}))
        return {**super().get_form_kwargs(), "risks": risks.select_related("owner_unit")}

    def save(self, form):
        services.risk_select(
            plan=self.get_plan(),
            risk=form.cleaned_data["risk"],
            reason=form.cleaned_data["reason"],
            user=self.request.user,
        )
        return self.get_plan()

    def success_url_for(self, plan):
        return reverse("internalcontrol:plan", kwargs=plan.url_kwargs())


class ApproveView(ServiceFormMixin, PlanPageMixin, FormView):
    permission_action = "internalcontrol.approve"
    template_name = "internalcontrol/approve.html"
    form_class = ApproveForm

    def get_initial(self):
        control_plan = control_plan_of(self.get_plan())
        return {"version": control_plan.version if control_plan else None}

    def get_context_data(self, **kwargs):
        control_plan = control_plan_of(self.get_plan())
        selected = []
        if control_plan is not None:
            selected = control_plan.selected_risks.select_related("risk").annotate(control_count=Count("controls"))
        return super().get_context_data(selected=selected, **kwargs)

    def save(self, form):
        control_plan = control_plan_of(self.get_plan())
        if control_plan is None:
            raise ValidationError(_("Select at least one risk before approving the internal-control plan."))
        return services.control_plan_approve(
            control_plan=control_plan, user=self.request.user, version=form.cleaned_data["version"]
        )


class ControlObjectMixin(PermissionMixin):
    def get_control(self) -> Control:
        if not hasattr(self, "_control"):
            self._control = get_object_or_404(Control.objects.select_related(*CONTROL_TREE), pk=self.kwargs["pk"])
        return self._control

    def get_permission_object(self):
        return self.get_control()

    def get_context_data(self, **kwargs):
        control = self.get_control()
        return super().get_context_data(control=control, plan=control.plan, **kwargs)


class ControlDetailView(ControlObjectMixin, TemplateView):
    permission_action = "internalcontrol.view"
    template_name = "internalcontrol/control_detail.html"

    def get_context_data(self, **kwargs):
        control, user = self.get_control(), self.request.user
        results = {r.period: r for r in control.results.all()}
        today = datetime.date.today()
        actions = list(control.actions.select_related("result").not_done_first())
        for action in actions:
            action.overdue = action.is_overdue(today)
        return super().get_context_data(
            periods=[
                {
                    "period": p,
                    "due": control.is_due_in(p),
                    "result": results.get(p),
                    "badge": OUTCOME_BADGE.get(results[p].outcome) if p in results else None,
                }
                for p in ReportingPeriod
            ],
            actions=actions,
            can_edit=can(user, "internalcontrol.change_control", control),
            can_enter=can(user, "internalcontrol.enter_result", control),
            **kwargs,
        )


class ControlCreateView(ServiceFormMixin, PermissionMixin, FormView):
    permission_action = "internalcontrol.change_selection"
    template_name = "internalcontrol/control_form.html"
    form_class = ControlForm

    def get_permission_object(self):
        if not hasattr(self, "selected_risk"):
            self.selected_risk = get_object_or_404(
                SelectedRisk.objects.select_related("risk__owner_unit", "control_plan__plan__unit"),
                pk=self.kwargs["pk"],
            )
        return self.selected_risk

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Control(selected_risk=self.selected_risk)}

    def get_initial(self):
        return {"responsible_unit": self.selected_risk.risk.owner_unit_id}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            selected_risk=self.selected_risk, plan=self.selected_risk.control_plan.plan, **kwargs
        )

    def save(self, form):
        return services.control_create(selected_risk=self.selected_risk, data=form.cleaned_data, user=self.request.user)


class ControlUpdateView(ServiceFormMixin, ControlObjectMixin, FormView):
    permission_action = "internalcontrol.change_control"
    template_name = "internalcontrol/control_form.html"
    form_class = ControlForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_control()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(selected_risk=self.get_control().selected_risk, **kwargs)

    def save(self, form):
        return services.control_update(
            control=self.get_control(),
            data=form.cleaned_data,
            user=self.request.user,
            version=form.cleaned_data["version"],
        )


class ControlHistoryView(HistoryView):
    permission_action = "internalcontrol.view"
    queryset = Control.objects.select_related(*CONTROL_TREE)


class ResultEntryView(ServiceFormMixin, ControlObjectMixin, FormView):
    """Enter a control's result for one reporting period; a period the control is not reported in is refused."""

    permission_action = "internalcontrol.enter_result"
    template_name = "internalcontrol/result_form.html"
    form_class = ResultForm

    def dispatch(self, request, *args, **kwargs):
        if kwargs["period"] not in ReportingPeriod.values:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_result(self):
        control, period = self.get_control(), self.kwargs["period"]
        return ControlResult.objects.filter(control=control, period=period).first() or ControlResult(
            control=control, period=period
        )

    def get_form_kwargs(self):
        if not hasattr(self, "_result"):
            self._result = self.get_result()
        return {**super().get_form_kwargs(), "instance": self._result}

    def get_context_data(self, **kwargs):
        control, period = self.get_control(), self.kwargs["period"]
        return super().get_context_data(
            period=ReportingPeriod(period),
            not_due=None if control.is_due_in(period) else not_due_message(control, period),
            **kwargs,
        )

    def save(self, form):
        data = {**form.cleaned_data, "table": form.cleaned_data["table_text"]}
        return services.result_save(
            control=self.get_control(),
            period=self.kwargs["period"],
            data=data,
            user=self.request.user,
            version=form.cleaned_data["version"],
        )


class ActionListView(PlanPageMixin, TemplateView):
    template_name = "internalcontrol/action_list.html"

    def get_context_data(self, **kwargs):
        today = datetime.date.today()
        actions = list(Action.objects.in_plan(self.get_plan()).with_tree().not_done_first())
        for action in actions:
            action.overdue = action.is_overdue(today)
            action.can_edit = can(self.request.user, "internalcontrol.change_action", action)
        return super().get_context_data(
            actions=actions, overdue_count=sum(a.overdue for a in actions), today=today, **kwargs
        )


class ActionCreateView(ServiceFormMixin, ControlObjectMixin, FormView):
    permission_action = "internalcontrol.change_action"
    template_name = "internalcontrol/action_form.html"
    form_class = ActionForm

    def get_permission_object(self):
        return Action(control=self.get_control())

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": Action(control=self.get_control()),
            "control": self.get_control(),
        }

    def save(self, form):
        return services.action_create(control=self.get_control(), data=form.cleaned_data, user=self.request.user)


class ActionUpdateView(ServiceFormMixin, PermissionMixin, FormView):
    permission_action = "internalcontrol.change_action"
    template_name = "internalcontrol/action_form.html"
    form_class = ActionForm

    def get_permission_object(self):
        if not hasattr(self, "action"):
            self.action = get_object_or_404(
                Action.objects.select_related(*(f"control__{p}" for p in CONTROL_TREE)), pk=self.kwargs["pk"]
            )
        return self.action

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.action, "control": self.action.control}

    def get_context_data(self, **kwargs):
        return super().get_context_data(control=self.action.control, plan=self.action.control.plan, **kwargs)

    def save(self, form):
        return services.action_update(
            action=self.action, data=form.cleaned_data, user=self.request.user, version=form.cleaned_data["version"]
        )
