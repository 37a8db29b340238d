from django.urls import path

from followup import views

app_name = "followup"
plan = "plans/<slug:unit>/<int:year>/"
urlpatterns = [
    path(plan + "print/", views.PlanPreviewView.as_view(), name="plan_preview"),
    path(plan + "plan.pdf", views.PlanPdfView.as_view(), name="plan_pdf"),
]
