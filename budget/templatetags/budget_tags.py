from django import template

from budget import calculations
from budget.forms import input_value

register = template.Library()


@register.filter
def result_sign(value):
    """Show a budget-sign amount the way result tables do (net cost negative)."""
    return calculations.result_sign(value)


@register.filter
def as_input(value, unit="tkr"):
    """The exact amount in ``unit`` for an input field."""
    return input_value(value, unit)


@register.inclusion_tag("budget/partials/cell.html", takes_context=True)
def cell_input(context, url, amount, version, label, target, **hidden):
    """An editable grid cell: a one-field form that saves with htmx (or plain POST on Enter without script)."""
    unit = context.get("unit", "tkr")
    return {
        "url": url,
        "value": input_value(amount, unit),
        "version": version,
        "label": f"{label}, {hidden['year']}" if "year" in hidden else label,
        "target": target,
        "hidden": sorted(hidden.items()),
        "id": "cell-" + "-".join(str(v) for _k, v in sorted(hidden.items())),
        "unit": unit,
        "csrf_token": context.get("csrf_token"),
    }
