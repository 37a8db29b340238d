from core.choices import Role
from core.permissions import has_role, is_member, rule


@rule("core.view_dashboard")
def view_dashboard(user, obj):
    return True


@rule("core.view_organisation")
def view_organisation(user, obj):
    return is_member(user)


@rule("core.use_admin")
def use_admin(user, obj):
    return user.is_staff and has_role(user, {Role.ADMINISTRATOR})


@rule("core.restore_version")
def restore_version(user, obj):
    """Restoring an earlier version of any object, from its history tab: administrators only."""
    return has_role(user, {Role.ADMINISTRATOR})
