"""Browser tests of the plan tree (issue 3): inline activity editing, permissions, reordering, validation, axe.

The demo plan regionkontoret/2025 is at the proposal stage. Two of its office assignments belong to IT och
Digitalisering, the unit of the demo planner; the others belong to other units (HR, HS, …).
Focus areas start closed and load their contents when opened (htmx); without script, a link renders the page
with the area open.
"""

import re

import pytest
from playwright.sync_api import expect

from core.models import User
from planning import services
from planning.models import Assignment, Plan
from tests.e2e.conftest import assert_accessible, sign_in

PLAN = "/plans/regionkontoret/2025/"
TREE = PLAN + "tree/"
AREA = "Accelerera digital transformation"
# Responsible unit ITD (the planner's own); numbered 1.1.1 and 5.3.1. Each shares its title with its goal.
AI = "Skapa förutsättningar för Region Hallands verksamheter att nyttja möjligheterna med AI och informationsdriven"
EHR = "Leda arbetet för ett tryggt och smidigt införande av nytt vårdinformationsstöd"
# Responsible unit HR.
COMPETENCE = "Stärka Region Hallands förmåga att möta ökade kompetensbehov"


def assignment(title) -> Assignment:
    plan = Plan.objects.by_key("regionkontoret", 2025).get()
    return Assignment.objects.in_plan(plan).get(title__startswith=title)


def summary(page, level, title):
    """The <summary> of a tree node: level is "focus-area", "goal" or "assignment"."""
    return page.locator(f".tree__item--{level} > details > summary").filter(has_text=title)


def expect_open(node, is_open=True):
    expect(node.locator("xpath=..")).to_have_js_property("open", is_open)


def open_area(page, title):
    """Click open (unless already open) the focus area that holds the office assignment ``title``; its contents
    arrive by htmx (or were rendered with ``?area=``)."""
    area = summary(page, "focus-area", assignment(title).focus_area.title)
    if not area.locator("xpath=..").evaluate("details => details.open"):
        area.click()
    expect_open(area)
    return area


def unfold(page, title):
    """Open the focus area, then click open the goal and the office assignment named ``title``."""
    open_area(page, title)
    for level in ("goal", "assignment"):
        node = summary(page, level, title)
        expect_open(node, False)
        node.click()
        expect_open(node)


def inline_form(scope, legend):
    """The form whose fieldset is named ``legend`` ("Ny aktivitet", "Redigera aktivitet")."""
    page = getattr(scope, "page", scope)
    return scope.locator("form", has=page.get_by_role("group", name=legend))


def add_activity(activities, title, start="", end="", status=""):
    activities.get_by_role("link", name="Lägg till aktivitet").click()
    form = inline_form(activities, "Ny aktivitet")
    expect(form.get_by_role("group")).to_be_focused()
    form.get_by_label("Rubrik").fill(title)
    if start:
        form.get_by_label("Start").fill(start)
    if end:
        form.get_by_label("Slut").fill(end)
    if status:
        form.get_by_label("Status").select_option(status)
    form.get_by_role("button", name="Spara").click()
    return activities.get_by_role("listitem").filter(has=activities.page.get_by_role("link", name=title, exact=True))


def mark_page(page):
    """Set a flag that a full page load would wipe."""
    page.evaluate("window.e2eSamePage = true")


def expect_same_page(page):
    assert page.evaluate("window.e2eSamePage === true"), "the page was reloaded"


@pytest.fixture
def planner(page, demo):
    sign_in(page, "planerare")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    return page


def test_planner_adds_an_activity_inline_edits_it_and_sees_the_history(planner):
    page = planner
    ai = assignment(AI)
    page.goto(TREE)

    # A summary is a disclosure button for the keyboard: Enter and Space toggle it. The focus area starts closed;
    # opened, it loads its contents, which do not take the focus from the summary.
    # While the contents load (the request held here), the area's status line says so and the content is busy.
    area = summary(page, "focus-area", AREA)
    expect_open(area, False)
    held = []
    page.route("**/tree/areas/*/", lambda route: held.append(route))
    area.focus()
    page.keyboard.press("Enter")
    expect_open(area)
    content = area.locator("xpath=..").locator(".tree__area-content")
    expect(content.get_by_role("status")).to_have_text(re.compile(r"Laddar|Loading"))
    expect(content).to_have_attribute("aria-busy", "true")
    assert len(held) == 1
    held[0].continue_()
    expect(summary(page, "goal", AI)).to_be_visible()
    expect(area).to_be_focused()
    expect(content).not_to_have_attribute("aria-busy", "true")
    page.unroute("**/tree/areas/*/")
    page.keyboard.press(" ")
    expect_open(area, False)
    page.keyboard.press(" ")
    expect_open(area)
    unfold(page, AI)
    expect(summary(page, "assignment", AI)).to_contain_text("1.1.1")

    mark_page(page)
    activities = page.locator(f"#activities-{ai.pk}")
    item = add_activity(
        activities, "Pilot med AI-assistent", start="2025-02-01", end="2025-06-30", status="in_progress"
    )
    expect(item).to_contain_text("1.1.1.1")
    expect(item).to_contain_text("Pågår")
    expect(item).to_contain_text("1 feb 2025–30 jun 2025")
    expect(activities.get_by_role("group")).to_have_count(0)
    expect(item.get_by_role("link", name="Pilot med AI-assistent", exact=True)).to_be_focused()
    expect(summary(page, "assignment", AI)).to_be_visible()
    expect_same_page(page)

    item.get_by_role("link", name="Redigera").click()
    form = inline_form(activities, "Redigera aktivitet")
    expect(form.get_by_role("group")).to_be_focused()
    expect(form.get_by_label("Rubrik")).to_have_value("Pilot med AI-assistent")
    form.get_by_label("Rubrik").fill("Pilot med AI-assistent i vården")
    form.get_by_role("button", name="Spara").click()
    edited = activities.get_by_role("listitem").filter(has_text="Pilot med AI-assistent i vården")
    expect(edited).to_contain_text("1.1.1.1")
    expect(activities.get_by_role("group")).to_have_count(0)
    expect(edited.get_by_role("link", name="Pilot med AI-assistent i vården", exact=True)).to_be_focused()
    expect_same_page(page)

    edited.get_by_role("link", name="Pilot med AI-assistent i vården", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilot med AI-assistent i vården")
    page.get_by_role("main").get_by_role("link", name="Historik").click()
    expect(page).to_have_url(re.compile(r"/plans/activities/\d+/history/$"))
    change = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Rubrik"))
    expect(change.get_by_role("cell")).to_have_text(["Pilot med AI-assistent", "Pilot med AI-assistent i vården"])
    expect(page.locator(".history__entry").filter(has=change)).to_contain_text("Petra Planerare")


def test_planner_cannot_change_another_units_assignment(planner):
    page = planner
    hr, ai = assignment(COMPETENCE), assignment(AI)
    page.goto(TREE)
    unfold(page, COMPETENCE)
    node = summary(page, "assignment", COMPETENCE).locator("xpath=..")
    expect(node.get_by_role("link", name="Detaljer")).to_be_visible()
    expect(node.get_by_text("HR", exact=True)).to_be_visible()
    expect(node.get_by_role("link", name="Redigera")).to_have_count(0)
    expect(node.get_by_role("link", name="Lägg till aktivitet")).to_have_count(0)

    # A forged POST is refused; the same request to the planner's own assignment goes through (so the 403 is
    # the permission check, not CSRF).
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    data = {"csrfmiddlewaretoken": token, "title": "Smuggelaktivitet", "status": "not_started"}
    forged = page.request.post(f"/plans/assignments/{hr.pk}/activities/new/", form=data, max_redirects=0)
    assert forged.status == 403
    assert not hr.activities.exists()
    allowed = page.request.post(f"/plans/assignments/{ai.pk}/activities/new/", form=data, max_redirects=0)
    assert allowed.status == 302
    assert ai.activities.get().title == "Smuggelaktivitet"


def test_moving_an_activity_down_swaps_it_with_the_next_and_renumbers(planner):
    page = planner
    ehr = assignment(EHR)
    user = User.objects.get(username="planerare")
    for title in ("Upphandla journalsystem", "Utbilda användare"):
        services.activity_create(assignment=ehr, data={"title": title}, user=user)
    page.goto(TREE)
    unfold(page, EHR)
    items = page.locator(f"#activities-{ehr.pk}").get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(re.compile(r"5\.3\.1\.1\s+Upphandla journalsystem"))
    expect(items.nth(1)).to_contain_text(re.compile(r"5\.3\.1\.2\s+Utbilda användare"))
    expect(items.nth(0).get_by_role("button", name="Flytta upp")).to_have_count(0)
    expect(items.nth(1).get_by_role("button", name="Flytta ned")).to_have_count(0)

    mark_page(page)
    items.nth(0).get_by_role("button", name="Flytta ned").click()
    expect(items.nth(0)).to_contain_text(re.compile(r"5\.3\.1\.1\s+Utbilda användare"))
    expect(items.nth(1)).to_contain_text(re.compile(r"5\.3\.1\.2\s+Upphandla journalsystem"))
    expect(items.nth(1).get_by_role("button", name="Flytta upp")).to_be_focused()
    expect_same_page(page)
    assert list(ehr.activities.order_by("order").values_list("title", flat=True)) == [
        "Utbilda användare",
        "Upphandla journalsystem",
    ]


def test_invalid_input_is_refused_in_place_and_creates_nothing(planner):
    page = planner
    ai = assignment(AI)
    page.goto(TREE)
    unfold(page, AI)
    activities = page.locator(f"#activities-{ai.pk}")
    activities.get_by_role("link", name="Lägg till aktivitet").click()
    form = inline_form(activities, "Ny aktivitet")
    title = form.get_by_label("Rubrik")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    # Empty: the browser refuses to send the form.
    form.get_by_role("button", name="Spara").click()
    assert title.evaluate("input => input.validity.valueMissing")

    # Blank: the server refuses it; the form comes back in place, the error tied to the field.
    mark_page(page)
    title.fill("   ")
    form.get_by_role("button", name="Spara").click()
    expect(title).to_have_attribute("aria-invalid", "true")
    assert len(posts) == 1, "the empty form was sent"
    expect(title).to_have_accessible_description("Detta fält måste fyllas i.")
    expect(activities.get_by_text("Inga aktiviteter ännu.")).to_be_visible()
    assert not ai.activities.exists()

    # Refused again, for another reason: the second answer lands in place too.
    title.fill("Kartlägga AI-behov")
    form.get_by_label("Start").fill("2025-05-01")
    form.get_by_label("Slut").fill("2025-04-01")
    form.get_by_role("button", name="Spara").click()
    expect(form.get_by_label("Slut")).to_have_accessible_description("Slutdatumet ligger före startdatumet.")
    expect(title).not_to_have_attribute("aria-invalid", "true")
    expect(activities.get_by_role("group", name="Ny aktivitet")).to_have_count(1)
    assert not ai.activities.exists()

    # Corrected, it saves.
    form.get_by_label("Slut").fill("2025-09-30")
    form.get_by_role("button", name="Spara").click()
    expect(activities.get_by_role("link", name="Kartlägga AI-behov", exact=True)).to_be_visible()
    expect(activities.get_by_role("group")).to_have_count(0)
    expect_same_page(page)
    assert ai.activities.get().title == "Kartlägga AI-behov"


def test_planning_pages_are_accessible(planner):
    page = planner
    ai = assignment(AI)
    user = User.objects.get(username="planerare")
    activity = services.activity_create(assignment=ai, data={"title": "Kartlägga AI-behov"}, user=user)

    # The tree unfolded, with the inline form open: one run, as axe takes seconds on the whole tree. "Expand all"
    # opens the focus areas, which load their contents; what arrives opens too.
    page.goto(TREE)
    page.get_by_role("button", name="Fäll ut alla").click()
    expect(page.locator(".tree__area-status")).to_have_count(0)
    expect_open(summary(page, "assignment", AI))
    expect(page.locator("#plan-tree details:not([open])")).to_have_count(0)
    page.locator(f"#activities-{ai.pk}").get_by_role("link", name="Lägg till aktivitet").click()
    expect(page.get_by_role("group", name="Ny aktivitet")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/plans/assignments/{ai.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(AI)
    assert_accessible(page)
    page.goto(f"/plans/activities/{activity.pk}/edit/")
    expect(page.get_by_role("group", name="Redigera aktivitet")).to_be_visible()
    assert_accessible(page)
    page.goto(PLAN)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_inline_form_fields_on_the_tree_are_labelled(planner):
    page = planner
    ai = assignment(AI)
    page.goto(TREE)
    unfold(page, AI)
    page.locator(f"#activities-{ai.pk}").get_by_role("link", name="Lägg till aktivitet").click()
    form = inline_form(page, "Ny aktivitet")
    expect(form.get_by_label("Status")).to_have_count(1, timeout=1000)


@pytest.fixture
def no_script(browser, live_server, demo):
    """A page of a browser with script turned off, signed in as the planner."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, "planerare")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    yield page
    context.close()


def test_without_script_a_focus_area_opens_by_its_link_and_activities_still_move(no_script):
    page = no_script
    ehr = assignment(EHR)
    user = User.objects.get(username="planerare")
    for title in ("Upphandla journalsystem", "Utbilda användare"):
        services.activity_create(assignment=ehr, data={"title": title}, user=user)
    page.goto(TREE)
    area = summary(page, "focus-area", ehr.focus_area.title)
    area.click()
    expect_open(area)
    content = area.locator("xpath=..").locator(".tree__area-content")
    expect(content.get_by_role("listitem")).to_have_count(0)  # not loaded: only the link to the page with it open
    content.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/tree/\?area={ehr.focus_area_id}#focus-area-{ehr.focus_area_id}$"))
    unfold(page, EHR)
    items = page.locator(f"#activities-{ehr.pk}").get_by_role("listitem")
    expect(items.nth(0)).to_contain_text(re.compile(r"5\.3\.1\.1\s+Upphandla journalsystem"))

    # The move buttons share one form per list (one CSRF token); without script it posts and lands on the assignment.
    items.nth(0).get_by_role("button", name="Flytta ned").click()
    expect(page).to_have_url(re.compile(rf"/plans/assignments/{ehr.pk}/$"))
    expect(items.nth(0)).to_contain_text(re.compile(r"5\.3\.1\.1\s+Utbilda användare"))
    assert list(ehr.activities.order_by("order").values_list("title", flat=True)) == [
        "Utbilda användare",
        "Upphandla journalsystem",
    ]
