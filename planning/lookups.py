"""Finding a plan by its stable name ``<unit-slug>/<year>``, for commands and scripts."""

from django.core.management.base import CommandError

from planning.models import Plan


def plan_by_key(key: str) -> Plan:
    slug, _, year = key.partition("/")
    if not slug or not year.isdigit():
        raise CommandError(f"Name the plan as <unit-slug>/<year>, e.g. regionkontoret/2025 (got {key!r}).")
    plan = Plan.objects.by_key(slug, int(year)).first()
    if plan is None:
        known = ", ".join(p.key for p in Plan.objects.select_related("unit")) or "none"
        raise CommandError(f"No plan {key!r}. Plans: {known}.")
    return plan
