"""Budget pages of one plan, addressed as ``/budget/<unit-slug>/<year>/…``. Every read is open to members; every
write checks ``budget.change_budget`` (controllers, secretaries and administrators of the plan's unit, open plans)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from budget import calculations, services
from budget.choices import ImportStatus
from budget.excel import KINDS, XLSX_CONTENT_TYPE, budget_workbook, workbook_filename
from budget.forms import (
    AdjustmentForm,
    BudgetCellForm,
    ColumnForm,
    ConfirmForm,
    DeleteForm,
    FrameCellForm,
    InitiativeForm,
    InvestmentCellForm,
    InvestmentForm,
    UploadForm,
)
from budget.imports import (
    MAX_UPLOAD_BYTES,
    StalePreview,
    UploadRefused,
    batch_apply,
    batch_create,
    import_workbook,
)
from budget.models import BudgetAdjustment, BudgetLine, ImportBatch, Initiative, Investment
from core.formatting import MONTHS_FULL
from core.permissions import can
from core.versioning import StaleVersion
from core.views import HistoryView, PermissionMixin
from planning.models import Plan

MONEY_UNITS = ("tkr", "mnkr")
PREVIEW_ROWS = 300


def plan_url(name: str, plan: Plan, **query) -> str:
    url = reverse(f"budget:{name}", kwargs=plan.url_kwargs())
    params = "&".join(f"{key}={value}" for key, value in query.items() if value)
    return f"{url}?{params}" if params else url


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


class BudgetIndexView(PermissionMixin, ListView):
    permission_action = "budget.view_budget"
    template_name = "budget/index.html"

    def get_queryset(self):
        return Plan.objects.for_user(self.request.user).select_related("unit")


class BudgetPlanMixin(PermissionMixin):
    """Views of one plan's budget. ``default_unit`` is the money unit shown unless ``?unit=tkr|mnkr`` says otherwise."""

    permission_action = "budget.view_budget"
    default_unit = "mnkr"
    tab = ""

    def get_plan(self) -> Plan:
        if not hasattr(self, "_plan"):
            self._plan = get_object_or_404(Plan.objects.by_key(self.kwargs["unit"], self.kwargs["year"]))
        return self._plan

    def get_permission_object(self):
        return self.get_plan()

    @property
    def money_unit(self) -> str:
        unit = self.request.GET.get("unit") or self.request.POST.get("unit")
        return unit if unit in MONEY_UNITS else self.default_unit

    def can_edit(self) -> bool:
        return can(self.request.user, "budget.change_budget", self.get_plan())

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        kwargs.pop("unit", None)  # the URL's unit slug; "unit" in templates is the money unit
        return super().get_context_data(
            plan=plan,
            can_edit=self.can_edit(),
            can_import=can(self.request.user, "budget.import_budget", plan),
            unit=self.money_unit,
            other_unit="tkr" if self.money_unit == "mnkr" else "mnkr",
            tab=self.tab,
            **kwargs,
        )


class CellSaveMixin(BudgetPlanMixin):
    """POST one cell; an htmx request gets the re-rendered grid (with totals), a plain one a redirect.

    A stale version answers 409 with the grid and what the other person changed; an invalid value 400."""

    http_method_names = ["post"]
    permission_action = "budget.change_budget"
    partial_template_name = ""
    page_name = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.get_plan()}

    def form_valid(self, form):
        try:
            self.save(form.cleaned_data)
        except StaleVersion as stale:
            return self.answer(str(stale), status=409)
        except ValidationError as error:
            return self.answer(_errors(error), status=400)
        if not self.request.htmx:
            messages.success(self.request, _("Saved."))
        return self.answer(None, status=200)

    def form_invalid(self, form):
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return self.answer(message, status=400)

    def answer(self, error: str | None, *, status: int):
        if self.request.htmx:
            context = self.get_context_data(error=error, **self.grid_context())
            return self.response_class(self.request, self.partial_template_name, context, status=status)
        if error:
            messages.error(self.request, error)
        return HttpResponseRedirect(plan_url(self.page_name, self.get_plan(), unit=self.money_unit))


# Operating budget -------------------------------------------------------------------------------------------------


class BudgetTableView(BudgetPlanMixin, TemplateView):
    template_name = "budget/budget_table.html"
    tab = "table"

    def get_context_data(self, **kwargs):
        return super().get_context_data(table=calculations.budget_table(self.get_plan()), **kwargs)


class BudgetCellView(CellSaveMixin, FormView):
    form_class = BudgetCellForm
    partial_template_name = "budget/partials/budget_grid.html"
    page_name = "budget_table"

    def save(self, data):
        services.budget_line_set(
            column=data["column"],
            account_class=data["account_class"],
            amount=data["amount"],
            user=self.request.user,
            version=data["version"],
        )

    def grid_context(self):
        return {"table": calculations.budget_table(self.get_plan())}


class ColumnCreateView(BudgetPlanMixin, FormView):
    permission_action = "budget.change_budget"
    template_name = "budget/column_form.html"
    form_class = ColumnForm
    tab = "table"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.get_plan()}

    def form_valid(self, form):
        try:
            services.column_create(plan=self.get_plan(), data=form.cleaned_data, user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The column was added."))
        return redirect(plan_url("budget_table", self.get_plan()))


class BudgetLineHistoryView(HistoryView):
    permission_action = "budget.view_budget"
    queryset = BudgetLine.objects.select_related("column__plan__unit", "account_class")

    def get_permission_object(self):
        return self.get_object().column.plan


# Budget frame -----------------------------------------------------------------------------------------------------


class FrameView(BudgetPlanMixin, TemplateView):
    template_name = "budget/frame.html"
    tab = "frame"

    def get_context_data(self, **kwargs):
        return super().get_context_data(frame=calculations.frame_table(self.get_plan()), **kwargs)


class FrameCreateView(BudgetPlanMixin, FormView):
    permission_action = "budget.change_budget"
    http_method_names = ["post"]
    form_class = DeleteForm  # no fields to speak of

    def form_valid(self, form):
        try:
            services.frame_create(plan=self.get_plan(), user=self.request.user)
        except ValidationError as error:
            messages.error(self.request, _errors(error))
        return redirect(plan_url("frame", self.get_plan()))


class FrameCellView(CellSaveMixin, FormView):
    form_class = FrameCellForm
    partial_template_name = "budget/partials/frame_grid.html"
    page_name = "frame"

    def save(self, data):
        if data["field"] == "amount":
            services.frame_amount_set(
                adjustment=data["adjustment"],
                column=data["column"],
                amount=data["amount"],
                user=self.request.user,
                version=data["version"],
            )
        else:
            services.frame_column_total_set(
                column=data["column"],
                field=data["field"],
                amount=data["amount"],
                user=self.request.user,
                version=data["version"],
            )

    def grid_context(self):
        return {"frame": calculations.frame_table(self.get_plan())}


# Initiatives ------------------------------------------------------------------------------------------------------


class InitiativeListView(BudgetPlanMixin, TemplateView):
    template_name = "budget/initiative_list.html"
    tab = "initiatives"

    def get_context_data(self, **kwargs):
        initiatives = list(Initiative.objects.filter(plan=self.get_plan()).select_related("unit"))
        return super().get_context_data(
            initiatives=initiatives, total=calculations.total(i.amount for i in initiatives), **kwargs
        )


class InitiativeCreateView(BudgetPlanMixin, FormView):
    permission_action = "budget.change_budget"
    template_name = "budget/initiative_form.html"
    form_class = InitiativeForm
    tab = "initiatives"

    def form_valid(self, form):
        try:
            services.initiative_create(plan=self.get_plan(), data=form.cleaned_data, user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The initiative was added."))
        return redirect(plan_url("initiative_list", self.get_plan()))


class InitiativeObjectMixin(BudgetPlanMixin):
    permission_action = "budget.change_budget"

    def get_initiative(self) -> Initiative:
        if not hasattr(self, "_initiative"):
            self._initiative = get_object_or_404(
                Initiative.objects.select_related("plan__unit", "unit"), pk=self.kwargs["pk"]
            )
        return self._initiative

    def get_plan(self):
        return self.get_initiative().plan


class InitiativeUpdateView(InitiativeObjectMixin, FormView):
    template_name = "budget/initiative_form.html"
    form_class = InitiativeForm
    tab = "initiatives"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_initiative()}

    def form_valid(self, form):
        try:
            services.initiative_update(
                initiative=self.get_initiative(),
                data=form.cleaned_data,
                user=self.request.user,
                version=form.cleaned_data["version"],
            )
        except StaleVersion as stale:
            form.add_error(None, str(stale))
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(plan_url("initiative_list", self.get_plan()))


class InitiativeDeleteView(InitiativeObjectMixin, FormView):
    template_name = "budget/initiative_confirm_delete.html"
    form_class = DeleteForm
    tab = "initiatives"

    def get_initial(self):
        return {"version": self.get_initiative().version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(initiative=self.get_initiative(), **kwargs)

    def form_valid(self, form):
        try:
            services.initiative_delete(
                initiative=self.get_initiative(), user=self.request.user, version=form.cleaned_data["version"]
            )
        except (StaleVersion, ValidationError) as error:
            form.add_error(None, str(error) if isinstance(error, StaleVersion) else error)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(self.request, _("The initiative was removed."))
        return redirect(plan_url("initiative_list", self.get_plan()))


# Investments ------------------------------------------------------------------------------------------------------


class InvestmentGridView(BudgetPlanMixin, TemplateView):
    template_name = "budget/investment_grid.html"
    tab = "investments"

    def get_context_data(self, **kwargs):
        return super().get_context_data(grid=calculations.investment_grid(self.get_plan()), **kwargs)


class InvestmentCellView(CellSaveMixin, FormView):
    form_class = InvestmentCellForm
    partial_template_name = "budget/partials/investment_grid.html"
    page_name = "investment_grid"

    def save(self, data):
        services.investment_year_set(
            investment=data["investment"],
            year=data["year"],
            amount=data["amount"],
            user=self.request.user,
            version=data["version"],
        )

    def grid_context(self):
        return {"grid": calculations.investment_grid(self.get_plan())}


class InvestmentCreateView(BudgetPlanMixin, FormView):
    permission_action = "budget.change_budget"
    template_name = "budget/investment_form.html"
    form_class = InvestmentForm
    tab = "investments"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.get_plan()}

    def form_valid(self, form):
        try:
            services.investment_create(plan=self.get_plan(), data=form.cleaned_data, user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The investment was added."))
        return redirect(plan_url("investment_grid", self.get_plan()))


class InvestmentHistoryView(HistoryView):
    permission_action = "budget.view_budget"
    queryset = Investment.objects.select_related("plan__unit")

    def get_permission_object(self):
        return self.get_object().plan


# Outcomes and adjustments -----------------------------------------------------------------------------------------


class OutcomeView(BudgetPlanMixin, TemplateView):
    template_name = "budget/outcomes.html"
    tab = "outcomes"

    def get_month(self) -> int:
        try:
            month = int(self.request.GET.get("month", ""))
        except ValueError:
            month = 0
        if 1 <= month <= 12:
            return month
        return calculations.latest_outcome_month(self.get_plan()) or 12

    def get_context_data(self, **kwargs):
        plan, month = self.get_plan(), self.get_month()
        return super().get_context_data(
            month=month,
            month_name=MONTHS_FULL[month - 1],
            months=[(number, name) for number, name in enumerate(MONTHS_FULL, start=1)],
            outcome=calculations.outcome_table(plan, month),
            **kwargs,
        )


class AdjustmentListView(BudgetPlanMixin, TemplateView):
    template_name = "budget/adjustment_list.html"
    tab = "adjustments"
    default_unit = "tkr"

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        adjustments = list(
            BudgetAdjustment.objects.filter(plan=plan).select_related("from_column", "to_column", "to_unit")
        )
        table = calculations.budget_table(plan)
        effect = []
        for column, net in zip(table.columns, table.column_totals, strict=True):
            change = calculations.total(
                a.amount for a in adjustments if a.to_column_id == column.pk
            ) - calculations.total(a.amount for a in adjustments if a.from_column_id == column.pk)
            effect.append({"column": column, "net": net, "change": change, "adjusted": net + change})
        return super().get_context_data(adjustments=adjustments, effect=effect, **kwargs)


class AdjustmentCreateView(BudgetPlanMixin, FormView):
    permission_action = "budget.change_budget"
    template_name = "budget/adjustment_form.html"
    form_class = AdjustmentForm
    tab = "adjustments"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.get_plan()}

    def form_valid(self, form):
        try:
            services.adjustment_create(plan=self.get_plan(), data=form.cleaned_data, user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The budget adjustment was recorded."))
        return redirect(plan_url("adjustment_list", self.get_plan()))


# Excel --------------------------------------------------------------------------------------------------------------


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExportView(BudgetPlanMixin, View):
    """The whole budget of the plan as one workbook."""

    def get(self, request, *args, **kwargs):
        plan = self.get_plan()
        return xlsx_response(budget_workbook(plan), workbook_filename(plan))


class ImportTemplateView(BudgetPlanMixin, View):
    """An import template: the export's sheet of one kind, with the plan's current figures."""

    permission_action = "budget.import_budget"

    def get(self, request, *args, **kwargs):
        kind = self.kwargs["kind"]
        if kind not in KINDS:
            raise Http404
        plan = self.get_plan()
        return xlsx_response(budget_workbook(plan, kinds=(kind,)), workbook_filename(plan, kind))


class ImportUploadView(BudgetPlanMixin, FormView):
    permission_action = "budget.import_budget"
    template_name = "budget/import_upload.html"
    form_class = UploadForm
    tab = "import"

    def get_context_data(self, **kwargs):
        recent = ImportBatch.objects.filter(plan=self.get_plan()).select_related("user").defer("content")[:10]
        return super().get_context_data(kinds=KINDS, recent=recent, limit_mb=MAX_UPLOAD_BYTES // 1024 // 1024, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error(
                "file", _("The file is too large; the limit is %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20}
            )
            return self.form_invalid(form)
        try:
            batch = batch_create(plan=self.get_plan(), data=upload.read(), filename=upload.name, user=self.request.user)
        except UploadRefused as refused:
            form.add_error("file", str(refused))
            return self.form_invalid(form)
        return redirect("budget:import_preview", pk=batch.pk, **self.get_plan().url_kwargs())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportPreviewView(BudgetPlanMixin, FormView):
    """GET: what the upload would change (a dry run). POST: confirm, which applies it all in one transaction."""

    permission_action = "budget.import_budget"
    template_name = "budget/import_preview.html"
    form_class = ConfirmForm
    tab = "import"

    def get_batch(self) -> ImportBatch:
        if not hasattr(self, "_batch"):
            self._batch = get_object_or_404(ImportBatch, pk=self.kwargs["pk"], plan=self.get_plan())
        return self._batch

    def preview(self):
        batch = self.get_batch()
        if batch.status != ImportStatus.PENDING:
            return None
        try:
            return import_workbook(
                plan=batch.plan, data=bytes(batch.content), filename=batch.filename, user=None, dry_run=True
            )
        except UploadRefused as refused:
            messages.error(self.request, str(refused))
            return None

    def get_context_data(self, **kwargs):
        report = kwargs.pop("report", None) or self.preview()
        return super().get_context_data(
            batch=self.get_batch(),
            report=report,
            edits=report.edits[:PREVIEW_ROWS] if report else [],
            more=max(0, len(report.edits) - PREVIEW_ROWS) if report else 0,
            **kwargs,
        )

    def get_initial(self):
        return {}

    def form_valid(self, form):
        batch = self.get_batch()
        try:
            report = batch_apply(batch=batch, user=self.request.user, digest=form.cleaned_data["digest"])
        except StalePreview as stale:
            messages.warning(
                self.request, _("The figures changed since the preview. Check the new preview before you confirm.")
            )
            return self.render_to_response(self.get_context_data(report=stale.report), status=409)
        except (UploadRefused, ValidationError) as error:
            messages.error(self.request, _errors(error) if isinstance(error, ValidationError) else str(error))
            return redirect(plan_url("import_upload", self.get_plan()))
        if report.errors:
            return self.render_to_response(self.get_context_data(report=report), status=400)
        messages.success(
            self.request,
            _("Imported %(file)s: %(new)d new and %(changed)d changed figures.")
            % {"file": batch.filename, "new": report.count("new"), "changed": report.count("changed")},
        )
        return redirect(plan_url("budget_table", self.get_plan()))
