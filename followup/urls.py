from django.urls import path

from followup import views

app_name = "followup"
plan = "plans/<slug:unit>/<int:year>/"
report = plan + "reports/<str:period>/"

# Printing, the report's dashboard and its decisions (followup/views.py).
urlpatterns = [
    path(plan + "print/", views.PlanPreviewView.as_view(), name="plan_preview"),
    path(plan + "plan.pdf", views.PlanPdfView.as_view(), name="plan_pdf"),
]

# Entry forms per report section (followup/entry_views.py).
urlpatterns += []
