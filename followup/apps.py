from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowUpConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from core.navigation import register_nav
        from followup import fixtures, rules  # noqa: F401  registers the demo loader and permission rules
        from planning.documents import register_document_link

        register_document_link(label=_("Print preview"), url_name="followup:plan_preview", action="planning.view_plan")
        register_document_link(
            label=_("Download as PDF"),
            url_name="followup:plan_pdf_job",
            action="planning.view_plan",
            post=True,
            hint=_("Creating the PDF can take a few seconds."),
        )
        register_nav(label=_("Follow-up"), url_name="followup:index", action="followup.view_report", order=40)

        from followup.history import FEED_SOURCES
        from planning.history import register_feed_source

        for source in FEED_SOURCES:
            register_feed_source(source)
