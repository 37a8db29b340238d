from planning.models import Plan


def plan_switcher(request):
    """The plans a signed-in member can switch between in the header (one query, only on full pages)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or getattr(request, "htmx", False):
        return {}
    return {"plan_switcher": Plan.objects.for_user(user).select_related("unit").only("year", "title", "unit__slug")}
