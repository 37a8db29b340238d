"""The printed follow-up report (issue 6): the demo T1 2023 report (seed 004) and a report of about 100 pages for
a large synthetic plan, as PDF/UA-1. Measured as ``plan_pdf`` measures the plan: our whole service (reading the
report, plan, budget and internal control, templates, WeasyPrint) against WeasyPrint alone on the same HTML, in
CPU time; targets at most 1.25x and under 200 ms per page (timings: going over warns only).
"""

from django.db.models import F, Value
from django.db.models.functions import Concat

from bench.plan_pdf import PROSE, measure_document
from bench.support import BenchError, Figure, organisation
from core.demo import FIXTURE_DIR, load_fixture
from followup.models import FollowUpReport, StatusUpdate
from followup.rendering import report_render, report_render_html
from followup.services import report_create, report_text_save
from planning.models import Activity, Assignment
from tests.planning.factories import add_indicator, make_plan

LARGE_YEAR = 2047
DEMO_FIXTURES = ["00_units", "11_plan_2023", "21_budget_2023", "30_internal_control_2023", "40_followup_2023"]
RUNS = {"demo": 3, "large": 2}
MIN_LARGE_PAGES = 80


def run() -> list[Figure]:
    demo = load_demo_report()
    large = build_large_report()
    report_render(report=demo)  # warm: templates, fonts, translations (not measured)
    return measure("demo", demo) + measure("large", large)


def measure(name: str, report: FollowUpReport) -> list[Figure]:
    def fresh() -> FollowUpReport:
        return FollowUpReport.objects.with_plan().get(pk=report.pk)

    return measure_document(
        f"report_pdf_{name}",
        render=lambda: report_render(report=fresh()),
        render_html=lambda: report_render_html(report=fresh()),
        runs=RUNS[name],
        min_pages=MIN_LARGE_PAGES if name == "large" else 0,
    )


def load_demo_report() -> FollowUpReport:
    """Seed 004's report with the 2023 plan, budget and internal control it follows up (the demo fixtures)."""
    for name in DEMO_FIXTURES:
        load_fixture(FIXTURE_DIR / f"{name}.json")
    report = FollowUpReport.objects.with_plan().filter(plan__year=2023, period__code="T1").first()
    if report is None or report.status_updates.count() != 13:
        raise BenchError("The demo report did not load as expected (13 statuses).")
    return report


def build_large_report() -> FollowUpReport:
    """10 focus areas × 5 goals × 4 assignments × 4 activities, every one with a status and a comment."""
    org = organisation()
    plan = make_plan(
        org["rk"], year=LARGE_YEAR, areas=10, goals=5, assignments=4, activities=4, responsible=org["divisions"][0]
    )
    add_indicator(plan)
    report = report_create(plan=plan, period="T1", user=None)
    report_text_save(report=report, key="summary", body=(PROSE * 6).strip(), user=None, version=None)
    comment = (PROSE * 2).strip() + "\n\n" + PROSE.strip()
    StatusUpdate.objects.bulk_create(
        [StatusUpdate(report=report, assignment=a, status="on_track", comment=comment) for a in
         Assignment.objects.in_plan(plan)]
        + [StatusUpdate(report=report, activity=a, status="on_track", comment=PROSE.strip()) for a in
           Activity.objects.filter(assignment__focus_area__plan=plan)]
    )  # fmt: skip
    Activity.objects.filter(assignment__focus_area__plan=plan).update(title=Concat(F("title"), Value(" – uppföljning")))
    return report
