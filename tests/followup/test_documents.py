"""The plan document's outline: fixed chapter numbers, chapters that apps fill, text sections placed by title,
and a query count that does not grow with the plan."""

import datetime
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from core.charts import Bar, bar_chart_svg
from followup.rendering import plan_render, plan_render_html, table_of_contents
from planning import documents
from planning.documents import PlanDocument, document_outline, register_document_section
from planning.models import Activity, IndicatorTarget, PlanSection
from tests.budget.factories import make_full_budget
from tests.followup.pdf import flat, pages_text
from tests.internalcontrol.factories import make_control, make_risk, select
from tests.planning.factories import add_indicator, add_section, make_plan


def test_the_outline_numbers_chapters_one_to_six_with_apps_filling_them():
    outline = document_outline()
    assert [(c.number, c.key) for c, _section in outline] == [
        (1, "introduction"),
        (2, "goals"),
        (3, "quality"),
        (4, "economy"),
        (5, "internal_control"),
        (6, "appendix"),
    ]
    filled = {c.key for c, section in outline if section is not None}
    assert {"introduction", "goals", "quality", "economy", "internal_control", "appendix"} <= filled


def test_registration_keeps_numbers_fixed(monkeypatch):
    monkeypatch.setattr(documents, "_registry", dict(documents._registry))
    monkeypatch.setattr(documents, "_extra_chapters", {})
    with pytest.raises(ImproperlyConfigured, match="fixed number 4"):
        register_document_section("economy", number=7, template_name="x.html", context=lambda d, c: {})
    with pytest.raises(ImproperlyConfigured, match="give number and title"):
        register_document_section("annex", template_name="x.html", context=lambda d, c: {})
    with pytest.raises(ImproperlyConfigured, match="taken by 'appendix'"):
        register_document_section("annex", number=6, title="Annex", template_name="x.html", context=lambda d, c: {})
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        register_document_section("goals", template_name="other.html", context=lambda d, c: {})
    register_document_section("annex", number=7, title="Annex", template_name="x.html", context=lambda d, c: {})
    assert [c.number for c, _ in document_outline()][-1] == 7


def test_text_sections_are_placed_by_title_and_order(org):
    """Seed 002's order: Inledning, Målstyrning, Kvalitetsstyrning, Arbetsmiljö (→ 3.1), the activities (→ 3.2),
    Ekonomistyrning; text before any chapter title belongs to the introduction."""
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=0)
    titles = ["Justeringar", "Inledning", "Målstyrning", "Kvalitetsstyrning", "Arbetsmiljö", "Ekonomistyrning"]
    for order, title in enumerate(titles):
        PlanSection.objects.create(plan=plan, title=title, body=f"Text om {title}.", order=order)
    work = PlanSection.objects.create(plan=plan, kind="work_environment", title="Aktiviteter", order=4)
    Activity.objects.create(section=work, title="Platsoberoende arbetssätt")

    document = PlanDocument(plan)
    chapters = {c.key: document.chapter(c) for c, _section in document_outline()}

    assert chapters["introduction"].intro.title == "Inledning"
    assert [p.number + " " + p.section.title for p in chapters["introduction"].parts] == ["1.1 Justeringar"]
    assert chapters["goals"].intro.title == "Målstyrning" and chapters["goals"].parts == []
    assert [p.number + " " + p.section.title for p in chapters["quality"].parts] == [
        "3.1 Arbetsmiljö",
        "3.2 Aktiviteter",
    ]
    assert [a.title for a in chapters["quality"].parts[1].activities] == ["Platsoberoende arbetssätt"]
    assert chapters["quality"].subnumber(1) == "3.3"
    assert chapters["economy"].intro.title == "Ekonomistyrning"


def test_a_chapter_nobody_fills_keeps_its_number_its_text_and_says_it_is_reported_separately(org, monkeypatch):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=0)
    add_section(plan, title="Ekonomistyrning", body="God ekonomisk hushållning.")
    registry = {key: section for key, section in documents._registry.items() if key != "economy"}
    monkeypatch.setattr(documents, "_registry", registry)

    html = flat(plan_render_html(plan=plan))

    assert "God ekonomisk hushållning." in html
    assert "redovisas separat" in html or "is reported separately" in html
    chapters = [entry for entry in table_of_contents(plan_render_html(plan=plan)) if entry["id"].startswith("chapter-")]
    chapter_numbers = [entry["text"].split()[0] for entry in chapters]
    assert chapter_numbers == ["1", "2", "3", "4", "5", "6"]


def test_goals_are_numbered_under_their_focus_area_and_activities_listed(org):
    plan = make_plan(org["rk"], areas=2, goals=2, assignments=1, activities=2, responsible=org["itd"])
    Activity.objects.filter(assignment__focus_area__plan=plan).update(description="Beskrivning av aktiviteten.")

    html = flat(strip_tags(plan_render_html(plan=plan)))

    for heading in ("2.1 Fokusområde 1", "2.1.2 Mål 1.2", "2.2 Fokusområde 2", "2.2.1 Mål 2.1"):
        assert heading in html
    assert "Uppdrag 1.1.1" in html and "Aktivitet 1.1.1.2" in html and "Beskrivning av aktiviteten." in html
    assert "1 jan 2025 – 2 mar 2025" in html  # Swedish dates


def test_indicators_show_definitions_targets_and_a_chart_with_a_text_alternative(org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=0)
    indicator = add_indicator(plan, name="Personalomsättning", target="11.00")
    IndicatorTarget.objects.create(indicator=indicator, year=2024, value="11.50")

    html = plan_render_html(plan=plan)

    assert "Andel tillsvidareanställda som slutat." in html
    assert "11\u00a0%" in html  # the 2025 target, Swedish format
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert "2024: 11,5\u00a0%; 2025: 11,0\u00a0%." in html  # the chart's <desc>, one number format


def test_bar_chart_escapes_its_labels():
    svg = bar_chart_svg(title="<b>", bars=[Bar("<script>", 1), Bar("tom", None)], reference=Bar("Mål", 2))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "tom: –" in svg and "Mål: 2,0" in svg


def count_queries(plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        plan_render_html(plan=plan)
    return len(queries)


def with_extras(plan, org, size):
    """Sections, indicators, an internal-control plan and a budget, ``size`` of each, so every chapter has data."""
    make_full_budget(plan, org, size)
    for i in range(size):
        section = PlanSection.objects.create(plan=plan, kind="work_environment", title=f"Plan {i}", order=i)
        Activity.objects.create(section=section, title=f"Aktivitet {i}", start=datetime.date(plan.year, 1, 1))
        add_indicator(plan, name=f"Indikator {i}")
        risk = make_risk(org["rk"], owner=org["itd"], title=f"Risk {plan.year} {i}", scores={plan.year: (2, 3)})
        make_control(select(plan, risk, order=i), responsible=org["itd"])


def test_rendering_takes_the_same_number_of_queries_for_a_ten_times_larger_plan(org):
    small = make_plan(org["rk"], year=2025, areas=2, goals=2, assignments=2, activities=2, responsible=org["itd"])
    with_extras(small, org, 1)
    large = make_plan(org["rk"], year=2026, areas=5, goals=4, assignments=4, activities=3, responsible=org["itd"])
    with_extras(large, org, 10)
    count_queries(small)  # warm caches (content types, scales)

    small_count, large_count = count_queries(small), count_queries(large)

    assert small_count == large_count
    assert small_count <= 30, small_count  # 16 for the plan and internal control, 10 for the economy chapter


def test_a_long_table_repeats_its_header_on_every_page(org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=70, responsible=org["itd"])

    pages = pages_text(plan_render(plan=plan).data)

    with_rows = [text for text in pages if re.search(r"Aktivitet 1\.1\.1\.\d+", text)]
    assert len(with_rows) >= 2
    header = re.compile(r"(Activity|Aktivitet)\s{2,}(Responsible|Ansvarig)\s{2,}\S")
    assert all(header.search(text) for text in with_rows)


def test_long_unbroken_text_wraps_and_nothing_is_cut(org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=1)
    token = "https://intranat.regionhalland.se/" + "".join(f"del{i:03d}/" for i in range(60))
    Activity.objects.filter(assignment__focus_area__plan=plan).update(description=token, start=None, end=None)
    add_section(plan, title="Inledning", body=token)

    text = "".join("".join(pages_text(plan_render(plan=plan).data)).split())

    assert text.count(token) == 2
