"""The report's entry forms: validation and widgets only; the views save through ``followup.services`` (and the
forecasts through ``budget.services``). Every form that edits a versioned row carries the version it was opened on
(0: there was no row yet)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from followup.choices import ItemStatus
from followup.models import BreakdownValue, FollowUpReport
from planning.choices import Breakdown

MINUS = "\u2212"


class DecimalCommaField(forms.DecimalField):
    """A number typed the Swedish way (``11,15``, ``1 234,5``, ``−3``) or with a point. ``scale`` is what one typed
    unit is worth in the stored one (1000: typed in tkr, stored in kronor)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, *, scale: int = 1, **kwargs):
        self.scale = Decimal(scale)
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(ch for ch in value if not ch.isspace()).replace(MINUS, "-").replace(",", ".")
        number = super().to_python(value)
        return None if number is None else number * self.scale

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{(value / self.scale).normalize():f}".replace(".", ",")
        return value


def _label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class TextForm(VersionForm):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = label


class AssessmentForm(VersionForm):
    assessment = forms.ChoiceField(
        label=_label(FollowUpReport, "assessment"),
        choices=[("", _("Not assessed yet")), *ItemStatus.choices],
        required=False,
    )


class StatusForm(VersionForm):
    status = forms.ChoiceField(choices=[("", _("Choose a status")), *ItemStatus.choices])
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, item: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].label = _("Status of %(item)s") % {"item": item}
        self.fields["comment"].label = _("Comment on %(item)s") % {"item": item}


class IndicatorOutcomeForm(VersionForm):
    value = DecimalCommaField(max_digits=14, required=False)
    analysis = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)

    def __init__(self, *args, indicator: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].label = _("Outcome of %(indicator)s") % {"indicator": indicator}
        self.fields["analysis"].label = _("Analysis of %(indicator)s") % {"indicator": indicator}


class BreakdownForm(forms.Form):
    """One group of an indicator's outcome (women 12,46 %); a row left empty is dropped."""

    dimension = forms.ChoiceField(
        label=_label(BreakdownValue, "dimension"), choices=[("", "–"), *Breakdown.choices], required=False
    )
    label = forms.CharField(label=_label(BreakdownValue, "label"), max_length=100, required=False)
    value = DecimalCommaField(label=_label(BreakdownValue, "value"), max_digits=14, required=False)

    def clean(self):
        data = super().clean()
        given = [name for name in self.fields if data.get(name) not in (None, "")]
        if given and len(given) < len(self.fields):
            raise ValidationError(_("Give the breakdown, the group and the value, or leave the row empty."))
        return data


BreakdownFormSet = forms.formset_factory(BreakdownForm, extra=2)


class ForecastForm(VersionForm):
    """A full-year forecast typed in tkr; empty removes it."""

    amount = DecimalCommaField(scale=1000, required=False)

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = label


class ItemFilterForm(forms.Form):
    """The goal page's filters (GET): only what the user's units are responsible for, only what has no status."""

    mine = forms.BooleanField(label=_("Only my unit's items"), required=False)
    missing = forms.BooleanField(label=_("Only items without a status"), required=False)
