from core.navigation import nav_for


def navigation(request):
    return {"nav_items": nav_for(request.user) if hasattr(request, "user") else []}
