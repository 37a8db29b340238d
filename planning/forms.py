from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, VersionedModelForm
from core.models import Unit
from planning.choices import ActivityStatus, AssignmentKind, Stage
from planning.models import Activity, Assignment, Goal


class AssignmentForm(VersionedModelForm):
    class Meta:
        model = Assignment
        fields = ["title", "kind", "description", "goals", "responsible_unit", "responsible_person"]
        widgets = {"goals": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = Goal.objects.filter(focus_area__plan=self.instance.focus_area.plan)
        self.fields["responsible_unit"].queryset = Unit.objects.all()


class ActivityForm(VersionedModelForm):
    class Meta:
        model = Activity
        fields = ["title", "description", "start", "end", "responsible_unit", "responsible_person", "status"]
        widgets = {"start": DateInput(), "end": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = Unit.objects.all()


class DeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MoveForm(forms.Form):
    offset = forms.TypedChoiceField(choices=[(-1, _("Up")), (1, _("Down"))], coerce=int)


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when a decided plan is reopened."),
    )  # fmt: skip


class TreeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *AssignmentKind.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ActivityStatus.choices]
    )
    late = forms.BooleanField(label=_("Only late activities"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units")), *((u.pk, u.name) for u in units)]
