from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternalControlConfig(AppConfig):
    name = "internalcontrol"
    verbose_name = _("Internal control")

    def ready(self):
        from core.navigation import register_nav
        from internalcontrol import fixtures, rules  # noqa: F401  registers demo loader and permission rules
        from internalcontrol.documents import internal_control_context
        from internalcontrol.export import internal_control_export
        from planning.documents import register_document_section
        from planning.export import register_section

        register_nav(
            label=_("Internal control"), url_name="internalcontrol:index", action="internalcontrol.view", order=30
        )
        register_section("internal_control", internal_control_export)

        from internalcontrol import adjustments, roll
        from planning.adjustments import register_adjustments
        from planning.history import register_feed_source
        from planning.roll import register_roll

        register_adjustments("internal_control", adjustments.control_plan_adjustments)
        for source in adjustments.FEED_SOURCES:
            register_feed_source(source)
        adjustments.register_restore_guards()
        register_roll("internal_control", roll.roll_control_plan)
        register_document_section(
            "internal_control",
            template_name="internalcontrol/document/internal_control.html",
            context=internal_control_context,
        )
