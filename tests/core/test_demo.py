import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from core.models import Membership, Unit, User


def run_demo(**options):
    out = io.StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_demo_loads_units_and_one_user_per_role_and_is_idempotent():
    with override_settings(DEBUG=True):
        first = run_demo()
        counts = (Unit.objects.count(), User.objects.count(), Membership.objects.count())
        second = run_demo()
    assert "00_units.json: 15 units" in first
    assert "00_units.json: 0 units" in second
    assert counts == (Unit.objects.count(), User.objects.count(), Membership.objects.count())
    assert sorted(Membership.objects.values_list("role", flat=True)) == sorted(
        ["administrator", "controller", "planner", "reader", "secretary"]
    )
    assert Unit.objects.get(slug="regionkontoret").parent.name == "Regionstyrelsen"
    assert User.objects.get(username="planerare").check_password("demo-2025")
    assert Unit.history.filter(history_change_reason="Demodata").count() == 15


@pytest.mark.django_db(transaction=True)
def test_demo_refuses_users_with_known_passwords_when_debug_is_off():
    with pytest.raises(CommandError, match="--force-demo-users"):
        run_demo()
    assert User.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_reset_erases_and_reloads():
    run_demo(force_demo_users=True)
    Unit.objects.filter(code="FAST").update(name="Ändrad")
    out = run_demo(force_demo_users=True, reset=True)
    assert "Erased all data." in out
    assert Unit.objects.get(code="FAST").name == "Fastighet"
