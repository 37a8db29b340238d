"""Writes of the core app: units, users and memberships."""

from django.db import transaction

from core.choices import Role
from core.history import stamp
from core.models import Membership, Unit, User


@transaction.atomic
def units_load_tree(*, nodes: list[dict], parent: Unit | None = None, reason: str) -> int:
    """Create the units of a nested tree (``code``, ``slug``, ``name``, ``kind``, ``children``) that do not exist.

    Existing units (by code) are left as they are. Returns how many were created.
    """
    created = 0
    for order, node in enumerate(nodes):
        unit = Unit.objects.filter(code=node["code"]).first()
        if unit is None:
            unit = Unit(
                code=node["code"], slug=node["slug"], name=node["name"], kind=node["kind"], parent=parent, order=order
            )
            unit.full_clean()
            stamp(unit, reason=reason).save()
            created += 1
        created += units_load_tree(nodes=node.get("children", []), parent=unit, reason=reason)
    return created


@transaction.atomic
def user_ensure(*, username: str, password: str, first_name: str, last_name: str, superuser: bool = False) -> User:
    """Create the user if missing and set the given password."""
    user, _ = User.objects.get_or_create(username=username, defaults={"first_name": first_name, "last_name": last_name})
    user.first_name, user.last_name = first_name, last_name
    user.is_staff = user.is_superuser = superuser
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def membership_ensure(*, user: User, unit: Unit, role: Role, reason: str) -> Membership:
    membership = Membership.objects.filter(user=user, unit=unit, role=role).first()
    if membership is None:
        membership = Membership(user=user, unit=unit, role=role)
        membership.full_clean()
        stamp(membership, reason=reason).save()
    return membership
