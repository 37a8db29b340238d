"""Template filters for Swedish formatting; loaded as builtins in every template."""

from django import template

from core import formatting

register = template.Library()


@register.filter
def sv_number(value, decimals=0):
    return formatting.sv_number(value, int(decimals))


@register.filter
def sv_money(value, unit="tkr"):
    return formatting.sv_money(value, unit)


@register.filter
def sv_percent(value, decimals=1):
    return formatting.sv_percent(value, int(decimals))


@register.filter
def sv_date(value, style=""):
    return formatting.sv_date(value, full=style == "full")
