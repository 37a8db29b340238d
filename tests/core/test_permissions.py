import pytest
from django.core.exceptions import ImproperlyConfigured

from core.choices import Role
from core.permissions import can, forget_access, has_role, roles, unit_ids_for
from tests.conftest import make_unit


def test_a_role_covers_the_unit_and_everything_below(users, org):
    planner = users["planner"]
    assert has_role(planner, {Role.PLANNER}, org["itd"])
    assert not has_role(planner, {Role.PLANNER}, org["hr"])
    assert not has_role(planner, {Role.PLANNER}, org["rk"])
    team = make_unit("ITD-DEV", parent=org["itd"])
    forget_access(planner)
    assert has_role(planner, {Role.PLANNER}, team)
    assert unit_ids_for(planner, {Role.PLANNER}) == {org["itd"].pk, team.pk}


def test_user_without_membership_has_no_roles(users):
    assert roles(users["nobody"]) == set()


def test_checks_cost_two_queries_per_request_whatever_their_number(users, org, django_assert_num_queries):
    controller = users["controller"]
    with django_assert_num_queries(2):
        for unit in org.values():
            roles(controller, unit)
        unit_ids_for(controller, {Role.CONTROLLER})


def test_unknown_action_is_a_programming_error(users):
    with pytest.raises(ImproperlyConfigured):
        can(users["reader"], "core.no_such_action")


def test_inactive_and_anonymous_users_may_do_nothing(users):
    from django.contrib.auth.models import AnonymousUser

    reader = users["reader"]
    reader.is_active = False
    assert not can(reader, "core.view_organisation")
    assert not can(AnonymousUser(), "core.view_dashboard")
