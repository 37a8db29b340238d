"""How far a report has come: entered and missing per section and per responsible unit, in a fixed number of
queries; and the reports of plans with their deadlines."""

import datetime

import pytest

from followup.choices import Section
from followup.models import FollowUpReport, IndicatorOutcome, Period, ReportText, StatusUpdate
from followup.progress import Deadline, report_progress, report_rows
from internalcontrol.models import ControlResult
from planning.models import Activity, Assignment, PlanSection
from tests.followup.factories import make_report
from tests.internalcontrol.factories import make_control, make_risk, select
from tests.planning.factories import add_indicator, make_plan

PROGRESS_QUERIES = 5  # texts, assignments, activities, indicators, controls


def build(org, *, size=1):
    """A plan of ``size``: assignments (ITD responsible), work-environment activities (HR), employee indicators,
    and controls reported in T1 and T2, with its T1 report."""
    plan = make_plan(org["rk"], areas=size, goals=1, assignments=size, activities=1, responsible=org["itd"])
    section = PlanSection.objects.create(plan=plan, kind="work_environment", title="Arbetsmiljöplan")
    for i in range(size):
        Activity.objects.create(section=section, title=f"Arbetsmiljö {i + 1}", responsible_unit=org["hr"], order=i)
        add_indicator(plan, name=f"Indikator {i + 1}")
    for i in range(size):
        selected = select(plan, make_risk(org["rk"], owner=org["itd"], title=f"Risk {i + 1}"), order=i)
        make_control(selected, periods=("T1",), title=f"Kontroll T1 {i + 1}")
        make_control(selected, periods=("T2",), title=f"Kontroll T2 {i + 1}")
    report = make_report(plan)
    return FollowUpReport.objects.with_plan().get(pk=report.pk)


@pytest.mark.parametrize("size", [1, 4])
def test_the_query_count_does_not_grow_with_the_plan(org, size, django_assert_num_queries):
    report = build(org, size=size)
    with django_assert_num_queries(PROGRESS_QUERIES):
        progress = report_progress(report)
        sections = {s.section: s for s in progress.sections}
    assert sections[Section.GOALS].total == size * size  # areas × assignments
    assert sections[Section.QUALITY].parts[-1].total == size
    assert sections[Section.EMPLOYEES].total == size
    assert sections[Section.INTERNAL_CONTROL].parts[-1].total == size  # the T1 controls only


def test_what_is_entered_counts_and_what_is_missing_links_to_where_it_is_entered(org):
    report = build(org)
    assignment = Assignment.objects.in_plan(report.plan).get()
    activity = Activity.objects.get(section__plan=report.plan)
    t1_control = report.plan.control_plan.selected_risks.get().controls.get(in_t1=True)

    progress = report_progress(report)
    assert progress.done == 0
    sections = {s.section: s for s in progress.sections}
    assert [s.section for s in progress.sections] == list(Section)
    missing = {item.title: item.url for s in progress.sections for p in s.parts for item in p.missing}
    assert missing["Kontroll T1 1"] == f"/internal-control/controls/{t1_control.pk}/results/T1/"
    assert "Kontroll T2 1" not in missing  # not reported in T1
    assert missing[assignment.title] == f"{report.get_absolute_url()}goals/#status-assignment-{assignment.pk}"
    assert missing["Sammanfattning"] == f"{report.get_absolute_url()}summary/#text-summary"

    ReportText.objects.create(report=report, key="summary", body="Sammanfattningen.")
    ReportText.objects.create(report=report, key="result", body="")  # an empty text is not written
    StatusUpdate.objects.create(report=report, assignment=assignment, status="on_track")
    StatusUpdate.objects.create(report=report, activity=activity, status="done")
    indicator = report.plan.indicators.get()
    IndicatorOutcome.objects.create(report=report, indicator=indicator, value=None)  # analysis only: not entered
    ControlResult.objects.create(control=t1_control, period="T1", outcome="met")

    progress = report_progress(report)
    sections = {s.section: s for s in progress.sections}
    assert sections[Section.SUMMARY].complete
    assert sections[Section.GOALS].complete
    assert (sections[Section.QUALITY].parts[-1].done, sections[Section.QUALITY].parts[-1].total) == (1, 1)
    assert sections[Section.EMPLOYEES].done == 0
    assert sections[Section.INTERNAL_CONTROL].parts[-1].done == 1
    assert [p.done for p in sections[Section.ECONOMY].parts] == [0]

    IndicatorOutcome.objects.filter(indicator=indicator).update(value="11.15")
    assert {s.section: s for s in report_progress(report).sections}[Section.EMPLOYEES].complete


def test_completion_per_responsible_unit(org):
    report = build(org, size=2)
    assignment = Assignment.objects.in_plan(report.plan).first()
    StatusUpdate.objects.create(report=report, assignment=assignment, status="on_track")
    Activity.objects.filter(section__plan=report.plan).update(responsible_unit=None)

    units = report_progress(report).units

    assert [u.unit and u.unit.code for u in units] == ["ITD", None]  # nobody named comes last
    itd, nobody = units
    assert (itd.done, itd.total) == (1, 4) and assignment.title not in [i.title for i in itd.missing]
    assert (nobody.done, nobody.total) == (0, 2)


def test_deadlines_say_when_they_are_overdue():
    day = datetime.date(2023, 5, 10)
    assert Deadline.of(day, "draft", today=datetime.date(2023, 5, 13)) == Deadline(day, overdue=True, days=3)
    assert not Deadline.of(day, "in_review", today=day).overdue
    assert Deadline.of(day, "approved", today=datetime.date(2024, 1, 1)) == Deadline(day)
    assert Deadline.of(None, "draft") == Deadline(None)


def test_report_rows_show_started_and_unstarted_reports_in_two_queries(org, django_assert_num_queries):
    plans = [make_plan(org["rk"], year=year, areas=1, goals=1, assignments=1, activities=0) for year in (2023, 2024)]
    report = make_report(plans[0], period="T2")
    Period.objects.filter(pk=report.period_id).update(deadline=datetime.date(2023, 9, 15))

    with django_assert_num_queries(2):
        rows = report_rows(plans)

    first = rows[plans[0].pk]
    assert [row.period.value for row in first] == ["T1", "T2", "T3"]
    assert [row.report for row in first] == [None, report, None]
    assert first[1].deadline.date == datetime.date(2023, 9, 15)
    assert first[0].deadline.date == Period.default_deadline(2023, "T1") and first[0].deadline.overdue
    assert [row.title for row in rows[plans[1].pk]] == [
        "Uppföljningsrapport 1 2024",
        "Delårsrapport 2024",
        "Årsredovisning 2024",
    ]
