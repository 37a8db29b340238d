"""Printing from the browser: the plan's print preview (the PDF's own HTML) and the PDF download.

The PDF is rendered synchronously by the service in ``followup.rendering``; the link on the plan page is a
download link and says it can take a few seconds (a background task with progress is a later step).
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic.detail import SingleObjectMixin

from core.views import PermissionMixin
from followup.rendering import pdf_filename, plan_render_html, plan_render_pdf
from planning.models import Plan


class PlanMixin(PermissionMixin, SingleObjectMixin):
    """A plan addressed as ``<unit-slug>/<year>``; readable by every member."""

    permission_action = "planning.view_plan"
    model = Plan

    def get_object(self, queryset=None):
        if not hasattr(self, "_object"):
            self._object = get_object_or_404(Plan.objects.by_key(self.kwargs["unit"], self.kwargs["year"]))
        return self._object


class PlanPreviewView(PlanMixin, View):
    def get(self, request, *args, **kwargs):
        return HttpResponse(plan_render_html(plan=self.get_object(), preview=True))


class PlanPdfView(PlanMixin, View):
    def get(self, request, *args, **kwargs):
        plan = self.get_object()
        response = HttpResponse(plan_render_pdf(plan=plan), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{pdf_filename(plan)}"'
        return response
