from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Organisation and access")

    def ready(self):
        from core import fixtures, rules  # noqa: F401  registers the core demo loaders and permission rules
        from core.navigation import register_nav

        register_nav(label=_("Organisation"), url_name="core:unit_list", action="core.view_organisation", order=80)
        register_nav(label=_("Admin"), url_name="admin:index", action="core.use_admin", order=90)
