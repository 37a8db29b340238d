"""Chapter 4 "Ekonomistyrning" of the printed plan, built by ``budget.documents`` (the demo's PDF is read back in
``tests/followup/test_plan_pdf.py``)."""

import re

from django.template.loader import render_to_string

from budget.documents import economy_context
from budget.models import Initiative
from followup.rendering import plan_render_html
from planning.documents import OUTLINE, PlanDocument
from tests.budget.factories import make_full_budget
from tests.planning.factories import make_plan

ECONOMY = next(chapter for chapter in OUTLINE if chapter.key == "economy")


def economy_html(plan) -> str:
    html = plan_render_html(plan=plan)
    return re.search(r'<section class="chapter chapter--economy".*?(?=<section class="chapter )', html, re.S)[0]


def count_chapter_queries(plan, django_assert_num_queries) -> None:
    document = PlanDocument(plan)
    chapter = document.chapter(ECONOMY)
    with django_assert_num_queries(10):  # lines 3, frame 4, initiatives 1, investments with their years 2
        context = economy_context(document, chapter)
        render_to_string("budget/document/economy.html", {"plan": plan, "chapter": chapter, **context})


def test_the_chapter_takes_ten_queries_however_large_the_budget(org, django_assert_num_queries):
    small = make_plan(org["rk"], year=2025, areas=1, goals=1, assignments=1, activities=0)
    make_full_budget(small, org, 1)
    large = make_plan(org["rk"], year=2026, areas=1, goals=1, assignments=1, activities=0)
    make_full_budget(large, org, 12)

    count_chapter_queries(small, django_assert_num_queries)
    count_chapter_queries(large, django_assert_num_queries)


def test_the_chapter_numbers_its_sections_and_prints_every_table(org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=0)
    make_full_budget(plan, org, 2)
    Initiative.objects.filter(plan=plan, order=0).update(title="<script>alert(1)</script>")

    html = economy_html(plan)

    numbers = re.findall(r'<h2 id="economy-[a-z]+"><span class="num">([\d.]+)</span>', html)
    assert numbers == ["4.1", "4.2", "4.3", "4.4"]  # budget, frame, initiatives, investments
    assert html.count('<table class="figures') == 1 + 1 + 1 + 1 + 2 * 2  # each department: by object, by category
    assert html.count("<thead>") == html.count('<table class="figures')
    assert '<td class="num-col">\u22123\u00a0000</td>' in html  # Intäkter of both columns, tkr, Swedish minus
    assert '<td class="num-col">7\u00a0000</td>' in html  # the net budget: −3 000 + 4 000 + 6 000
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html  # two columns: a chart of the net budget
    assert "Kolumn 0: 3\u00a0500\u00a0tkr; Kolumn 1: 3\u00a0500\u00a0tkr." in html  # its text alternative
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "4.4.1" in html and "4.4.2" in html  # the two departments' detailed plans


def test_a_plan_without_a_budget_says_so_instead_of_printing_empty_tables(org):
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=0)

    html = economy_html(plan)

    assert '<h1 class="chapter__title" id="chapter-economy"><span class="num">4</span> Ekonomistyrning</h1>' in html
    assert "<table" not in html
    sentences = ("Ingen driftbudget har upprättats för 2025.", "No operating budget has been drawn up for 2025.")
    assert any(sentence in html for sentence in sentences)  # until the catalogue has the new sentence
    assert "Inga investeringar ännu." in html
    numbers = re.findall(r'<h2 id="economy-[a-z]+"><span class="num">([\d.]+)</span>', html)
    assert numbers == ["4.1", "4.2"]  # no frame, no initiatives: the investments follow the operating budget
