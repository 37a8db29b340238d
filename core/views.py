from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from core.history import field_changes
from core.models import Unit
from core.permissions import can, roles


class PermissionMixin(LoginRequiredMixin):
    """Every view of the project uses this: sign-in first, then ``can(user, permission_action, object)``.

    Views that work on one object get it from ``get_object()`` (fetched once and reused).
    """

    permission_action: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.permission_action:
            raise ImproperlyConfigured(f"{type(self).__name__} has no permission_action.")
        if not can(request.user, self.permission_action, self.get_permission_object()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        if isinstance(self, SingleObjectMixin):
            return self.get_object()
        return None

    def get_object(self, queryset=None):
        if queryset is not None:
            return super().get_object(queryset)
        if not hasattr(self, "_object"):
            self._object = super().get_object()
        return self._object


class HtmxPartialMixin:
    """An htmx request gets ``partial_template_name``, a normal one the full page."""

    partial_template_name: str | None = None

    def get_template_names(self):
        if self.partial_template_name and getattr(self.request, "htmx", False):
            return [self.partial_template_name]
        return super().get_template_names()


class DashboardView(PermissionMixin, TemplateView):
    permission_action = "core.view_dashboard"
    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            memberships=user.memberships.select_related("unit").order_by("unit__order", "unit__name"),
            has_roles=bool(roles(user)),
            **kwargs,
        )


class UnitListView(PermissionMixin, ListView):
    permission_action = "core.view_organisation"
    template_name = "core/unit_list.html"
    queryset = Unit.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        return super().get_context_data(units=unit_tree(self.object_list), **kwargs)


def unit_tree(units) -> list[tuple[int, Unit]]:
    """Units in tree order with their depth, from one flat list."""
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[int, Unit]] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            ordered.append((depth, unit))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


class HistoryView(PermissionMixin, DetailView):
    """The history tab of an object: who changed what and when, field by field."""

    template_name = "core/history.html"

    def get_context_data(self, **kwargs):
        records = list(self.object.history.select_related("history_user"))
        entries = []
        for index, newer in enumerate(records):
            older = records[index + 1] if index + 1 < len(records) else None
            entries.append({"record": newer, "changes": field_changes(newer, older) if older else []})
        return super().get_context_data(entries=entries, **kwargs)
