from django.contrib import admin

from core.admin import VersionedHistoryAdmin
from internalcontrol.models import (
    Action,
    Control,
    ControlPlan,
    ControlResult,
    Risk,
    RiskAssessment,
    RiskScale,
    SelectedRisk,
)


@admin.register(RiskScale)
class RiskScaleAdmin(VersionedHistoryAdmin):
    """An organisation's scale words and level thresholds: data, kept here by administrators."""

    list_display = ["unit", "medium_from", "high_from", "very_high_from"]


class AssessmentInline(admin.TabularInline):
    model = RiskAssessment
    extra = 0
    exclude = ["version"]


@admin.register(Risk)
class RiskAdmin(VersionedHistoryAdmin):
    list_display = ["title", "unit", "owner_unit", "area"]
    list_filter = ["unit", "owner_unit", "area"]
    search_fields = ["title", "description"]
    inlines = [AssessmentInline]
    raw_id_fields = ["goal", "assignment"]


@admin.register(ControlPlan)
class ControlPlanAdmin(VersionedHistoryAdmin):
    list_display = ["__str__", "plan", "status", "approved_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "approved_at", "approved_by"]  # approval is recorded by its own workflow


@admin.register(Control)
class ControlAdmin(VersionedHistoryAdmin):
    list_display = ["title", "selected_risk", "method", "in_t1", "in_t2", "in_t3", "responsible_unit"]
    list_filter = ["method", "selected_risk__control_plan"]
    search_fields = ["title", "description"]


@admin.register(Action)
class ActionAdmin(VersionedHistoryAdmin):
    list_display = ["__str__", "control", "owner", "due_date", "status"]
    list_filter = ["status"]


admin.site.register([SelectedRisk, ControlResult], VersionedHistoryAdmin)
