"""Every role × every URL of the project: a view with no check, or the wrong one, fails here.

A new URL must be added to ``MATRIX`` (which roles may open it, and how to build its arguments);
an unknown URL fails ``test_every_url_is_in_the_matrix``. Each view must use ``PermissionMixin``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.views import PermissionMixin
from planning.models import Assignment
from tests.budget.factories import budget_world
from tests.internalcontrol.factories import internal_control_world
from tests.planning.factories import make_plan

ANON = "anonymous"
MEMBERS = {"planner", "controller", "secretary", "reader", "administrator"}
EVERYONE = MEMBERS | {"nobody"}
ALL_USERS = sorted(EVERYONE | {ANON})

# Views outside our permission module: Django's own sign-in/out and admin (guarded by the admin site).
PUBLIC = {"login", "logout"}
OUR_APPS = {"core", "planning", "budget", "internalcontrol", "followup"}


def no_args(world):
    return {}


def plan_args(world):
    return world["plan"].url_kwargs()


def plan_area_args(world):
    return {**plan_args(world), "pk": world["plan"].focus_areas.first().pk}


def export_args(world):
    return {**plan_args(world), "fmt": "json"}


def itd_assignment(world):
    return {"pk": world["itd_assignment"].pk}


def itd_activity(world):
    return {"pk": world["itd_activity"].pk}


PLAN_OWNERS = {"secretary", "administrator"}
ITD_EDITORS = PLAN_OWNERS | {"planner"}  # the demo planner belongs to ITD, which is responsible here

# url name → (allowed roles, kwargs builder). GET is checked for every role; writes are in the apps' tests.
MATRIX = {
    "core:dashboard": (EVERYONE, no_args),
    "core:unit_list": (MEMBERS, no_args),
    "planning:plan_list": (MEMBERS, no_args),
    "planning:plan_detail": (MEMBERS, plan_args),
    "planning:plan_tree": (MEMBERS, plan_args),
    "planning:plan_tree_area": (MEMBERS, plan_area_args),
    "planning:plan_mapping": (MEMBERS, plan_args),
    "planning:indicator_list": (MEMBERS, plan_args),
    "planning:plan_export": (MEMBERS, export_args),
    "planning:plan_stage": (PLAN_OWNERS, plan_args),
    "planning:assignment_detail": (MEMBERS, itd_assignment),
    "planning:assignment_edit": (ITD_EDITORS, itd_assignment),
    "planning:assignment_history": (MEMBERS, itd_assignment),
    "planning:activity_create": (ITD_EDITORS, itd_assignment),
    "planning:activity_detail": (MEMBERS, itd_activity),
    "planning:activity_edit": (ITD_EDITORS, itd_activity),
    "planning:activity_delete": (ITD_EDITORS, itd_activity),
    "planning:activity_history": (MEMBERS, itd_activity),
    "planning:plan_changes": (MEMBERS, plan_args),
    "planning:plan_as_of": (MEMBERS, plan_args),
    "planning:plan_adjustments": (MEMBERS, plan_args),
    "planning:plan_roll": (PLAN_OWNERS, plan_args),
    # POST-only: GET answers 405 to those allowed, 403 to the rest
    "planning:activity_move": (ITD_EDITORS, itd_activity),
}
POST_ONLY = {"planning:activity_move"}


# Internal control: an ITD-owned risk in the 2025 plan's control plan, with a T1 control, its result and an action.
def ic_risk(world):
    return {"pk": world["ic_risk"].pk}


def ic_assess(world):
    return {"pk": world["ic_risk"].pk, "year": world["plan"].year}


def ic_selected(world):
    return {"pk": world["ic_selected"].pk}


def ic_control(world):
    return {"pk": world["ic_control"].pk}


def ic_result(world):
    return {"pk": world["ic_control"].pk, "period": "T1"}


def ic_action(world):
    return {"pk": world["ic_action"].pk}


MATRIX.update(
    {
        "internalcontrol:index": (MEMBERS, no_args),
        "internalcontrol:risk_list": (MEMBERS, no_args),
        "internalcontrol:risk_create": (ITD_EDITORS, no_args),  # proposers: planners, secretaries, administrators
        "internalcontrol:risk_detail": (MEMBERS, ic_risk),
        "internalcontrol:risk_edit": (ITD_EDITORS, ic_risk),
        "internalcontrol:risk_history": (MEMBERS, ic_risk),
        "internalcontrol:risk_assess": (ITD_EDITORS, ic_assess),
        "internalcontrol:plan": (MEMBERS, plan_args),
        "internalcontrol:matrix": (MEMBERS, plan_args),
        "internalcontrol:action_list": (MEMBERS, plan_args),
        "internalcontrol:select_risk": (ITD_EDITORS, plan_args),
        "internalcontrol:approve": (PLAN_OWNERS, plan_args),
        "internalcontrol:control_create": (ITD_EDITORS, ic_selected),
        "internalcontrol:control_detail": (MEMBERS, ic_control),
        "internalcontrol:control_edit": (ITD_EDITORS, ic_control),
        "internalcontrol:control_history": (MEMBERS, ic_control),
        "internalcontrol:result_entry": (ITD_EDITORS, ic_result),
        "internalcontrol:action_create": (ITD_EDITORS, ic_control),
        "internalcontrol:action_edit": (ITD_EDITORS, ic_action),
    }
)


# Budget: the plan's budget (three columns), an initiative, an investment and a pending upload.
BUDGET_EDITORS = {"controller", "secretary", "administrator"}  # of the plan's unit; planners and readers only read


def budget_pk(key):
    return lambda world: {"pk": world[key].pk}


def budget_upload(world):
    return {**plan_args(world), "pk": world["budget_import"].pk}


def budget_template(world):
    return {**plan_args(world), "kind": "budget"}


MATRIX.update(
    {
        "budget:index": (MEMBERS, no_args),
        "budget:budget_table": (MEMBERS, plan_args),
        "budget:frame": (MEMBERS, plan_args),
        "budget:initiative_list": (MEMBERS, plan_args),
        "budget:investment_grid": (MEMBERS, plan_args),
        "budget:outcomes": (MEMBERS, plan_args),
        "budget:adjustment_list": (MEMBERS, plan_args),
        "budget:export": (MEMBERS, plan_args),
        "budget:line_history": (MEMBERS, budget_pk("budget_line")),
        "budget:investment_history": (MEMBERS, budget_pk("budget_investment")),
        "budget:column_create": (BUDGET_EDITORS, plan_args),
        "budget:initiative_create": (BUDGET_EDITORS, plan_args),
        "budget:initiative_edit": (BUDGET_EDITORS, budget_pk("budget_initiative")),
        "budget:initiative_delete": (BUDGET_EDITORS, budget_pk("budget_initiative")),
        "budget:investment_create": (BUDGET_EDITORS, plan_args),
        "budget:adjustment_create": (BUDGET_EDITORS, plan_args),
        "budget:import_upload": (BUDGET_EDITORS, plan_args),
        "budget:import_preview": (BUDGET_EDITORS, budget_upload),
        "budget:import_template": (BUDGET_EDITORS, budget_template),
        "budget:budget_cell": (BUDGET_EDITORS, plan_args),
        "budget:frame_cell": (BUDGET_EDITORS, plan_args),
        "budget:frame_create": (BUDGET_EDITORS, plan_args),
        "budget:investment_cell": (BUDGET_EDITORS, plan_args),
    }
)
POST_ONLY |= {"budget:budget_cell", "budget:frame_cell", "budget:frame_create", "budget:investment_cell"}

# Follow-up and printing: the plan's print preview and PDF, for every member.
MATRIX.update({"followup:plan_preview": (MEMBERS, plan_args), "followup:plan_pdf": (MEMBERS, plan_args)})


# Follow-up reports: the plan's T1 report with an approval on record, and a finished PDF job the secretary asked for
# (a job is seen only by whoever asked for it; the administrator is a superuser).
def report_args(world):
    from tests.followup.factories import followup_world

    return followup_world(world)["report"].url_kwargs()


def approval_args(world):
    return {**report_args(world), "pk": world["report_approval"].pk}


def job_args(world):
    report_args(world)
    return {"pk": world["report_job"].pk}


JOB_OWNER = {"secretary", "administrator"}
MATRIX.update(
    {
        "followup:index": (MEMBERS, no_args),
        "followup:plan_pdf_job": (MEMBERS, plan_args),
        "followup:job_detail": (JOB_OWNER, job_args),
        "followup:job_download": (JOB_OWNER, job_args),
        "followup:report_list": (MEMBERS, plan_args),
        "followup:report_create": (PLAN_OWNERS, plan_args),
        "followup:report_detail": (MEMBERS, report_args),
        "followup:report_decision": (PLAN_OWNERS, report_args),
        "followup:report_preview": (MEMBERS, report_args),
        "followup:report_pdf_job": (MEMBERS, report_args),
        "followup:approval_pdf": (MEMBERS, approval_args),
    }
)
POST_ONLY |= {"followup:plan_pdf_job", "followup:report_create", "followup:report_pdf_job"}


# Follow-up entry forms: each section's page for every member; the saves (POST only) for whom the followup rules let
# write: texts and the assessment the plan's owners, an ITD assignment's status ITD's editors, outcomes and forecasts
# the controllers and owners.
def entry_args(**extra):
    """The report's kwargs and ``extra``, whose callable values are called with the world."""
    return lambda world: {**report_args(world), **{k: v(world) if callable(v) else v for k, v in extra.items()}}


def new_indicator(world):
    from tests.planning.factories import add_indicator

    return add_indicator(world["plan"]).pk


MATRIX.update(
    {
        "followup:report_section": (MEMBERS, entry_args(section="summary")),
        "followup:report_text": (PLAN_OWNERS, entry_args(key="summary")),
        "followup:report_assessment": (PLAN_OWNERS, report_args),
        "followup:report_status": (ITD_EDITORS, entry_args(kind="assignment", pk=lambda w: w["itd_assignment"].pk)),
        "followup:report_indicator": (BUDGET_EDITORS, entry_args(pk=new_indicator)),
        "followup:report_forecast": (
            BUDGET_EDITORS,
            entry_args(kind="column", pk=lambda w: w["budget_line"].column_id),
        ),
    }
)
POST_ONLY |= {
    "followup:report_text",
    "followup:report_assessment",
    "followup:report_status",
    "followup:report_indicator",
    "followup:report_forecast",
}


def iter_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from iter_patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry


def our_patterns(resolver=None):
    return {
        name: pattern
        for name, pattern in iter_patterns(resolver)
        if name.split(":")[0] in OUR_APPS and ":" in name or name in PUBLIC
    }


def views_without_check(patterns: dict) -> list[str]:
    """URL names whose view does not go through the permission module."""
    missing = []
    for name, pattern in patterns.items():
        if name in PUBLIC:
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if not (view_class and issubclass(view_class, PermissionMixin) and view_class.permission_action):
            missing.append(name)
    return sorted(missing)


def test_every_url_is_in_the_matrix():
    names = set(our_patterns()) - PUBLIC
    assert names - set(MATRIX) == set(), "URLs without an entry in the permission matrix"
    assert set(MATRIX) - names == set(), "matrix entries for URLs that no longer exist"


def test_every_view_uses_the_permission_module():
    assert views_without_check(our_patterns()) == []


def test_the_check_finds_a_view_without_permission():
    """The test of the test: a plain view in a URLconf is reported."""
    from django.http import HttpResponse
    from django.urls import include, path
    from django.views import View

    class Unchecked(View):
        def get(self, request):
            return HttpResponse("open")

    class Checked(PermissionMixin, View):
        permission_action = "core.view_dashboard"

    urls = ([path("a/", Unchecked.as_view(), name="open"), path("b/", Checked.as_view(), name="closed")], "core")

    class FakeConf:
        urlpatterns = [path("x/", include(urls))]

    resolver = get_resolver(FakeConf)
    assert views_without_check(our_patterns(resolver)) == ["core:open"]


@pytest.fixture
def world(users, org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=1, responsible=org["itd"])
    assignment = Assignment.objects.in_plan(plan).get()
    return {
        "users": users,
        "org": org,
        "plan": plan,
        "itd_assignment": assignment,
        "itd_activity": assignment.activities.get(),
        **internal_control_world(plan, org),
        **budget_world(plan, org),
    }


@pytest.mark.parametrize("who", ALL_USERS)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_role_can_open_url_only_when_allowed(client, world, who, url_name):
    allowed, kwargs = MATRIX[url_name]
    url = reverse(url_name, kwargs=kwargs(world))
    if who != ANON:
        client.force_login(world["users"][who])
    response = client.get(url)
    if who == ANON:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif who in allowed:
        assert response.status_code == (405 if url_name in POST_ONLY else 200)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", ALL_USERS)
def test_only_administrators_reach_the_admin_site(client, world, who):
    if who != ANON:
        client.force_login(world["users"][who])
    response = client.get("/admin/")
    assert response.status_code == (200 if who == "administrator" else 302)
