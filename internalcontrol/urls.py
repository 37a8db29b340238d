from django.urls import path

from internalcontrol import views

app_name = "internalcontrol"
plan = "<slug:unit>/<int:year>/"
urlpatterns = [
    # Item routes first: "risks/1/" would otherwise read as a plan "<unit>/<year>/".
    path("", views.IndexView.as_view(), name="index"),
    path("risks/", views.RiskListView.as_view(), name="risk_list"),
    path("risks/new/", views.RiskCreateView.as_view(), name="risk_create"),
    path("risks/<int:pk>/", views.RiskDetailView.as_view(), name="risk_detail"),
    path("risks/<int:pk>/edit/", views.RiskUpdateView.as_view(), name="risk_edit"),
    path("risks/<int:pk>/history/", views.RiskHistoryView.as_view(), name="risk_history"),
    path("risks/<int:pk>/score/<int:year>/", views.AssessmentView.as_view(), name="risk_assess"),
    path("selected/<int:pk>/controls/new/", views.ControlCreateView.as_view(), name="control_create"),
    path("controls/<int:pk>/", views.ControlDetailView.as_view(), name="control_detail"),
    path("controls/<int:pk>/edit/", views.ControlUpdateView.as_view(), name="control_edit"),
    path("controls/<int:pk>/history/", views.ControlHistoryView.as_view(), name="control_history"),
    path("controls/<int:pk>/results/<str:period>/", views.ResultEntryView.as_view(), name="result_entry"),
    path("controls/<int:pk>/actions/new/", views.ActionCreateView.as_view(), name="action_create"),
    path("actions/<int:pk>/edit/", views.ActionUpdateView.as_view(), name="action_edit"),
    path(plan, views.ControlPlanView.as_view(), name="plan"),
    path(plan + "matrix/", views.RiskMatrixView.as_view(), name="matrix"),
    path(plan + "actions/", views.ActionListView.as_view(), name="action_list"),
    path(plan + "select/", views.SelectRiskView.as_view(), name="select_risk"),
    path(plan + "approve/", views.ApproveView.as_view(), name="approve"),
]
