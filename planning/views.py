from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, UpdateView
from django.views.generic.detail import SingleObjectMixin
from django_htmx.http import retarget

from core.forms import add_errors
from core.models import User
from core.permissions import all_units, can, unit_with_descendants
from core.versioning import StaleVersion
from core.views import HistoryView, HtmxPartialMixin, PermissionMixin
from planning import services
from planning.adjustments import AdjustmentError, document_adjustments, plan_adjustments
from planning.choices import AssignmentKind, Stage
from planning.documents import document_links
from planning.export import plan_export, plan_export_xlsx
from planning.forms import ActivityForm, AssignmentForm, DeleteForm, MoveForm, StageForm, TreeFilterForm
from planning.history import StageNeverEntered, feed_sources, plan_feed, plan_snapshot, stage_moment
from planning.models import Activity, Assignment, Plan
from planning.overview import plan_overview
from planning.roll import plan_roll
from planning.tree import TreeFilters, area_tree, plan_outline, plan_tree


class PlanObjectMixin(PermissionMixin, SingleObjectMixin):
    """Views of one plan, addressed as ``<unit-slug>/<year>``."""

    model = Plan
    context_object_name = "plan"

    def get_object(self, queryset=None):
        if not hasattr(self, "_object"):
            self._object = get_object_or_404(Plan.objects.by_key(self.kwargs["unit"], self.kwargs["year"]))
        return self._object


class PlanListView(PermissionMixin, ListView):
    permission_action = "planning.view_plan"
    template_name = "planning/plan_list.html"

    def get_queryset(self):
        return Plan.objects.for_user(self.request.user).select_related("unit").with_counts()


class PlanDetailView(PlanObjectMixin, DetailView):
    permission_action = "planning.view_plan"
    template_name = "planning/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = self.object
        return super().get_context_data(
            overview=plan_overview(plan),
            can_change_stage=can(self.request.user, "planning.change_stage", plan),
            document_links=document_links(self.request.user, plan),
            **kwargs,
        )


class PlanTreeView(HtmxPartialMixin, PlanObjectMixin, DetailView):
    permission_action = "planning.view_plan"
    template_name = "planning/plan_tree.html"
    partial_template_name = "planning/partials/plan_tree.html"

    def get_context_data(self, **kwargs):
        form = TreeFilterForm(self.request.GET or None, units=all_units(self.request.user), auto_id="filter-%s")
        filters = TreeFilters(**form.cleaned_data) if form.is_valid() else TreeFilters()
        if filters.active:  # filtered views are usually small: the whole filtered tree, every match open
            tree = plan_tree(self.object, self.request.user, filters)
        else:  # focus areas closed, their contents loaded when opened (PlanTreeAreaView) or with ?area=<pk>
            tree = plan_outline(self.object, self.request.user, open_area=self.open_area())
        return super().get_context_data(
            tree=tree, filter_form=form, filters=filters, shown=sum(node.count for node in tree), **kwargs
        )

    def open_area(self) -> int | None:
        """``?area=<pk>``: the focus area to show open, its contents rendered here (the no-script fallback)."""
        value = self.request.GET.get("area", "")
        return int(value) if value.isdecimal() else None


class PlanTreeAreaView(PlanObjectMixin, DetailView):
    """One focus area's contents (goals → assignments → activities), fetched by htmx when the area is opened."""

    permission_action = "planning.view_plan"
    template_name = "planning/partials/focus_area_content.html"

    def get_context_data(self, **kwargs):
        area = area_tree(self.object, self.request.user, self.kwargs["pk"])
        if area is None:
            raise Http404
        return super().get_context_data(area=area, filters=TreeFilters(), **kwargs)


class PlanMappingView(PlanObjectMixin, DetailView):
    """Seed 002's appendix: focus area ↔ region-wide assignment ↔ office assignment, from the data."""

    permission_action = "planning.view_plan"
    template_name = "planning/plan_mapping.html"

    def get_context_data(self, **kwargs):
        areas = [node for node in plan_tree(self.object, self.request.user) if node.kind == "focus_area"]
        for area in areas:
            area.mapping_rows = mapping_rows(area)
        return super().get_context_data(tree=areas, **kwargs)


def mapping_rows(area) -> list[tuple]:
    """(region-wide assignment or None, [office assignments]) rows of one focus area."""
    assignments = [n for n in area.children if n.kind == "assignment"]
    assignments += [n for goal in area.children if goal.kind == "goal" for n in goal.children]
    rows, loose = [], []
    for node in assignments:
        if node.obj.kind == AssignmentKind.REGION_WIDE:
            rows.append((node.obj, [child.obj for child in node.children]))
        else:
            loose.append(node.obj)
    if loose or not rows:
        rows.append((None, loose))
    return rows


class IndicatorListView(PlanObjectMixin, DetailView):
    permission_action = "planning.view_plan"
    template_name = "planning/indicator_list.html"

    def get_context_data(self, **kwargs):
        indicators = self.object.indicators.prefetch_related("targets")
        return super().get_context_data(indicators=indicators, **kwargs)


class PlanExportView(PlanObjectMixin, DetailView):
    permission_action = "planning.view_plan"

    def render_to_response(self, context, **kwargs):
        plan, user = self.object, self.request.user
        filename = f"plan-{plan.unit.slug}-{plan.year}"
        if self.kwargs["fmt"] == "json":
            response = JsonResponse(plan_export(plan, user), json_dumps_params={"ensure_ascii": False, "indent": 2})
            response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
            return response
        if self.kwargs["fmt"] == "xlsx":
            response = HttpResponse(
                plan_export_xlsx(plan, user),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
            return response
        raise Http404


class PlanStageView(PlanObjectMixin, FormView):
    permission_action = "planning.change_stage"
    template_name = "planning/plan_stage.html"
    form_class = StageForm

    def get_initial(self):
        plan = self.get_object()
        return {"to_stage": Stage.PROPOSAL if plan.is_decided else Stage.next_of(plan.stage)}

    def get_context_data(self, **kwargs):
        self.object = self.get_object()
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        plan = self.get_object()
        try:
            transition = services.plan_change_stage(
                plan=plan,
                to_stage=form.cleaned_data["to_stage"],
                user=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The plan is now at the stage: %s.") % transition.get_to_stage_display())
        return redirect(plan)


def notify(request, text, level=messages.SUCCESS):
    """A message for the next full page. htmx answers show their result in place, so a message would only
    surface later on an unrelated page."""
    if not request.htmx:
        messages.add_message(request, level, text)


class AssignmentDetailView(HtmxPartialMixin, PermissionMixin, DetailView):
    permission_action = "planning.view_plan"
    template_name = "planning/assignment_detail.html"
    partial_template_name = "planning/partials/assignment_card.html"
    queryset = Assignment.objects.with_tree()

    def get_permission_object(self):
        return self.get_object().focus_area.plan

    def get_context_data(self, **kwargs):
        assignment = self.object
        return super().get_context_data(
            plan=assignment.focus_area.plan,
            node=find_node(assignment.focus_area.plan, self.request.user, "assignment", assignment.pk),
            **kwargs,
        )


class VersionedUpdateView(HtmxPartialMixin, PermissionMixin, UpdateView):
    """Edit through a service; a stale version is refused with what changed (409), an invalid form re-renders."""

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except StaleVersion as stale:
            form.add_error(None, str(stale))
            return self.refused(form, status=409)
        except ValidationError as error:
            add_errors(form, error)
            return self.refused(form, status=400)
        notify(self.request, _("Saved."))
        return self.saved()

    def refused(self, form, status):
        self.object = self.get_object()
        response = self.render_to_response(self.get_context_data(form=form), status=status)
        return retarget(response, f"#{self.form_target()}") if self.request.htmx else response

    def form_invalid(self, form):
        return self.refused(form, status=400)


class AssignmentUpdateView(VersionedUpdateView):
    permission_action = "planning.change_assignment"
    queryset = Assignment.objects.with_tree()
    form_class = AssignmentForm
    template_name = "planning/assignment_form.html"
    partial_template_name = "planning/partials/assignment_form.html"

    def form_target(self):
        return f"assignment-{self.object.pk}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "auto_id": f"assignment-{self.object.pk}-%s"}

    def save(self, form):
        return services.assignment_update(
            assignment=self.object, data=form.cleaned_data, user=self.request.user, version=form.cleaned_data["version"]
        )

    def saved(self):
        if self.request.htmx:
            node = find_node(self.object.focus_area.plan, self.request.user, "assignment", self.object.pk)
            return TemplateResponse(self.request, "planning/partials/assignment_card.html", {"node": node})
        return redirect(self.object)


class ActivityListResponseMixin:
    """Every activity change answers htmx with the assignment's activity list, renumbered."""

    def activity_list(self, assignment):
        if not self.request.htmx:
            return redirect(assignment)
        node = find_node(assignment.focus_area.plan, self.request.user, "assignment", assignment.pk)
        return TemplateResponse(self.request, "planning/partials/activity_list.html", {"node": node})


class ActivityUpdateView(ActivityListResponseMixin, VersionedUpdateView):
    permission_action = "planning.change_activity"
    queryset = Activity.objects.with_tree()
    form_class = ActivityForm
    template_name = "planning/activity_form.html"
    partial_template_name = "planning/partials/activity_form.html"

    def form_target(self):
        return f"activity-{self.object.pk}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "auto_id": f"activity-{self.object.pk}-%s"}

    def save(self, form):
        return services.activity_update(
            activity=self.object, data=form.cleaned_data, user=self.request.user, version=form.cleaned_data["version"]
        )

    def saved(self):
        if self.object.assignment_id:
            return self.activity_list(self.object.assignment)
        return redirect(self.object)


class ActivityCreateView(ActivityListResponseMixin, HtmxPartialMixin, PermissionMixin, FormView):
    permission_action = "planning.change_assignment"
    form_class = ActivityForm
    template_name = "planning/activity_form.html"
    partial_template_name = "planning/partials/activity_form.html"

    def get_permission_object(self):
        if not hasattr(self, "assignment"):
            self.assignment = get_object_or_404(Assignment.objects.with_tree(), pk=self.kwargs["pk"])
        return self.assignment

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": Activity(assignment=self.assignment),
            "auto_id": f"new-activity-{self.assignment.pk}-%s",
        }

    def get_initial(self):
        return {"responsible_unit": self.assignment.responsible_unit_id}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(assignment=self.assignment, plan=self.assignment.focus_area.plan, **kwargs)
        context["object"] = context["form"].instance
        return context

    def form_valid(self, form):
        try:
            services.activity_create(assignment=self.assignment, data=form.cleaned_data, user=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        notify(self.request, _("The activity was added."))
        return self.activity_list(self.assignment)

    def form_invalid(self, form):
        response = self.render_to_response(self.get_context_data(form=form), status=400)
        return retarget(response, f"#new-activity-{self.assignment.pk}") if self.request.htmx else response


class ActivityDetailView(PermissionMixin, DetailView):
    permission_action = "planning.view_plan"
    template_name = "planning/activity_detail.html"
    queryset = Activity.objects.with_tree()

    def get_permission_object(self):
        return self.get_object().plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.object.plan, can_edit=can(self.request.user, "planning.change_activity", self.object), **kwargs
        )


class ActivityDeleteView(ActivityListResponseMixin, PermissionMixin, SingleObjectMixin, FormView):
    permission_action = "planning.change_activity"
    queryset = Activity.objects.with_tree()
    form_class = DeleteForm
    template_name = "planning/activity_confirm_delete.html"

    def get_initial(self):
        return {"version": self.get_object().version}

    def get_context_data(self, **kwargs):
        self.object = self.get_object()
        return super().get_context_data(plan=self.object.plan, **kwargs)

    def form_valid(self, form):
        activity = self.get_object()
        try:
            services.activity_delete(activity=activity, user=self.request.user, version=form.cleaned_data["version"])
        except (StaleVersion, ValidationError) as error:
            form.add_error(None, str(error) if isinstance(error, StaleVersion) else error)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        notify(self.request, _("The activity was removed."))
        if activity.assignment_id:
            return self.activity_list(activity.assignment)
        return redirect(activity.plan)


class ActivityMoveView(ActivityListResponseMixin, PermissionMixin, SingleObjectMixin, FormView):
    """Up/down buttons: the keyboard-operable way to reorder activities."""

    permission_action = "planning.change_activity"
    queryset = Activity.objects.with_tree()
    form_class = MoveForm
    http_method_names = ["post"]

    def form_valid(self, form):
        activity = self.get_object()
        try:
            services.activity_move(activity=activity, offset=form.cleaned_data["offset"], user=self.request.user)
        except ValidationError as error:
            notify(self.request, " ".join(error.messages), level=messages.ERROR)
        return self.activity_list(activity.assignment) if activity.assignment_id else redirect(activity.plan)

    def form_invalid(self, form):
        return HttpResponse(_("Unknown direction."), status=400)


class AssignmentHistoryView(HistoryView):
    permission_action = "planning.view_plan"
    queryset = Assignment.objects.with_tree()

    def get_permission_object(self):
        return self.get_object().focus_area.plan


class ActivityHistoryView(HistoryView):
    permission_action = "planning.view_plan"
    queryset = Activity.objects.with_tree()

    def get_permission_object(self):
        return self.get_object().plan


def find_node(plan, user, kind, pk):
    """The tree node of one item, numbered as in the whole tree."""
    stack = list(plan_tree(plan, user))
    while stack:
        node = stack.pop()
        if node.kind == kind and node.obj.pk == pk:
            return node
        stack.extend(node.children)
        stack.extend(node.activities)
    raise Http404


# --- History you can read: the change feed, the plan as it stood, adjustments, rolling into a new year ------------


class ChangesFilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Responsible unit"), required=False, coerce=int, empty_value=None)
    user = forms.TypedChoiceField(label=gettext_lazy("Changed by"), required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    before = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units=(), users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", gettext_lazy("All units")), *((u.pk, u.name) for u in units)]
        self.fields["user"].choices = [("", gettext_lazy("Everyone")), *((u.pk, str(u)) for u in users)]
        self.fields["type"].choices = [("", gettext_lazy("All types")), *((s.key, s.label) for s in feed_sources())]


class PlanChangesView(PlanObjectMixin, DetailView):
    """Recent changes to the plan and all its items, newest first; a fixed number of queries per page."""

    permission_action = "planning.view_plan"
    template_name = "planning/plan_history.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        people = User.objects.filter(memberships__isnull=False).distinct().order_by("first_name", "username")
        form = ChangesFilterForm(self.request.GET or None, units=all_units(user), users=people, auto_id="changes-%s")
        chosen = form.cleaned_data if form.is_valid() else {}
        unit_ids = unit_with_descendants(user, chosen["unit"]) if chosen.get("unit") else None
        page = plan_feed(
            self.object,
            user_id=chosen.get("user"),
            unit_ids=unit_ids,
            kinds=[chosen["type"]] if chosen.get("type") else None,
            before=chosen.get("before"),
        )
        older = None
        if page.more:
            query = self.request.GET.copy()
            query["before"] = page.next_before.isoformat()
            older = "?" + query.urlencode()
        return super().get_context_data(feed=page, filter_form=form, older_url=older, **kwargs)


class PlanAsOfView(PlanObjectMixin, DetailView):
    """The plan as it stood when it entered a stage (``?stage=dialogue``), read back from history."""

    permission_action = "planning.view_plan"
    template_name = "planning/plan_as_of.html"

    def get_context_data(self, **kwargs):
        plan = self.object
        moments = []
        for stage in Stage:
            try:
                moments.append((stage, stage_moment(plan, stage)))
            except StageNeverEntered:
                continue
        wanted = self.request.GET.get("stage") or (moments[0][0].value if moments else "")
        chosen = next(((stage, at) for stage, at in moments if stage.value == wanted), None)
        snapshot = plan_snapshot(plan, at=chosen[1]) if chosen else None
        tree = []
        if snapshot is not None:
            goals, assignments = {}, {}
            for item in snapshot.ordered("goal"):
                goals.setdefault(item.parent, []).append(item)
            for item in snapshot.ordered("assignment"):
                assignments.setdefault(item.parent, []).append(item)
            for area in snapshot.ordered("focus_area"):
                key = ("focus_area", area.id)
                tree.append({"area": area, "goals": goals.get(key, []), "assignments": assignments.get(key, [])})
        return super().get_context_data(
            moments=moments, chosen=chosen, snapshot=snapshot, tree=tree, wanted=wanted, **kwargs
        )


class PlanAdjustmentsView(PlanObjectMixin, DetailView):
    """Justeringar: ``?since=dialogue`` (since the plan entered a stage) or ``?against=2024`` (another year's plan).
    Without either: what the plan document prints (since the dialogue once past it, else against the previous plan)."""

    permission_action = "planning.view_plan"
    template_name = "planning/adjustments.html"

    def get(self, request, *args, **kwargs):
        self.object = plan = self.get_object()
        since, against_year = request.GET.get("since", ""), request.GET.get("against", "")
        error, result, against = None, None, None
        if against_year:
            if not against_year.isdigit():
                error = _("Name the other plan by its year, e.g. %(year)s.") % {"year": plan.year - 1}
            else:
                against = Plan.objects.filter(unit=plan.unit, year=int(against_year)).select_related("unit").first()
                if against is None:
                    error = _("There is no %(year)s plan for %(unit)s.") % {"year": against_year, "unit": plan.unit}
        if error is None and not since and not against:
            result = document_adjustments(plan)  # by default what the plan document prints; None: nothing to compare
            if result is not None and result.comparison.since_stage:
                since = result.comparison.since_stage
        elif error is None:
            try:
                result = plan_adjustments(plan=plan, since_stage=since or None, against=against)
            except AdjustmentError as problem:
                error = str(problem)
        others = Plan.objects.filter(unit=plan.unit).exclude(pk=plan.pk).order_by("-year")
        context = self.get_context_data(
            result=result,
            error=error,
            since=since,
            against_year=against_year,
            stages=Stage,
            other_years=list(others.values_list("year", flat=True)),
            since_label=Stage(since).label if since in Stage.values else "",
        )
        return self.render_to_response(context, status=400 if error else 200)


class RollForm(forms.Form):
    to_year = forms.IntegerField(label=gettext_lazy("Year of the new plan"), min_value=2000, max_value=2100)


class PlanRollView(PlanObjectMixin, FormView):
    """Roll the plan into a new year: a confirmation page, then a POST that copies the plan in one transaction."""

    permission_action = "planning.roll_plan"
    template_name = "planning/plan_roll.html"
    form_class = RollForm

    def get_initial(self):
        return {"to_year": self.get_object().year + 1}

    def get_context_data(self, **kwargs):
        self.object = plan = self.get_object()
        return super().get_context_data(
            overview=plan_overview(plan), successor=Plan.objects.filter(previous=plan).first(), **kwargs
        )

    def form_valid(self, form):
        plan = self.get_object()
        try:
            new_plan = plan_roll(plan=plan, to_year=form.cleaned_data["to_year"], user=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(
            self.request, _("%(plan)s was rolled into %(new)s.") % {"plan": plan.title, "new": new_plan.title}
        )
        return redirect(new_plan)
