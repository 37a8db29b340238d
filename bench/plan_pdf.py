"""The printed plan (issue 6): the demo 2025 plan and a large synthetic plan of 100+ pages, as PDF/UA-1.

For each: our whole service (queries, templates, WeasyPrint) against WeasyPrint alone on the same HTML, measured
alternately in the same run (best of ``RUNS`` each); their ratio is our overhead. Our own part alone (queries and
templates, ``html_cpu_ms``) is timed too: the ratio of two long timings carries their noise, this figure does not.

Times are given as wall time and as this process's CPU time: on a shared machine the wall time mostly measures the
neighbours, so the ratio and the time per page use CPU time (WeasyPrint, Pango and SQLite all run in this process).
Peak memory is the process's resident-set high-water mark during our render (reset first through
``/proc/self/clear_refs``).

Targets: overhead at most 1.25x WeasyPrint's own time (shown as at most 25 %), under 200 ms per page end to end.
Both are timings, so going over them warns only.

The demo plan is loaded from the 2025 fixtures under a year of its own, so other benchmarks' plans do not clash.
"""

import copy
import gc
import json
import resource
import tempfile
import time
from pathlib import Path

from django.db.models import F, Value
from django.db.models.functions import Concat

from bench.support import BenchError, Figure, organisation
from core.demo import FIXTURE_DIR, load_fixture
from followup.rendering import html_to_pdf, plan_render, plan_render_html
from planning.models import Activity, Assignment, Plan
from tests.planning.factories import make_plan

DEMO_YEAR, LARGE_YEAR = 2045, 2046
RUNS = {"demo": 3, "large": 2}
MAX_OVERHEAD_PERCENT, MAX_MS_PER_PAGE = 25, 200
MIN_LARGE_PAGES = 80
PROSE = (
    "Arbetet sker i samverkan med förvaltningarna och de halländska kommunerna. Regionkontoret leder och "
    "samordnar arbetet och rapporterar i tertialuppföljningen. "
)


def run() -> list[Figure]:
    demo = load_demo_plan()
    large = build_large_plan()
    plan_render(plan=demo)  # warm: templates, fonts, translations (not measured)
    return measure("demo", demo) + measure("large", large)


def timed(work):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def measure(name: str, plan: Plan) -> list[Figure]:
    def fresh() -> Plan:
        return Plan.objects.by_key(plan.unit.slug, plan.year).get()

    return measure_document(
        f"plan_pdf_{name}",
        render=lambda: plan_render(plan=fresh()),
        render_html=lambda: plan_render_html(plan=fresh()),
        runs=RUNS[name],
        min_pages=MIN_LARGE_PAGES if name == "large" else 0,
    )


def measure_document(prefix: str, *, render, render_html, runs: int, min_pages: int = 0) -> list[Figure]:
    """Our whole ``render()`` (reading the data from scratch) against WeasyPrint alone on the same HTML."""
    ours, own, html_cpu = [], [], []
    rendered = peak = None
    html = render_html()

    def whole():
        nonlocal rendered, peak
        reset = peak is None and reset_peak_rss()
        rendered, wall, cpu = timed(render)
        if reset:
            peak = peak_rss_kb()
        ours.append((wall, cpu))

    def weasyprint_alone():
        _pdf, wall, cpu = timed(lambda: html_to_pdf(html))
        own.append((wall, cpu))

    for run_no in range(runs):
        # Alternate which goes first, and start each from a collected heap, so neither pays for the other's garbage.
        for step in (whole, weasyprint_alone) if run_no % 2 == 0 else (weasyprint_alone, whole):
            gc.collect()
            step()
        gc.collect()
        _html, _wall, cpu = timed(render_html)
        html_cpu.append(cpu)
    if rendered.fetcher.refused:
        raise BenchError(f"{prefix}: the document asked for refused resources: {rendered.fetcher.refused[:3]}")
    pages = rendered.pages
    if pages < min_pages:
        raise BenchError(f"{prefix} printed {pages} pages, expected at least {min_pages}.")
    ours_wall, ours_cpu = min(w for w, _c in ours), min(c for _w, c in ours)
    own_wall, own_cpu = min(w for w, _c in own), min(c for _w, c in own)
    figures = [
        Figure(f"{prefix}_pages", pages, "pages"),
        Figure(f"{prefix}_total_ms", round(ours_wall * 1000), "ms"),
        Figure(f"{prefix}_weasyprint_ms", round(own_wall * 1000), "ms"),
        Figure(f"{prefix}_total_cpu_ms", round(ours_cpu * 1000), "ms"),
        Figure(f"{prefix}_weasyprint_cpu_ms", round(own_cpu * 1000), "ms"),
        Figure(f"{prefix}_html_cpu_ms", round(min(html_cpu) * 1000), "ms"),  # our own part: queries and templates
        Figure(f"{prefix}_overhead_ratio", ours_cpu / own_cpu, "x"),
        Figure(f"{prefix}_overhead_percent", (ours_cpu / own_cpu - 1) * 100, "%", limit=MAX_OVERHEAD_PERCENT),
        Figure(f"{prefix}_cpu_ms_per_page", round(ours_cpu * 1000 / pages), "ms", limit=MAX_MS_PER_PAGE),
        Figure(f"{prefix}_wall_ms_per_page", round(ours_wall * 1000 / pages), "ms"),
        Figure(f"{prefix}_html_kb", len(html.encode()) / 1024, "kB"),
        Figure(f"{prefix}_pdf_kb", len(rendered.data) / 1024, "kB"),
    ]
    if peak is not None:
        figures.append(Figure(f"{prefix}_peak_rss_mb", peak / 1024, "MB"))
    else:  # no /proc: the lifetime maximum of the process, an upper bound
        figures.append(Figure(f"{prefix}_max_rss_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MB"))
    return figures


def reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_kb() -> int | None:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def load_demo_plan() -> Plan:
    """Seed 001's 2025 plan and its internal-control plan, loaded under ``DEMO_YEAR``."""
    load_fixture(FIXTURE_DIR / "00_units.json")
    plan_doc = json.loads((FIXTURE_DIR / "13_plan_2025.json").read_text("utf-8"))
    control_doc = json.loads((FIXTURE_DIR / "31_internal_control_2025.json").read_text("utf-8"))
    plan_doc = {**plan_doc, "year": DEMO_YEAR, "previous": None}
    control_doc = copy.deepcopy(control_doc)
    control_doc["plan"] = f"{plan_doc['unit']}/{DEMO_YEAR}"
    for risk in control_doc["risks"]:
        risk["assessments"] = {str(DEMO_YEAR): score for score in risk.get("assessments", {}).values()}
    with tempfile.TemporaryDirectory(prefix="bench-plan-pdf-") as folder:
        for name, document in (("plan.json", plan_doc), ("control.json", control_doc)):
            path = Path(folder) / name
            path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
            load_fixture(path)
    plan = Plan.objects.by_key(plan_doc["unit"], DEMO_YEAR).get()
    if plan.focus_areas.count() != 8:
        raise BenchError("The demo plan did not load as expected (8 focus areas).")
    return plan


def build_large_plan() -> Plan:
    """10 focus areas × 5 goals × 4 assignments × 4 activities, with prose on assignments and activities."""
    org = organisation()
    plan = make_plan(
        org["rk"], year=LARGE_YEAR, areas=10, goals=5, assignments=4, activities=4, responsible=org["divisions"][0]
    )
    Assignment.objects.in_plan(plan).update(description=Value((PROSE * 3).strip() + "\n\n" + PROSE.strip()))
    Activity.objects.filter(assignment__focus_area__plan=plan).update(
        description=Concat(F("title"), Value(": " + PROSE.strip())), responsible_person="Anna Svensson"
    )
    return Plan.objects.by_key(plan.unit.slug, plan.year).get()
