"""The one place that answers "may this user do this action on this object".

Every app registers a rule per action (``"<app>.<verb>_<thing>"``) in its ``rules.py``; views ask
:func:`can` through :class:`core.views.PermissionMixin`, querysets ask :func:`unit_ids_for` to scope.

A membership gives a role in a unit and in every unit below it. Roles and the unit tree are read
once per request and cached on the user object, so checks cost a constant number of queries.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from core.choices import Role

Rule = Callable[[Any, Any], bool]
_rules: dict[str, Rule] = {}

EDITOR_ROLES = {Role.PLANNER, Role.CONTROLLER, Role.SECRETARY, Role.ADMINISTRATOR}


def register(action: str, rule: Rule) -> None:
    if action in _rules:
        raise ImproperlyConfigured(f"Permission rule {action!r} is registered twice.")
    _rules[action] = rule


def rule(action: str):
    """Decorator form of :func:`register`."""

    def decorator(func: Rule) -> Rule:
        register(action, func)
        return func

    return decorator


def registered_actions() -> list[str]:
    return sorted(_rules)


def can(user, action: str, obj: Any = None) -> bool:
    try:
        check = _rules[action]
    except KeyError:
        raise ImproperlyConfigured(f"No permission rule for {action!r}.") from None
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(check(user, obj))


class _Access:
    """A user's roles per unit, with the unit tree, loaded in two queries."""

    def __init__(self, user):
        from core.models import Membership, Unit

        self.units = list(Unit.objects.all())
        self.parent_of = {unit.pk: unit.parent_id for unit in self.units}
        self.roles_at: dict[int, set[str]] = {}
        for unit_id, role in Membership.objects.filter(user=user).values_list("unit_id", "role"):
            self.roles_at.setdefault(unit_id, set()).add(role)

    def ancestry(self, unit_id: int | None) -> Iterable[int]:
        seen = set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            yield unit_id
            unit_id = self.parent_of.get(unit_id)

    def roles_for(self, unit_id: int | None) -> set[str]:
        roles: set[str] = set()
        for ancestor in self.ancestry(unit_id):
            roles |= self.roles_at.get(ancestor, set())
        return roles

    def all_roles(self) -> set[str]:
        return set().union(*self.roles_at.values()) if self.roles_at else set()

    def unit_ids_with(self, roles: set[str]) -> set[int]:
        return {unit_id for unit_id in self.parent_of if self.roles_for(unit_id) & roles}


def access(user) -> _Access:
    cached = getattr(user, "_core_access", None)
    if cached is None:
        cached = user._core_access = _Access(user)
    return cached


def all_units(user) -> list:
    """Every unit, in tree order of ``Unit.Meta.ordering``, from the per-request cache (no extra query)."""
    return access(user).units


def unit_with_descendants(user, unit_id: int) -> set[int]:
    acc = access(user)
    return {uid for uid in acc.parent_of if unit_id in acc.ancestry(uid)}


def forget_access(user) -> None:
    """Drop the cached roles, after memberships change within one request or test."""
    user.__dict__.pop("_core_access", None)


def roles(user, unit=None) -> set[str]:
    """The user's roles at ``unit`` (inherited from above), or anywhere when ``unit`` is None."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Role.values)
    acc = access(user)
    if unit is None:
        return acc.all_roles()
    return acc.roles_for(unit if isinstance(unit, int) else unit.pk)


def has_role(user, allowed: Iterable[str], unit=None) -> bool:
    return bool(roles(user, unit) & set(allowed))


def is_member(user) -> bool:
    """Any role anywhere: members read everything in the organisation."""
    return bool(roles(user))


def unit_ids_for(user, allowed: Iterable[str]) -> set[int] | None:
    """Units where the user holds one of the roles; None means every unit (superuser)."""
    if user.is_superuser:
        return None
    if not user.is_authenticated:
        return set()
    return access(user).unit_ids_with(set(allowed))
