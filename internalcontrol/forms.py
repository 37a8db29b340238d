from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, VersionedModelForm
from core.models import Unit
from internalcontrol.choices import ReportingPeriod, RiskArea, RiskLevel
from internalcontrol.models import SCALE_STEPS, Action, Control, ControlResult, Risk, RiskAssessment
from planning.models import Assignment, Goal


class PlanItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.focus_area.plan.year}: {obj.title}"


class RiskForm(VersionedModelForm):
    goal = PlanItemChoiceField(label=_("Threatens goal"), queryset=Goal.objects.none(), required=False)
    assignment = PlanItemChoiceField(
        label=_("Threatens assignment"), queryset=Assignment.objects.none(), required=False
    )

    class Meta:
        model = Risk
        fields = ["title", "description", "area", "unit", "owner_unit", "owner_person", "goal", "assignment"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, owner_units=None, **kwargs):
        """``owner_units``: the units the user may make owner (None: all)."""
        super().__init__(*args, **kwargs)
        units = Unit.objects.all()
        self.fields["owner_unit"].queryset = units if owner_units is None else units.filter(pk__in=owner_units)
        if self.instance.pk:
            del self.fields["unit"]  # a risk stays in its organisation's risk analysis
            plans = {"focus_area__plan__unit": self.instance.unit}
        else:
            self.fields["unit"].queryset = Unit.objects.administrations()
            plans = {"focus_area__plan__unit__kind": "administration"}
        related = ("focus_area__plan",)
        self.fields["goal"].queryset = Goal.objects.filter(**plans).select_related(*related)
        self.fields["assignment"].queryset = Assignment.objects.filter(**plans).select_related(*related)


def scale_choices(labels):
    return [(step, f"{step} {labels[step - 1]}") for step in SCALE_STEPS]


class AssessmentForm(VersionedModelForm):
    class Meta:
        model = RiskAssessment
        fields = ["probability", "consequence", "rationale"]
        widgets = {
            "probability": forms.RadioSelect,
            "consequence": forms.RadioSelect,
            "rationale": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["probability"].choices = scale_choices(scale.probability_labels)
        self.fields["consequence"].choices = scale_choices(scale.consequence_labels)


class SelectRiskForm(forms.Form):
    risk = forms.ModelChoiceField(label=_("Risk"), queryset=Risk.objects.none())
    reason = forms.CharField(
        label=_("Reason for controlling it"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, risks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = risks


class ControlForm(VersionedModelForm):
    periods = forms.MultipleChoiceField(
        label=_("Reported in"),
        choices=ReportingPeriod.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The follow-up reports in which the result of the control is reported."),
    )

    class Meta:
        model = Control
        fields = ["title", "description", "method", "periods", "responsible_unit", "responsible_person"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = Unit.objects.all()
        if self.instance.pk:
            self.fields["periods"].initial = self.instance.periods

    def clean(self):
        cleaned = super().clean()
        self.instance.set_periods(cleaned.get("periods") or [])  # for the model's own check in _post_clean
        return cleaned


TABLE_HELP = _(
    "Optional. One row per line; the first line holds the column headings. Separate the cells with a semicolon (;) "
    "or a tab, e.g. “Område; Antal dokument; Procent”. Pasting from Excel gives tabs."
)


def parse_table(text: str) -> dict | None:
    """Text rows (cells split on tabs, else on semicolons) → ``{"columns": [...], "rows": [[...], ...]}``."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if not lines:
        return None

    def cells(line):
        return [cell.strip() for cell in (line.split("\t") if "\t" in line else line.split(";"))]

    columns = cells(lines[0])
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        row = cells(line)
        if len(row) > len(columns):
            raise ValidationError(
                _("Line %(line)s has %(cells)s cells but the heading line has %(columns)s."),
                params={"line": number, "cells": len(row), "columns": len(columns)},
            )
        rows.append(row + [""] * (len(columns) - len(row)))
    return {"columns": columns, "rows": rows}


def table_text(table: dict | None) -> str:
    """The stored table as editable text (tabs when a cell holds a semicolon)."""
    if not table:
        return ""
    lines = [table["columns"], *table["rows"]]
    sep = "\t" if any(";" in cell for line in lines for cell in line) else "; "
    return "\n".join(sep.join(line) for line in lines)


class ResultForm(VersionedModelForm):
    table_text = forms.CharField(
        label=_("Table"), required=False, help_text=TABLE_HELP, widget=forms.Textarea(attrs={"rows": 8})
    )

    class Meta:
        model = ControlResult
        fields = ["outcome", "text"]
        widgets = {"outcome": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [c for c in self.fields["outcome"].choices if c[0]]
        if self.instance.pk:
            self.fields["table_text"].initial = table_text(self.instance.table)

    def clean_table_text(self):
        return parse_table(self.cleaned_data["table_text"])


class ActionForm(VersionedModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "due_date", "status", "result"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, control, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = control.results.all()
        self.fields["result"].label_from_instance = lambda r: f"{r.get_period_display()}: {r.get_outcome_display()}"


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RegisterFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    area = forms.ChoiceField(label=_("Area"), required=False, choices=[("", _("All areas")), *RiskArea.choices])
    owner_unit = forms.TypedChoiceField(label=_("Owner unit"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *RiskLevel.choices])
    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, *args, years=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["owner_unit"].choices = [("", _("All units")), *((u.pk, u.name) for u in units)]
