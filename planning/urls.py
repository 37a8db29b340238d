from django.urls import path

from planning import views

app_name = "planning"
plan = "<slug:unit>/<int:year>/"
urlpatterns = [
    # Item routes first: "assignments/1/" would otherwise read as a plan "<unit>/<year>/".
    path("assignments/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment_detail"),
    path("assignments/<int:pk>/edit/", views.AssignmentUpdateView.as_view(), name="assignment_edit"),
    path("assignments/<int:pk>/history/", views.AssignmentHistoryView.as_view(), name="assignment_history"),
    path("assignments/<int:pk>/activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("activities/<int:pk>/move/", views.ActivityMoveView.as_view(), name="activity_move"),
    path("activities/<int:pk>/history/", views.ActivityHistoryView.as_view(), name="activity_history"),
    path("", views.PlanListView.as_view(), name="plan_list"),
    path(plan, views.PlanDetailView.as_view(), name="plan_detail"),
    path(plan + "tree/", views.PlanTreeView.as_view(), name="plan_tree"),
    path(plan + "tree/areas/<int:pk>/", views.PlanTreeAreaView.as_view(), name="plan_tree_area"),
    path(plan + "mapping/", views.PlanMappingView.as_view(), name="plan_mapping"),
    path(plan + "indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path(plan + "export.<str:fmt>", views.PlanExportView.as_view(), name="plan_export"),
    path(plan + "stage/", views.PlanStageView.as_view(), name="plan_stage"),
    path(plan + "changes/", views.PlanChangesView.as_view(), name="plan_changes"),
    path(plan + "as-of/", views.PlanAsOfView.as_view(), name="plan_as_of"),
    path(plan + "adjustments/", views.PlanAdjustmentsView.as_view(), name="plan_adjustments"),
    path(plan + "roll/", views.PlanRollView.as_view(), name="plan_roll"),
]
