"""Follow-up in the admin: administrators set the reporting deadlines; reports, approvals and PDF jobs can be read
but not changed here, since reports change only through their decisions and an approval is never altered."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from followup.models import FollowUpReport, Period, RenderJob, ReportApproval


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["year", "code", "deadline"]
    list_filter = ["year", "code"]
    fields = ["year", "code", "deadline"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FollowUpReport)
class FollowUpReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "plan", "status", "assessment"]
    list_filter = ["status", "period__year", "period__code"]


@admin.register(ReportApproval)
class ReportApprovalAdmin(ReadOnlyAdmin):
    list_display = ["report", "approved_at", "approved_by", "pages", "pdf_sha256"]
    exclude = ["pdf", "snapshot"]


@admin.register(RenderJob)
class RenderJobAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "requested_by", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    exclude = ["pdf"]
