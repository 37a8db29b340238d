from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from core.history import format_moment, history_restore, record_changes, restorable_fields, version_token
from core.models import Unit
from core.permissions import can, roles
from core.versioning import StaleVersion


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


class HistoryFilterForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Changed by"), required=False, coerce=int, empty_value=None)
    field = forms.ChoiceField(label=_("Field"), required=False)

    def __init__(self, *args, users=(), fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Everyone")), *((u.pk, str(u)) for u in users)]
        self.fields["field"].choices = [("", _("All fields")), *fields]


class RestoreForm(forms.Form):
    record = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HistoryView(PermissionMixin, DetailView):
    """The history tab of an object: who changed what and when, field by field, filterable by user and field.

    Administrators (``core.restore_version``) can restore an earlier version with a POST to the same page; the form
    carries the object's current version, so a restore from a stale page is refused.
    """

    template_name = "core/history.html"
    max_records = 500

    def get_context_data(self, **kwargs):
        obj = self.object
        records = list(obj.history.select_related("history_user")[: self.max_records + 1])
        shown = records[: self.max_records]
        pairs = [(newer, records[i + 1] if i + 1 < len(records) else None) for i, newer in enumerate(shown)]
        changes = record_changes(pairs)
        users = {r.history_user_id: r.history_user for r in shown if r.history_user_id}
        tracked_m2m = getattr(obj.history.model, "_history_m2m_fields", None) or []
        fields = [(f.name, str(f.verbose_name).capitalize()) for f in [*restorable_fields(type(obj)), *tracked_m2m]]
        form = HistoryFilterForm(
            self.request.GET or None, users=sorted(users.values(), key=str), fields=fields, auto_id="history-%s"
        )
        chosen = form.cleaned_data if form.is_valid() else {}
        entries = []
        for (record, _older), record_change in zip(pairs, changes, strict=True):
            if chosen.get("user") and record.history_user_id != chosen["user"]:
                continue
            if chosen.get("field") and not any(c.field == chosen["field"] for c in record_change):
                continue
            entries.append({"record": record, "changes": record_change, "current": record is records[0]})
        return super().get_context_data(
            entries=entries,
            filter_form=form,
            filtered=bool(chosen.get("user") or chosen.get("field")),
            truncated=len(records) > self.max_records,
            can_restore=can(self.request.user, "core.restore_version", obj),
            version=version_token(obj),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.object = obj = self.get_object()
        if not can(request.user, "core.restore_version", obj):
            raise PermissionDenied
        form = RestoreForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Choose a version to restore."))
        record = obj.history.filter(history_id=form.cleaned_data["record"]).first()
        if record is None:
            raise Http404
        try:
            history_restore(obj=obj, record=record, user=request.user, version=form.cleaned_data["version"])
        except StaleVersion as stale:
            return self.refused(str(stale), status=409)
        except ValidationError as error:
            return self.refused(" ".join(error.messages), status=400)
        messages.success(
            request, _("The version from %(date)s was restored.") % {"date": format_moment(record.history_date)}
        )
        return redirect(request.path)

    def refused(self, message, status):
        self.object = type(self.object)._default_manager.get(pk=self.object.pk)  # the saved state, not the attempt
        context = self.get_context_data(object=self.object, restore_error=message)
        return self.render_to_response(context, status=status)
