import pytest

from core.choices import Role
from core.models import Membership, Unit, User

ROLES = [Role.PLANNER, Role.CONTROLLER, Role.SECRETARY, Role.READER, Role.ADMINISTRATOR]


def make_unit(code, *, parent=None, kind="division", name=None):
    return Unit.objects.create(code=code, slug=code.lower(), name=name or f"Enhet {code}", kind=kind, parent=parent)


def make_user(username, *, role=None, unit=None, **extra):
    user = User.objects.create_user(username=username, password="pw-" + username, **extra)
    if role:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def org(db):
    """A small organisation: region → administration RK → divisions ITD and HR."""
    region = make_unit("RH", kind="region", name="Region Halland")
    rk = make_unit("RK", parent=region, kind="administration", name="Regionkontoret")
    return {
        "region": region,
        "rk": rk,
        "itd": make_unit("ITD", parent=rk, name="IT och Digitalisering"),
        "hr": make_unit("HR", parent=rk, name="HR"),
    }


@pytest.fixture
def users(org):
    """One user per role plus a signed-up user with no role. The planner belongs to ITD, the others to RK."""
    result = {"nobody": make_user("nobody")}
    for role in ROLES:
        unit = org["itd"] if role == Role.PLANNER else org["rk"]
        admin = role == Role.ADMINISTRATOR
        result[role.value] = make_user(role.value, role=role, unit=unit, is_staff=admin, is_superuser=admin)
    return result


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's database setup, plus: before the test database is dropped, end sessions that other
    threads (the browser tests' live server) may still hold, so PostgreSQL can drop it cleanly."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
