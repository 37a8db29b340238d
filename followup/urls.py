from django.urls import path, register_converter
from django.urls.converters import StringConverter

from followup import entry_views, views
from followup.choices import Section, TextKey

app_name = "followup"
plan = "plans/<slug:unit>/<int:year>/"
report = plan + "reports/<str:period>/"

# Printing, the report's dashboard and its decisions (followup/views.py).
urlpatterns = [
    path(plan + "print/", views.PlanPreviewView.as_view(), name="plan_preview"),
    path(plan + "plan.pdf", views.PlanPdfView.as_view(), name="plan_pdf"),
    path(plan + "pdf-jobs/", views.PlanPdfJobView.as_view(), name="plan_pdf_job"),
    path("reports/", views.ReportIndexView.as_view(), name="index"),
    path("pdf-jobs/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("pdf-jobs/<int:pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
    path(plan + "reports/", views.ReportListView.as_view(), name="report_list"),
    path(plan + "reports/start/", views.ReportCreateView.as_view(), name="report_create"),
    path(report, views.ReportDetailView.as_view(), name="report_detail"),
    path(report + "decision/", views.ReportDecisionView.as_view(), name="report_decision"),
    path(report + "print/", views.ReportPreviewView.as_view(), name="report_preview"),
    path(report + "pdf-jobs/", views.ReportPdfJobView.as_view(), name="report_pdf_job"),
    path(report + "approvals/<int:pk>.pdf", views.ApprovalPdfView.as_view(), name="approval_pdf"),
]


# Entry forms per report section (followup/entry_views.py).
def choice_converter(name: str, values) -> None:
    """A path converter that matches only ``values``: anything else is 404 before any view runs."""
    register_converter(type(name, (StringConverter,), {"regex": "|".join(values)}), name)


choice_converter("report_section", Section.values)
choice_converter("report_text", TextKey.values)
choice_converter("status_kind", ["assignment", "activity"])
choice_converter("forecast_kind", ["column", "investment"])
urlpatterns += [
    path(report + "<report_section:section>/", entry_views.SectionView.as_view(), name="report_section"),
    path(report + "texts/<report_text:key>/", entry_views.TextSaveView.as_view(), name="report_text"),
    path(report + "assessment/", entry_views.AssessmentSaveView.as_view(), name="report_assessment"),
    path(report + "statuses/<status_kind:kind>/<int:pk>/", entry_views.StatusSaveView.as_view(), name="report_status"),
    path(report + "indicators/<int:pk>/", entry_views.IndicatorSaveView.as_view(), name="report_indicator"),
    path(
        report + "forecasts/<forecast_kind:kind>/<int:pk>/",
        entry_views.ForecastSaveView.as_view(),
        name="report_forecast",
    ),
]
