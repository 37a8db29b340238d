from django import template

from planning.choices import STATUS_BADGE

register = template.Library()


@register.filter
def status_badge(status: str) -> str:
    """The badge colour of an activity status (ok, warn, bad, neutral)."""
    return STATUS_BADGE.get(status, "neutral")


@register.filter
def target_for(indicator, year):
    return indicator.target_for(int(year))
