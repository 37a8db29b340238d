from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from budget.choices import MONEY_UNITS
from budget.models import (
    AccountClass,
    BudgetAdjustment,
    BudgetColumn,
    FrameAdjustment,
    FrameColumn,
    Initiative,
    Investment,
)
from core.formatting import MINUS
from core.formatting import MONEY_UNITS as FACTORS
from core.forms import DateInput, VersionedModelForm
from core.models import Unit

SPACES = {" ", "\u00a0", "\u202f", "\u2009"}
CENT = Decimal("0.01")


def parse_amount(text: str, unit: str = "tkr") -> Decimal | None:
    """Swedish or plain input (``−380,1``, ``-380.1``, ``1 234``) in ``unit`` → kronor; empty → None."""
    cleaned = "".join(ch for ch in (text or "").strip() if ch not in SPACES).replace(MINUS, "-").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(_("Enter an amount, e.g. 1 234,5.")) from None
    if not value.is_finite():
        raise ValidationError(_("Enter an amount, e.g. 1 234,5."))
    kronor = value * FACTORS[unit]
    if kronor != kronor.quantize(CENT):
        raise ValidationError(_("The amount has more decimals than whole öre."))
    if abs(kronor) >= Decimal(10) ** 14:
        raise ValidationError(_("The amount is too large."))
    return kronor.quantize(CENT)


def input_value(value_in_kr, unit: str = "tkr") -> str:
    """The exact amount in ``unit`` for an input field (``-380,1``): saving it unchanged changes nothing."""
    if value_in_kr is None or value_in_kr == "":
        return ""
    value = (Decimal(value_in_kr) / FACTORS[unit]).normalize()
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class AmountField(forms.CharField):
    """An amount typed in tkr or mnkr (the form's ``unit``), cleaned to kronor."""

    def __init__(self, *, unit: str = "tkr", **kwargs):
        self.unit = unit
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_amount(super().to_python(value), self.unit)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return input_value(value, self.unit)
        return value


class CellForm(forms.Form):
    """One cell of a grid: an amount in the page's unit and the version it was opened on (0: empty)."""

    amount = forms.CharField(required=False, strip=True)
    version = forms.IntegerField(required=False, min_value=0)
    unit = forms.ChoiceField(choices=MONEY_UNITS, required=False)

    def clean(self):
        data = super().clean()
        try:
            data["amount"] = parse_amount(data.get("amount", ""), data.get("unit") or "tkr")
        except ValidationError as error:
            self.add_error("amount", error)
        return data


class BudgetCellForm(CellForm):
    column = forms.ModelChoiceField(queryset=BudgetColumn.objects.none())
    account_class = forms.ModelChoiceField(queryset=AccountClass.objects.all())

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = BudgetColumn.objects.filter(plan=plan)


class FrameCellForm(CellForm):
    """A frame figure: a step's amount in a column, or a column's previous or decided frame."""

    column = forms.ModelChoiceField(queryset=FrameColumn.objects.none())
    adjustment = forms.ModelChoiceField(queryset=FrameAdjustment.objects.none(), required=False)
    field = forms.ChoiceField(
        choices=[("amount", "amount"), ("previous_total", "previous_total"), ("decided_total", "decided_total")]
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = FrameColumn.objects.filter(frame__plan=plan).select_related("frame__plan")
        self.fields["adjustment"].queryset = FrameAdjustment.objects.filter(frame__plan=plan)

    def clean(self):
        data = super().clean()
        if data.get("field") == "amount" and not data.get("adjustment"):
            self.add_error("adjustment", _("Choose the adjustment."))
        return data


class InvestmentCellForm(CellForm):
    investment = forms.ModelChoiceField(queryset=Investment.objects.none())
    year = forms.IntegerField()

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["investment"].queryset = Investment.objects.filter(plan=plan).select_related("plan")

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not self.plan.year <= year < self.plan.year + 5:
            raise ValidationError(_("The year is outside the plan's five-year horizon."))
        return year


class ColumnForm(forms.ModelForm):
    class Meta:
        model = BudgetColumn
        fields = ["name", "code", "unit", "profile"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["unit"].queryset = Unit.objects.all()
        self.fields["profile"].queryset = plan.budget_profiles.all()


class InitiativeForm(VersionedModelForm):
    amount = AmountField(label=_("Amount (tkr)"))

    class Meta:
        model = Initiative
        fields = ["title", "unit", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.all()


class AdjustmentForm(forms.ModelForm):
    amount = AmountField(label=_("Amount (tkr)"))

    class Meta:
        model = BudgetAdjustment
        fields = [
            "amount",
            "from_column",
            "from_text",
            "to_column",
            "to_unit",
            "to_text",
            "decision_reference",
            "decided_on",
            "note",
        ]
        widgets = {"decided_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        columns = BudgetColumn.objects.filter(plan=plan)
        self.fields["from_column"].queryset = columns
        self.fields["to_column"].queryset = columns
        self.fields["to_unit"].queryset = Unit.objects.all()


class InvestmentForm(forms.ModelForm):
    total = AmountField(label=_("Total budget (tkr)"), required=False)

    class Meta:
        model = Investment
        fields = ["name", "category", "department", "total"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["department"].queryset = Unit.objects.all()


class DeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class ConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput)
