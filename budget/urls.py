from django.urls import path

from budget import views

app_name = "budget"
plan = "<slug:unit>/<int:year>/"
urlpatterns = [
    # Item routes first: "initiatives/1/" would otherwise read as a plan "<unit>/<year>/".
    path("initiatives/<int:pk>/edit/", views.InitiativeUpdateView.as_view(), name="initiative_edit"),
    path("initiatives/<int:pk>/delete/", views.InitiativeDeleteView.as_view(), name="initiative_delete"),
    path("lines/<int:pk>/history/", views.BudgetLineHistoryView.as_view(), name="line_history"),
    path("investments/<int:pk>/history/", views.InvestmentHistoryView.as_view(), name="investment_history"),
    path("", views.BudgetIndexView.as_view(), name="index"),
    path(plan, views.BudgetTableView.as_view(), name="budget_table"),
    path(plan + "cell/", views.BudgetCellView.as_view(), name="budget_cell"),
    path(plan + "columns/new/", views.ColumnCreateView.as_view(), name="column_create"),
    path(plan + "frame/", views.FrameView.as_view(), name="frame"),
    path(plan + "frame/create/", views.FrameCreateView.as_view(), name="frame_create"),
    path(plan + "frame/cell/", views.FrameCellView.as_view(), name="frame_cell"),
    path(plan + "initiatives/", views.InitiativeListView.as_view(), name="initiative_list"),
    path(plan + "initiatives/new/", views.InitiativeCreateView.as_view(), name="initiative_create"),
    path(plan + "investments/", views.InvestmentGridView.as_view(), name="investment_grid"),
    path(plan + "investments/cell/", views.InvestmentCellView.as_view(), name="investment_cell"),
    path(plan + "investments/new/", views.InvestmentCreateView.as_view(), name="investment_create"),
    path(plan + "outcomes/", views.OutcomeView.as_view(), name="outcomes"),
    path(plan + "adjustments/", views.AdjustmentListView.as_view(), name="adjustment_list"),
    path(plan + "adjustments/new/", views.AdjustmentCreateView.as_view(), name="adjustment_create"),
    path(plan + "export.xlsx", views.ExportView.as_view(), name="export"),
    path(plan + "import/", views.ImportUploadView.as_view(), name="import_upload"),
    path(plan + "import/<int:pk>/", views.ImportPreviewView.as_view(), name="import_preview"),
    path(plan + "import/template-<str:kind>.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
]
