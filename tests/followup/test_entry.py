"""The report's entry pages, one per section: who sees what, who saves what (htmx and plain POST), stale and bad
input refused with nothing changed, an approved report read-only, and query counts that do not grow with the plan."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.models import Forecast, InvestmentForecast
from budget.services import forecast_set
from followup import services
from followup.choices import ReportStatus, Section
from followup.entry_views import meets_target
from followup.models import FollowUpReport, IndicatorOutcome, ReportText, StatusUpdate
from internalcontrol.models import ControlResult
from planning.models import Activity, Assignment, PlanSection
from tests.budget.factories import MN, add_outcomes, classes, make_budget, make_investment
from tests.internalcontrol.factories import make_control, make_risk, select
from tests.planning.factories import add_indicator, make_plan

MEMBERS = ["planner", "controller", "secretary", "reader", "administrator"]
HTMX = {"HTTP_HX_REQUEST": "true"}


def build_report(org, users, *, year=2025, size=1):
    """A plan of ``size`` (focus areas, goals, assignments …) with everything each section shows, and its T1 report.

    The planner's unit ITD is responsible for the assignments; the last assignment is HR's."""
    plan = make_plan(
        org["rk"], year=year, areas=size, goals=size, assignments=size + 1, activities=size, responsible=org["itd"]
    )
    hr_assignment = Assignment.objects.in_plan(plan).last()
    Assignment.objects.filter(pk=hr_assignment.pk).update(responsible_unit=org["hr"])
    hr_assignment.activities.update(responsible_unit=org["hr"])
    work = PlanSection.objects.create(plan=plan, kind="work_environment", title="Arbetsmiljöplan")
    for i in range(size):
        Activity.objects.create(section=work, title=f"Arbetsmiljö {i + 1}", responsible_unit=org["itd"], order=i)
    for i in range(size):
        add_indicator(plan, name=f"Indikator {i + 1}")
    columns = make_budget(plan, unit=org["rk"])
    if size > 1:
        make_budget(plan, lines={(f"K{i}", f"Kolumn {i}"): {"INT": "-1", "PERS": "2"} for i in range(size * 3)})
    add_outcomes(columns["RK"], classes()["PERS"], {1: "100000", 2: "100000"})
    for i in range(size):
        make_investment(plan, f"Investering {i + 1}", years={year: "1000000"})
    controls = []
    for i in range(size):
        risk = make_risk(org["rk"], owner=org["itd"], title=f"Risk {year}.{i + 1}", scores={year: (2, 2)})
        controls.append(make_control(select(plan, risk, order=i), responsible=org["itd"], title=f"Kontroll {i + 1}"))
        ControlResult.objects.create(control=controls[-1], period="T1", outcome="met", text="Inga avvikelser.")
    report = services.report_create(plan=plan, period="T1", user=users["secretary"])
    return {"report": report, "plan": plan, "columns": columns, "ic_control": controls[0]}


@pytest.fixture
def world(org, users):
    return build_report(org, users)


def url(report, name, **kwargs):
    return reverse(f"followup:{name}", kwargs={**report.url_kwargs(), **kwargs})


def section(report, name):
    return url(report, "report_section", section=name)


def itd_assignment(plan):
    return Assignment.objects.in_plan(plan).filter(responsible_unit__code="ITD").first()


def hr_assignment(plan):
    return Assignment.objects.in_plan(plan).get(responsible_unit__code="HR")


def status_url(report, item):
    kind = "assignment" if isinstance(item, Assignment) else "activity"
    return url(report, "report_status", kind=kind, pk=item.pk)


# Every section, every member --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", MEMBERS)
@pytest.mark.parametrize("name", Section.values)
def test_every_section_opens_for_every_member_with_the_report_tabs(client, users, world, who, name):
    report = world["report"]
    client.force_login(users[who])

    response = client.get(section(report, name))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{url(report, "report_detail")}"' in html
    for other in Section.values:
        assert f'href="{section(report, other)}"' in html
    tabs = html[html.index('<nav class="tabs"') : html.index("</nav>", html.index('<nav class="tabs"'))]
    assert re.findall(r'href="([^"]+)" aria-current="page"', tabs) == [section(report, name)]
    assert "style=" not in html and "<script>" not in html


def test_unknown_sections_and_reports_are_not_found(client, users, world):
    report = world["report"]
    client.force_login(users["reader"])
    assert client.get(section(report, "summary").replace("summary", "budget")).status_code == 404
    assert client.get(section(report, "summary").replace("/T1/", "/T2/")).status_code == 404
    client.force_login(users["nobody"])
    assert client.get(section(report, "summary")).status_code == 403


# Texts and the overall assessment ---------------------------------------------------------------------------------


def test_the_summary_form_has_a_stable_labelled_field(client, users, world):
    client.force_login(users["secretary"])
    html = client.get(section(world["report"], "summary")).content.decode()
    assert '<label for="text-summary-body">' in html
    assert '<textarea name="body" cols="40" rows="8" id="text-summary-body"' in html
    assert 'id="assessment-assessment"' in html


def test_a_secretary_saves_the_summary_with_htmx_and_gets_the_form_back_with_the_new_version(client, users, world):
    report = world["report"]
    client.force_login(users["secretary"])

    response = client.post(
        url(report, "report_text", key="summary"), {"body": " Allt går enligt plan. ", "version": 0}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div id="text-summary" class="entry">' in html and "<html" not in html  # the form alone, to swap in
    assert 'role="status"' in html and 'name="version" value="1"' in html
    text = ReportText.objects.get(report=report, key="summary")
    assert text.body == "Allt går enligt plan." and text.version == 1
    assert text.history.first().history_user == users["secretary"]


def test_without_script_a_save_redirects_back_to_the_section(client, users, world):
    report = world["report"]
    client.force_login(users["secretary"])

    response = client.post(url(report, "report_text", key="summary"), {"body": "Sammanfattat.", "version": 0})

    assert response.status_code == 302
    assert response.url == section(report, "summary") + "#text-summary"
    assert ReportText.objects.get(report=report, key="summary").body == "Sammanfattat."
    assert "Sammanfattat." in client.get(response.url).content.decode()


def test_a_stale_text_is_refused_with_who_changed_it_and_nothing_changes(client, users, world):
    report = world["report"]
    services.report_text_save(report=report, key="summary", body="Först.", user=users["administrator"], version=0)
    client.force_login(users["secretary"])

    for data, extra in ((0, HTMX), (0, {}), (2, HTMX)):
        response = client.post(url(report, "report_text", key="summary"), {"body": "Sen.", "version": data}, **extra)
        assert response.status_code == 409
        assert str(users["administrator"]) in response.content.decode()
    assert ReportText.objects.get(report=report, key="summary").body == "Först."


@pytest.mark.parametrize("who", ["planner", "controller", "reader", "nobody"])
def test_only_the_plans_secretaries_and_administrators_write_the_summary(client, users, world, who):
    report = world["report"]
    client.force_login(users[who])
    response = client.post(url(report, "report_text", key="summary"), {"body": "Nej.", "version": 0}, **HTMX)
    assert response.status_code == 403
    assert not ReportText.objects.filter(report=report).exists()
    if who != "nobody":
        html = client.get(section(report, "summary")).content.decode()
        assert 'id="text-summary"' in html and "text-summary-body" not in html  # read-only


def test_controllers_write_the_economy_texts(client, users, world):
    report = world["report"]
    client.force_login(users["controller"])
    response = client.post(url(report, "report_text", key="result"), {"body": "Lägre kostnader.", "version": 0})
    assert response.status_code == 302 and response.url.endswith(section(report, "economy") + "#text-result")
    assert ReportText.objects.get(report=report, key="result").history.first().history_user == users["controller"]


def test_the_overall_assessment_is_saved_and_an_unknown_one_refused(client, users, world):
    report = world["report"]
    client.force_login(users["secretary"])

    bad = client.post(url(report, "report_assessment"), {"assessment": "great", "version": report.version}, **HTMX)
    good = client.post(url(report, "report_assessment"), {"assessment": "on_track", "version": report.version}, **HTMX)

    stale = client.post(url(report, "report_assessment"), {"assessment": "done", "version": report.version}, **HTMX)

    assert (bad.status_code, good.status_code, stale.status_code) == (400, 200, 409)
    report.refresh_from_db()
    assert report.assessment == "on_track" and report.history.first().history_user == users["secretary"]
    client.force_login(users["planner"])
    assert client.post(url(report, "report_assessment"), {"assessment": "deviation", "version": 9}).status_code == 403


# Goal management: statuses of assignments and activities ---------------------------------------------------------


def test_a_planner_saves_the_status_of_an_assignment_of_the_unit(client, users, world):
    report, assignment = world["report"], itd_assignment(world["plan"])
    client.force_login(users["planner"])

    response = client.post(
        status_url(report, assignment), {"status": "at_risk", "comment": "Försenat.", "version": 0}, **HTMX
    )

    assert response.status_code == 200
    assert f'id="status-assignment-{assignment.pk}"' in response.content.decode()
    update = StatusUpdate.objects.get(report=report, assignment=assignment)
    assert (update.status, update.comment, update.version) == ("at_risk", "Försenat.", 1)
    assert update.history.first().history_user == users["planner"]


def test_a_planner_saves_an_activity_without_script_and_returns_to_the_goals(client, users, world):
    report = world["report"]
    activity = itd_assignment(world["plan"]).activities.first()
    client.force_login(users["planner"])

    response = client.post(status_url(report, activity), {"status": "done", "comment": "", "version": 0})

    assert response.status_code == 302
    assert response.url == section(report, "goals") + f"#status-activity-{activity.pk}"
    assert StatusUpdate.objects.get(report=report, activity=activity).status == "done"


def test_a_planner_cannot_save_another_units_assignment(client, users, world):
    report, other = world["report"], hr_assignment(world["plan"])
    client.force_login(users["planner"])

    response = client.post(status_url(report, other), {"status": "done", "comment": "", "version": 0}, **HTMX)

    assert response.status_code == 403
    assert not StatusUpdate.objects.exists()
    html = client.get(section(report, "goals")).content.decode()
    assert f"status-assignment-{other.pk}-status" not in html  # read-only for the planner
    assert f"status-assignment-{itd_assignment(world['plan']).pk}-status" in html


def test_an_unknown_status_or_a_stale_version_changes_nothing(client, users, world):
    report, assignment = world["report"], itd_assignment(world["plan"])
    services.status_save(
        report=report, item=assignment, status="on_track", comment="Ok.", user=users["secretary"], version=0
    )
    client.force_login(users["planner"])

    unknown = client.post(status_url(report, assignment), {"status": "fine", "comment": "x", "version": 1}, **HTMX)
    stale = client.post(status_url(report, assignment), {"status": "done", "comment": "x", "version": 0}, **HTMX)
    plain = client.post(status_url(report, assignment), {"status": "", "comment": "x", "version": 1})

    assert unknown.status_code == 400 and stale.status_code == 409 and plain.status_code == 400
    assert str(users["secretary"]) in stale.content.decode()
    assert "<!doctype html>" in plain.content.decode()  # without script: the form alone, on a page of its own
    update = StatusUpdate.objects.get(report=report, assignment=assignment)
    assert (update.status, update.comment, update.version) == ("on_track", "Ok.", 1)


def test_goals_show_every_assignment_under_its_area_and_goal_with_the_sentence_the_report_prints(client, users, world):
    plan = world["plan"]
    client.force_login(users["reader"])
    html = client.get(section(world["report"], "goals")).content.decode()
    for assignment in Assignment.objects.in_plan(plan).prefetch_related("goals__focus_area"):
        goal = assignment.goals.get()
        assert f'id="item-assignment-{assignment.pk}"' in html
        sentence = re.search(
            rf'id="item-assignment-{assignment.pk}".*?class="report-item__contributes">(.*?)</p>', html, re.S
        ).group(1)
        assert goal.title in sentence and goal.focus_area.title in sentence
    assert html.index("Fokusområde 1") < html.index("Mål 1.1") < html.index("Uppdrag 1.1.1")
    assert "<h3" in html and "<h4" in html and "<h5" in html


def test_the_goal_filters_show_only_the_units_items_or_those_without_a_status(client, users, world):
    report, plan = world["report"], world["plan"]
    mine, other = itd_assignment(plan), hr_assignment(plan)
    for item in (mine, *mine.activities.all()):
        services.status_save(report=report, item=item, status="done", comment="", user=users["planner"], version=0)
    client.force_login(users["planner"])

    only_mine = client.get(section(report, "goals") + "?mine=on").content.decode()
    missing = client.get(section(report, "goals") + "?missing=on").content.decode()

    assert f'id="status-assignment-{mine.pk}"' in only_mine and f'id="status-assignment-{other.pk}"' not in only_mine
    assert f'id="status-assignment-{mine.pk}"' not in missing and f'id="status-assignment-{other.pk}"' in missing
    assert 'id="filter-mine" checked' in only_mine


# Quality management: operations text and the work-environment plan ------------------------------------------------


def test_quality_shows_the_operations_text_and_the_work_environment_activities(client, users, world):
    report = world["report"]
    activity = Activity.objects.get(section__plan=world["plan"])
    client.force_login(users["planner"])

    page = client.get(section(report, "quality")).content.decode()
    response = client.post(status_url(report, activity), {"status": "on_track", "comment": "Ok.", "version": 0})

    assert f'id="status-activity-{activity.pk}-status"' in page and 'id="text-operations"' in page
    assert "text-operations-body" not in page  # the operations text is the secretaries'
    assert (
        response.status_code == 302 and response.url == section(report, "quality") + f"#status-activity-{activity.pk}"
    )
    assert StatusUpdate.objects.get(activity=activity).history.first().history_user == users["planner"]


def test_the_plans_secretary_writes_the_operations_text(client, users, world):
    report = world["report"]
    client.force_login(users["secretary"])
    response = client.post(
        url(report, "report_text", key="operations"), {"body": "Ny avdelning.", "version": 0}, **HTMX
    )
    assert response.status_code == 200 and 'id="text-operations-body"' in response.content.decode()
    text = ReportText.objects.get(report=report, key="operations")
    assert text.body == "Ny avdelning." and text.history.first().history_user == users["secretary"]


# Employees: indicator outcomes -------------------------------------------------------------------------------------


def indicator_data(**extra):
    data = {
        "value": "11,15",
        "analysis": "Marginellt över målvärdet.",
        "version": 0,
        "breakdown-TOTAL_FORMS": 3,
        "breakdown-INITIAL_FORMS": 0,
        "breakdown-0-dimension": "gender",
        "breakdown-0-label": "Kvinnor",
        "breakdown-0-value": "12,46",
        "breakdown-1-dimension": "age_band",
        "breakdown-1-label": "20–29 år",
        "breakdown-1-value": "34.71",
    }
    return {**data, **extra}


def test_a_controller_saves_an_outcome_typed_with_a_decimal_comma_and_its_groups(client, users, world):
    report = world["report"]
    indicator = world["plan"].indicators.first()
    client.force_login(users["controller"])

    response = client.post(url(report, "report_indicator", pk=indicator.pk), indicator_data(), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="11,15"' in html and 'value="12,46"' in html and 'name="version" value="1"' in html
    outcome = IndicatorOutcome.objects.get(report=report, indicator=indicator)
    assert outcome.value == Decimal("11.15") and outcome.analysis == "Marginellt över målvärdet."
    assert [(b.dimension, b.label, b.value) for b in outcome.breakdown.order_by("order")] == [
        ("gender", "Kvinnor", Decimal("12.46")),
        ("age_band", "20–29 år", Decimal("34.71")),
    ]
    assert outcome.history.first().history_user == users["controller"]


def test_without_script_an_outcome_is_saved_and_the_page_shows_it(client, users, world):
    report = world["report"]
    indicator = world["plan"].indicators.first()
    client.force_login(users["secretary"])

    response = client.post(url(report, "report_indicator", pk=indicator.pk), indicator_data(value="2,58"))

    assert response.status_code == 302
    assert response.url == section(report, "employees") + f"#indicator-{indicator.pk}"
    outcome = IndicatorOutcome.objects.get(report=report, indicator=indicator)
    assert outcome.value == Decimal("2.58") and outcome.history.first().history_user == users["secretary"]
    assert 'value="2,58"' in client.get(response.url).content.decode()


def test_a_bad_number_or_a_half_filled_group_is_refused_and_changes_nothing(client, users, world):
    report = world["report"]
    indicator = world["plan"].indicators.first()
    client.force_login(users["controller"])

    bad = client.post(url(report, "report_indicator", pk=indicator.pk), indicator_data(value="elva"), **HTMX)
    half = client.post(
        url(report, "report_indicator", pk=indicator.pk), indicator_data(**{"breakdown-1-value": ""}), **HTMX
    )
    plain = client.post(url(report, "report_indicator", pk=indicator.pk), indicator_data(value="1,2,3"))

    assert (bad.status_code, half.status_code, plain.status_code) == (400, 400, 400)
    assert f'id="indicator-{indicator.pk}-value"' in bad.content.decode()
    assert "autofocus" in bad.content.decode()
    assert not IndicatorOutcome.objects.exists()


def test_a_stale_outcome_is_refused_and_the_outcome_is_shown_against_its_target(client, users, world):
    report = world["report"]
    indicator = world["plan"].indicators.first()
    services.indicator_outcome_save(
        report=report, indicator=indicator, value=Decimal("2.58"), analysis="", breakdown=None,
        user=users["secretary"], version=0,
    )  # fmt: skip
    client.force_login(users["controller"])

    stale = client.post(url(report, "report_indicator", pk=indicator.pk), indicator_data(version=0), **HTMX)

    assert stale.status_code == 409
    assert IndicatorOutcome.objects.get().value == Decimal("2.58")
    client.force_login(users["reader"])
    html = client.get(section(report, "employees")).content.decode()
    assert "2,58\u00a0%" in html and "11\u00a0%" in html  # the outcome and the year's target
    assert f"indicator-{indicator.pk}-value" not in html  # readers do not get the form


@pytest.mark.parametrize(
    ("value", "direction", "meets"),
    [
        ("11.15", "lower", False),
        ("2.58", "lower", True),
        ("11", "lower", True),
        ("80", "higher", True),
        ("79", "higher", False),
    ],
)
def test_whether_an_outcome_meets_its_target_follows_the_indicators_direction(value, direction, meets):
    target = Decimal("80") if direction == "higher" else Decimal("11")
    assert meets_target(Decimal(value), target, direction) is meets


@pytest.mark.parametrize("who", ["planner", "reader"])
def test_planners_and_readers_do_not_enter_outcomes(client, users, world, who):
    report = world["report"]
    indicator = world["plan"].indicators.first()
    client.force_login(users[who])
    assert client.post(url(report, "report_indicator", pk=indicator.pk), indicator_data()).status_code == 403
    assert not IndicatorOutcome.objects.exists()


# Economy: computed tables and forecasts ----------------------------------------------------------------------------


def test_a_controller_enters_the_forecast_of_a_column_and_of_an_investment(client, users, world):
    report, column = world["report"], world["columns"]["RK"]
    investment = world["plan"].investments.get(name="Investering 1")
    client.force_login(users["controller"])

    saved = client.post(
        url(report, "report_forecast", kind="column", pk=column.pk), {"amount": "−453 100,5", "version": "0"}, **HTMX
    )
    plain = client.post(
        url(report, "report_forecast", kind="investment", pk=investment.pk), {"amount": "1 200", "version": "0"}
    )

    assert saved.status_code == 200 and 'value="-453100,5"' in saved.content.decode()
    assert (
        plain.status_code == 302 and plain.url == section(report, "economy") + f"#forecast-investment-{investment.pk}"
    )
    forecast = Forecast.objects.get(column=column)
    assert (forecast.month, forecast.amount) == (4, Decimal("-453100500"))
    assert forecast.history.first().history_user == users["controller"]
    assert InvestmentForecast.objects.get(investment=investment, month=4).amount == Decimal("1200000")


def test_a_bad_forecast_changes_nothing_and_planners_may_not_forecast(client, users, world):
    report, column = world["report"], world["columns"]["RK"]
    client.force_login(users["controller"])
    assert (
        client.post(
            url(report, "report_forecast", kind="column", pk=column.pk), {"amount": "mycket", "version": "0"}
        ).status_code
        == 400
    )
    client.force_login(users["planner"])
    assert (
        client.post(
            url(report, "report_forecast", kind="column", pk=column.pk), {"amount": "1", "version": "0"}
        ).status_code
        == 403
    )
    assert not Forecast.objects.exists()


def test_a_forecast_saved_meanwhile_is_not_overwritten(client, users, world):
    report, column = world["report"], world["columns"]["RK"]
    forecast_set(column=column, month=4, amount=Decimal("7000000"), user=users["secretary"], version=None)
    client.force_login(users["controller"])  # opened the page before the secretary saved: version 0
    stale = client.post(
        url(report, "report_forecast", kind="column", pk=column.pk), {"amount": "1", "version": "0"}, **HTMX
    )
    assert stale.status_code == 409
    assert Forecast.objects.get(column=column, month=4).amount == Decimal("7000000")


def test_the_economy_shows_outcome_budget_forecast_and_the_change_since_the_previous_forecast(client, users, world):
    report, columns = world["report"], world["columns"]
    annual = Decimal("453.1") * MN  # RK's net budget: -380,1 + 460,4 + 372,8 mnkr
    forecast_set(column=columns["RK"], month=2, amount=annual, user=users["controller"], version=None)
    forecast_set(column=columns["RK"], month=4, amount=annual - 2 * MN, user=users["controller"], version=None)
    client.force_login(users["reader"])

    html = client.get(section(report, "economy")).content.decode()

    table = html[html.index('id="economy-columns"') : html.index("</table>", html.index('id="economy-columns"'))]
    row = table[table.index("Regionkontoret inkl. IT") :].split("</tr>")[0]
    cells = re.findall(r'<td class="num">(.*?)</td>', row)
    outcome, ytd_budget, deviation, annual_budget, forecast, forecast_deviation, change = cells
    assert outcome == "\u2212200" and annual_budget == "\u2212453\u00a0100"
    assert forecast == "\u2212451\u00a0100" and forecast_deviation == "2\u00a0000" and change == "2\u00a0000"
    assert 'id="economy-investments"' in html and "Investering 1" in html
    assert f'id="forecast-column-{columns["RK"].pk}"' in html
    assert f'id="forecast-column-{columns["RK"].pk}-amount"' not in html  # readers see the forecast, not the form


def test_forecasts_follow_a_decided_plan_and_empty_removes_them(users, world):
    plan, column = world["plan"], world["columns"]["RK"]
    plan.stage = "decided"
    plan.save()
    forecast_set(column=column, month=4, amount=Decimal("5"), user=users["controller"], version=None)
    assert (
        forecast_set(
            column=column, month=4, amount=Decimal("5"), user=users["controller"], version=None
        ).history.count()
        == 1
    )
    assert forecast_set(column=column, month=4, amount=None, user=users["controller"], version=None) is None
    assert not Forecast.objects.exists()
    with pytest.raises(ValidationError):
        forecast_set(column=column, month=13, amount=Decimal("5"), user=users["controller"], version=None)


# Internal control --------------------------------------------------------------------------------------------------


def test_internal_control_shows_the_results_of_the_period_with_links_to_enter_them(client, users, world):
    report, control = world["report"], world["ic_control"]
    entry = reverse("internalcontrol:result_entry", kwargs={"pk": control.pk, "period": "T1"})
    client.force_login(users["planner"])

    html = client.get(section(report, "internal_control")).content.decode()

    assert control.title in html and "Uppfyllt" in html and "Inga avvikelser." in html
    assert f'href="{entry}"' in html
    client.force_login(users["reader"])
    assert f'href="{entry}"' not in client.get(section(report, "internal_control")).content.decode()
    client.force_login(users["secretary"])
    saved = client.post(url(report, "report_text", key="internal_control"), {"body": "Två kontroller.", "version": 0})
    assert saved.url == section(report, "internal_control") + "#text-internal_control"


# An approved report ------------------------------------------------------------------------------------------------


def test_an_approved_report_is_read_only_everywhere_and_the_services_refuse(client, users, world):
    report = world["report"]
    FollowUpReport.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    report.refresh_from_db()
    for who in ("secretary", "administrator"):  # the administrator is a superuser: every rule lets them through
        client.force_login(users[who])
        for name in Section.values:
            html = client.get(section(report, name)).content.decode()
            assert 'id="report-approved"' in html and "hx-post" not in html, (who, name)
    posts = [
        (url(report, "report_text", key="summary"), {"body": "x", "version": 0}),
        (url(report, "report_assessment"), {"assessment": "done", "version": report.version}),
        (status_url(report, itd_assignment(world["plan"])), {"status": "done", "version": 0}),
        (url(report, "report_indicator", pk=world["plan"].indicators.first().pk), indicator_data()),
        (url(report, "report_forecast", kind="column", pk=world["columns"]["RK"].pk), {"amount": "1", "version": "0"}),
    ]
    for target, data in posts:
        assert client.post(target, data, **HTMX).status_code == 400, target  # the superuser: the services refuse
        client.force_login(users["secretary"])
        assert client.post(target, data, **HTMX).status_code == 403, target  # everyone else: the rules refuse
        client.force_login(users["administrator"])
    with pytest.raises(ValidationError):
        services.report_text_save(report=report, key="summary", body="x", user=users["administrator"], version=0)
    with pytest.raises(ValidationError):
        services.status_save(
            report=report, item=itd_assignment(world["plan"]), status="done", comment="", user=users["administrator"],
            version=0,
        )  # fmt: skip
    assert not ReportText.objects.exists() and not StatusUpdate.objects.exists() and not Forecast.objects.exists()


# Queries -----------------------------------------------------------------------------------------------------------


def test_every_section_takes_the_same_number_of_queries_for_a_larger_plan(
    client, users, org, django_assert_num_queries
):
    small = build_report(org, users, year=2030, size=1)
    large = build_report(org, users, year=2031, size=4)
    for data in (small, large):
        report = data["report"]
        for i, assignment in enumerate(Assignment.objects.in_plan(data["plan"])):
            services.status_save(
                report=report, item=assignment, status="on_track", comment=f"Kommentar {i}", user=users["secretary"],
                version=0,
            )  # fmt: skip
        for indicator in data["plan"].indicators.all():
            services.indicator_outcome_save(
                report=report, indicator=indicator, value=Decimal("3"), analysis="", user=users["secretary"],
                breakdown=[{"dimension": "gender", "label": "Kvinnor", "value": Decimal("4")}], version=0,
            )  # fmt: skip
        for column in data["plan"].budget_columns.all():
            forecast_set(column=column, month=2, amount=Decimal("1"), user=users["controller"], version=None)
            forecast_set(column=column, month=4, amount=Decimal("2"), user=users["controller"], version=None)
    client.force_login(users["secretary"])
    client.get(section(small["report"], "summary"))  # warm up: session, translations
    for name in Section.values:
        with CaptureQueriesContext(connection) as counted:
            assert client.get(section(small["report"], name)).status_code == 200
        with django_assert_num_queries(len(counted)):
            assert client.get(section(large["report"], name)).status_code == 200
        assert len(counted) <= (20 if name == "economy" else 14), (name, len(counted))


def test_saving_an_entry_takes_a_fixed_number_of_queries(client, users, org, django_assert_num_queries):
    counts = []
    for year, size in ((2030, 1), (2031, 4)):
        data = build_report(org, users, year=year, size=size)
        client.force_login(users["planner"])
        target = status_url(data["report"], itd_assignment(data["plan"]))
        with CaptureQueriesContext(connection) as counted:
            response = client.post(target, {"status": "done", "comment": "", "version": 0}, **HTMX)
        assert response.status_code == 200
        counts.append(len(counted))
    assert counts[0] == counts[1]
