from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import VersionedHistoryAdmin
from planning.models import (
    Activity,
    Assignment,
    FocusArea,
    Goal,
    Indicator,
    IndicatorTarget,
    Milestone,
    Plan,
    PlanSection,
    PreparationStep,
    StageTransition,
)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class SectionInline(admin.StackedInline):
    model = PlanSection
    extra = 0
    exclude = ["version"]


@admin.register(Plan)
class PlanAdmin(VersionedHistoryAdmin):
    list_display = ["title", "unit", "year", "stage"]
    list_filter = ["stage", "unit", "year"]
    search_fields = ["title"]
    inlines = [MilestoneInline, SectionInline]
    readonly_fields = ["stage"]  # stages change through the plan's stage workflow, which records the decision


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ["order", "title", "description"]


@admin.register(FocusArea)
class FocusAreaAdmin(VersionedHistoryAdmin):
    list_display = ["title", "plan", "kind", "order"]
    list_filter = ["plan", "kind"]
    search_fields = ["title"]
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(VersionedHistoryAdmin):
    list_display = ["title", "focus_area", "order"]
    list_filter = ["focus_area__plan"]
    search_fields = ["title"]


@admin.register(Assignment)
class AssignmentAdmin(VersionedHistoryAdmin):
    list_display = ["title", "kind", "focus_area", "responsible_unit", "order"]
    list_filter = ["focus_area__plan", "kind", "responsible_unit"]
    search_fields = ["title", "description"]
    filter_horizontal = ["goals"]


@admin.register(Activity)
class ActivityAdmin(VersionedHistoryAdmin):
    list_display = ["title", "assignment", "section", "status", "start", "end", "responsible_unit"]
    list_filter = ["status", "responsible_unit"]
    search_fields = ["title", "description"]


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(VersionedHistoryAdmin):
    list_display = ["name", "plan", "area", "unit", "direction", "frequency"]
    list_filter = ["plan", "area"]
    search_fields = ["name", "definition"]
    inlines = [TargetInline]


admin.site.register(PlanSection, VersionedHistoryAdmin)
admin.site.register([PreparationStep, StageTransition], SimpleHistoryAdmin)
