"""Printing and the follow-up reports: the plan's print preview and PDF, the reports of a plan, a report's dashboard
(how far it has come, its decisions and approvals), its preview, and PDFs made by a background job with progress.

Writes go through :mod:`followup.services` (reports and decisions) and :mod:`followup.jobs` (PDF jobs). The entry
forms of each section are in ``followup/entry_views.py``.
"""

import os
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin
from django_htmx.http import HttpResponseClientRedirect

from core.permissions import can
from core.versioning import StaleVersion
from core.views import HtmxPartialMixin, PermissionMixin
from followup import services
from followup.choices import ReportingPeriod, ReportStatus
from followup.jobs import render_job_start
from followup.models import FollowUpReport, RenderJob, RenderStatus
from followup.progress import Deadline, report_progress, report_rows
from followup.rendering import (
    pdf_filename,
    plan_render_html,
    plan_render_pdf,
    report_pdf_filename,
    report_render_html,
)
from planning.models import Plan


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PlanMixin(PermissionMixin, SingleObjectMixin):
    """A plan addressed as ``<unit-slug>/<year>``; readable by every member."""

    permission_action = "planning.view_plan"
    model = Plan
    context_object_name = "plan"

    def get_queryset(self):
        return Plan.objects.by_key(self.kwargs["unit"], self.kwargs["year"])

    def get_object(self, queryset=None):
        if not hasattr(self, "_object"):
            self._object = get_object_or_404(self.get_queryset())
        return self._object


class ReportMixin(PlanMixin):
    """A plan's report addressed as ``<unit-slug>/<year>/reports/<period>``; readable by every member."""

    permission_action = "followup.view_report"
    model = FollowUpReport
    context_object_name = "report"

    def get_queryset(self):
        return FollowUpReport.objects.with_plan().by_key(
            self.kwargs["unit"], self.kwargs["year"], self.kwargs["period"]
        )


# Printing the plan -------------------------------------------------------------------------------------------------


class PlanPreviewView(PlanMixin, View):
    def get(self, request, *args, **kwargs):
        return HttpResponse(plan_render_html(plan=self.get_object(), preview=True))


class PlanPdfView(PlanMixin, View):
    """The plan's PDF rendered in the request: a direct download for scripts (the page uses a PDF job)."""

    def get(self, request, *args, **kwargs):
        plan = self.get_object()
        return pdf_response(plan_render_pdf(plan=plan), pdf_filename(plan))


# The reports of plans ----------------------------------------------------------------------------------------------


class ReportIndexView(PermissionMixin, ListView):
    """Every plan with its three reports: status and deadline."""

    permission_action = "followup.view_report"
    template_name = "followup/index.html"

    def get_queryset(self):
        return Plan.objects.for_user(self.request.user).select_related("unit").order_by("-year", "unit__name")

    def get_context_data(self, **kwargs):
        rows = report_rows(self.object_list)
        return super().get_context_data(
            plans=[(plan, rows[plan.pk]) for plan in self.object_list], periods=list(ReportingPeriod), **kwargs
        )


class ReportListView(PlanMixin, DetailView):
    """A plan's reports T1, T2, T3 with status and deadline, and "Start report" for those who may."""

    template_name = "followup/report_list.html"

    def get_context_data(self, **kwargs):
        plan = self.object
        return super().get_context_data(
            rows=report_rows([plan])[plan.pk],
            can_create=can(self.request.user, "followup.create_report", plan),
            **kwargs,
        )


class ReportCreateView(PlanMixin, View):
    """POST ``period``: start the plan's report for it."""

    permission_action = "followup.create_report"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        plan = self.get_object()
        try:
            report = services.report_create(plan=plan, period=request.POST.get("period", ""), user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("followup:report_list", **plan.url_kwargs())
        messages.success(request, _("%(report)s was started.") % {"report": report.title})
        return redirect(report)


# A report: its dashboard, preview and decisions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    to_status: str
    label: str
    needs_reason: bool


DECISION_LABELS = {
    (ReportStatus.DRAFT, ReportStatus.IN_REVIEW): gettext_lazy("Send for review"),
    (ReportStatus.IN_REVIEW, ReportStatus.DRAFT): gettext_lazy("Send back"),
    (ReportStatus.IN_REVIEW, ReportStatus.APPROVED): gettext_lazy("Approve"),
    (ReportStatus.APPROVED, ReportStatus.DRAFT): gettext_lazy("Reopen"),
}


def decisions_for(report: FollowUpReport) -> list[Decision]:
    """The moves the report's status allows (:data:`followup.services.TRANSITIONS`)."""
    return [
        Decision(to, str(DECISION_LABELS[(source, to)]), needs_reason)
        for (source, to), needs_reason in services.TRANSITIONS.items()
        if source == report.status
    ]


class DecisionForm(forms.Form):
    to_status = forms.ChoiceField(choices=ReportStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Reason for the decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required: the reason is recorded with the decision."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, decision: Decision | None, **kwargs):
        self.decision = decision
        to_status = decision.to_status if decision else "refused"
        super().__init__(*args, auto_id=f"decision-{to_status}-%s", **kwargs)
        if decision and not decision.needs_reason:
            del self.fields["reason"]


def decision_forms(report: FollowUpReport, bound: DecisionForm | None = None) -> list[tuple[Decision, DecisionForm]]:
    """A form per decision the report allows; ``bound`` (a refused attempt) in place of its decision's form."""
    forms_ = []
    for decision in decisions_for(report):
        if bound is not None and bound.decision == decision:
            forms_.append((decision, bound))
        else:
            initial = {"to_status": decision.to_status, "version": report.version}
            forms_.append((decision, DecisionForm(decision=decision, initial=initial)))
    return forms_


class DecisionContextMixin:
    def get_context_data(self, bound: DecisionForm | None = None, **kwargs):
        report = self.object
        return super().get_context_data(
            decisions=decision_forms(report, bound),
            refused=bound if bound is not None and bound.decision not in decisions_for(report) else None,
            **kwargs,
        )


class ReportDetailView(DecisionContextMixin, ReportMixin, DetailView):
    """The report's dashboard: status, deadline, what is entered and missing, decisions, approvals."""

    template_name = "followup/report_detail.html"

    def get_context_data(self, **kwargs):
        report, user = self.object, self.request.user
        return super().get_context_data(
            plan=report.plan,
            deadline=Deadline.of(report.period.deadline, report.status),
            progress=report_progress(report),
            transitions=report.transitions.select_related("user"),
            approvals=report.approvals.select_related("approved_by").defer("pdf", "snapshot"),
            can_decide=can(user, "followup.decide_report", report),
            **kwargs,
        )


class ReportDecisionView(DecisionContextMixin, HtmxPartialMixin, ReportMixin, DetailView):
    """GET: the decisions the report's status allows. POST: take one; a refusal is shown in place (400, or 409 for
    a stale version), htmx answers with the decisions alone."""

    permission_action = "followup.decide_report"
    template_name = "followup/report_decision.html"
    partial_template_name = "followup/partials/decisions.html"

    def post(self, request, *args, **kwargs):
        self.object = report = self.get_object()
        to_status = request.POST.get("to_status", "")
        decision = next((d for d in decisions_for(report) if d.to_status == to_status), None)
        form = DecisionForm(request.POST, decision=decision)
        status = 400
        if form.is_valid():
            try:
                transition = services.report_change_status(
                    report=report,
                    to_status=form.cleaned_data["to_status"],
                    user=request.user,
                    reason=form.cleaned_data.get("reason", ""),
                    version=form.cleaned_data["version"],
                )
            except StaleVersion as stale:
                form.add_error(None, str(stale))
                form.data = {**form.data.dict(), "version": report.version}  # seen what changed: may decide again
                status = 409
            except ValidationError as error:
                errors = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
                for field, messages_ in errors.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                messages.success(
                    request, _("The report is now: %(status)s.") % {"status": transition.get_to_status_display()}
                )
                url = report.get_absolute_url()
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        return self.render_to_response(self.get_context_data(bound=form), status=status)


class ReportPreviewView(ReportMixin, View):
    def get(self, request, *args, **kwargs):
        return HttpResponse(report_render_html(report=self.get_object(), preview=True))


class ApprovalPdfView(ReportMixin, View):
    """An approved PDF exactly as it was stored at approval."""

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        approval = get_object_or_404(report.approvals, pk=kwargs["pk"])
        stem, extension = os.path.splitext(report_pdf_filename(report))
        return pdf_response(bytes(approval.pdf), f"{stem}-{approval.approved_at:%Y%m%d-%H%M%S}{extension}")


# PDFs made by a background job ------------------------------------------------------------------------------------


class JobStartMixin:
    """POST: queue a PDF job. htmx gets the job's status (which polls itself until the PDF is ready), a plain
    POST the job's page."""

    http_method_names = ["post"]

    def start_job(self) -> RenderJob:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        job = RenderJob.objects.defer("pdf").get(pk=self.start_job().pk)  # the immediate backend has run it already
        if request.htmx:
            return TemplateResponse(request, "followup/partials/job_status.html", {"job": job})
        return redirect("followup:job_detail", pk=job.pk)


class PlanPdfJobView(JobStartMixin, PlanMixin, View):
    def start_job(self):
        return render_job_start(plan=self.get_object(), user=self.request.user)


class ReportPdfJobView(JobStartMixin, ReportMixin, View):
    def start_job(self):
        report = self.get_object()
        return render_job_start(plan=report.plan, user=self.request.user, report=report)


class JobDetailView(HtmxPartialMixin, PermissionMixin, DetailView):
    """A PDF job's status; htmx polls the status alone. Only the person who asked for it sees it."""

    permission_action = "followup.view_job"
    queryset = RenderJob.objects.defer("pdf").select_related("plan__unit", "report__period", "report__plan__unit")
    context_object_name = "job"
    template_name = "followup/job_detail.html"
    partial_template_name = "followup/partials/job_status.html"


class JobDownloadView(PermissionMixin, DetailView):
    permission_action = "followup.view_job"
    queryset = RenderJob.objects.select_related("plan__unit", "report__period", "report__plan__unit")

    def render_to_response(self, context, **kwargs):
        job = self.object
        if job.status != RenderStatus.DONE:
            raise Http404
        filename = report_pdf_filename(job.report) if job.report else pdf_filename(job.plan)
        return pdf_response(bytes(job.pdf), filename)
