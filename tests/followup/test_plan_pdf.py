"""The plan printed as PDF (issue 6): the demo plans read back with poppler, page by page.

The demo is loaded once for the module; the PDFs are rendered by the ``render_plan`` command, as an operator would.
"""

import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from budget.choices import InvestmentCategory
from budget.models import AccountClass
from core.formatting import sv_number
from planning.models import Goal
from tests.followup.pdf import first_page_with, flat, fonts, footers, inflated, info, pages_text, toc_entries

CHAPTERS_2022 = [
    ("1", ("Inledning", "Introduction")),
    ("2", ("Målstyrning", "Goal management")),
    ("3", ("Kvalitetsstyrning", "Quality management")),
    ("4", ("Ekonomistyrning", "Economic management")),
    ("5", ("Intern kontroll", "Internal control")),
    ("6", ("Bilaga", "Appendix")),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    with django_db_blocker.unblock():
        call_command("demo", force_demo_users=True, stdout=io.StringIO())
        result = {"goals_2025": list(Goal.objects.filter(focus_area__plan__year=2025).values_list("title", flat=True))}
        result["account_classes"] = dict(AccountClass.objects.values_list("code", "name"))
        for year in (2022, 2024, 2025):
            path = folder / f"plan-{year}.pdf"
            out = io.StringIO()
            call_command("render_plan", f"regionkontoret/{year}", "--output", str(path), stdout=out)
            result[year] = {
                "path": path,
                "bytes": path.read_bytes(),
                "pages": pages_text(path),
                "stdout": out.getvalue(),
            }
        call_command("flush", interactive=False, verbosity=0)
    fixture = json.loads((settings.BASE_DIR / "fixtures" / "31_internal_control_2025.json").read_text("utf-8"))
    result["risks_2025"] = [risk["title"] for risk in fixture["risks"]]
    return result


@pytest.mark.parametrize("year", [2022, 2025])
def test_every_page_has_the_footer_with_its_number_of_all(demo, year):
    pages = demo[year]["pages"]
    found = footers(pages)
    assert [number for _title, number, _total in found] == list(range(1, len(pages) + 1))
    assert {total for _title, _number, total in found} == {len(pages)}
    assert {title for title, _number, _total in found} == {
        "Verksamhetsplan och internbudget 2025" if year == 2025 else "Verksamhetsplan och budget 2022"
    }
    assert f"{len(pages)} pages" in demo[year]["stdout"]


@pytest.mark.parametrize("year", [2022, 2024, 2025])
def test_the_contents_give_the_pages_where_chapters_and_sections_start(demo, year):
    pages = demo[year]["pages"]
    entries = toc_entries(pages)
    chapters = [e for e in entries if "." not in e[0]]
    assert [number for number, _title, _page in chapters] == ["1", "2", "3", "4", "5", "6"]
    for number, title, page in entries:
        assert first_page_with(pages, f"{number} {title}", after=2) == page, (number, title)
    assert pages[0].strip().startswith("Regionkontoret")  # the cover comes first, the contents second


def test_2025_has_the_twelve_goals_and_the_five_risks(demo):
    text = flat("\n".join(demo[2025]["pages"][2:]))
    assert len(demo["goals_2025"]) == 12
    for title in demo["goals_2025"]:
        assert flat(title) in text
    chapter = next(i for i, page in enumerate(demo[2025]["pages"]) if "5 Intern kontroll" in page.splitlines()[3:])
    internal_control = flat("\n".join(demo[2025]["pages"][chapter:]))
    assert len(demo["risks_2025"]) == 5
    for title in demo["risks_2025"]:
        assert title in internal_control
    assert "R1" in internal_control and "12" in internal_control  # numbered and scored, as in the matrix


def test_2022_has_the_chapters_of_seed_002_in_order(demo):
    pages = demo[2022]["pages"]
    starts = []
    for number, titles in CHAPTERS_2022:
        page = next(
            (i for i, text in enumerate(pages[2:], start=3) for line in text.splitlines()
             if line.strip() in {f"{number} {title}" for title in titles}),
            None,
        )  # fmt: skip
        assert page, f"chapter {number} {titles[0]} is missing"
        starts.append(page)
    assert starts == sorted(starts)
    text = flat("\n".join(pages[2:]))
    # The plan's prose lands where seed 002 has it: 3.1 Arbetsmiljö, 3.2 activities, 3.3 indicators by area.
    for heading in ("3.1 Arbetsmiljö", "3.2 Aktiviteter för att säkra genomförande", "2.9 Regionkontorets"):
        assert heading in text
    assert "Regionstyrelsens uppdrag är att främja den långsiktiga utvecklingen av Halland" in text
    assert "Personalomsättning" in text and "HME-Index" in text
    assert "Region Hallands ekonomistyrning syftar till god ekonomisk hushållning" in text  # chapter 4's own text


def test_the_pdf_is_tagged_pdf_ua_in_swedish_with_title_bookmarks_and_embedded_fonts(demo):
    data = demo[2025]["bytes"]
    meta = info(demo[2025]["path"])
    assert meta["Tagged"] == "yes"
    assert meta["Title"] == "Verksamhetsplan och internbudget 2025"
    assert meta["Page size"].endswith("(A4)")
    objects = inflated(data)
    assert b"/Lang (sv)" in objects
    assert b"/StructTreeRoot" in objects and b"/MarkInfo <</Marked true>>" in objects
    assert b"pdfuaid:part>1<" in objects or b'pdfuaid:part="1"' in objects
    assert b"/Outlines" in objects and b"/DisplayDocTitle true" in objects
    rows = fonts(demo[2025]["path"])
    assert rows and all(("Liberation" in row or "DejaVu" in row) and " yes yes " in row for row in rows), rows


def test_render_plan_refuses_an_unknown_plan(db, tmp_path):
    with pytest.raises(CommandError, match="No plan 'regionkontoret/1999'"):
        call_command("render_plan", "regionkontoret/1999", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("render_plan", "regionkontoret/2025", "--output", str(tmp_path / "missing" / "x.pdf"))


# Chapter 4 Ekonomistyrning: the figures of seed 001 as the demo fixtures hold them --------------------------------

TKR_PER = {"mnkr": Decimal(1000), "tkr": Decimal(1)}


def budget_fixture(name: str) -> dict:
    return json.loads((settings.BASE_DIR / "fixtures" / name).read_text("utf-8"))


def tkr(value) -> str:
    return sv_number(value)


def economy_chapter(pages: list[str]) -> tuple[int, str]:
    """The page chapter 4 starts on (1-based) and its text up to chapter 5, whitespace collapsed."""
    start = next(i for i, page in enumerate(pages[2:], start=2) if "4 Ekonomistyrning" in page.splitlines()[3:])
    end = next(i for i, page in enumerate(pages[start:], start=start) if "5 Intern kontroll" in page.splitlines()[3:])
    return start + 1, flat("\n".join(pages[start:end]))


def year_row(amounts: list) -> str:
    """A table row's figures as pdftotext reads them: the years with an amount, in order."""
    return " ".join(tkr(a) for a in amounts if a is not None)


def test_2025_chapter_4_prints_the_operating_budget_of_seed_001(demo):
    fixture = budget_fixture("23_budget_2025.json")
    per = TKR_PER[fixture["amount_unit"]]
    _page, text = economy_chapter(demo[2025]["pages"])

    assert "4.1 Driftbudget 2025" in text
    lines = fixture["lines"]["RK"]
    for code, amount in lines.items():
        assert flat(f"{demo['account_classes'][code]} {tkr(Decimal(amount) * per)}") in text, code
    net = sum(Decimal(amount) for amount in lines.values()) * per
    assert net == 820_000  # seed 001: Nettobudget 820 (mnkr)
    assert flat(f"Nettobudget {tkr(net)}") in text
    assert "Intäkter \u2212440 000" in text  # revenue negative, with the minus sign the documents use


def test_2025_chapter_4_prints_the_investments_by_category_and_the_it_departments_plan(demo):
    fixture = budget_fixture("23_budget_2025.json")
    years = [str(year) for year in range(2025, 2030)]
    _page, text = economy_chapter(demo[2025]["pages"])

    assert "4.2 Investeringsplan 2025–2029" in text
    with translation.override("sv"):
        for category in InvestmentCategory:
            assert str(category.label) in text
    own = [i for i in fixture["investments"] if "department" not in i]
    per = TKR_PER[fixture["amount_unit"]]
    for investment in own:
        amounts = [Decimal(investment["years"][y]) * per if y in investment["years"] else None for y in years]
        assert flat(f"{investment['name']} {year_row(amounts)}") in text, investment["name"]
    totals = [sum(Decimal(i["years"].get(y, 0)) for i in own) * per for y in years]
    assert flat(f"Totalt {year_row(totals)}") in text  # 105 600 … 81 600 tkr: the slide's 106 … 82 mnkr, unrounded

    itd = [i for i in fixture["investments"] if i.get("department") == "ITD"]
    itd_totals = [sum(Decimal(i["years"].get(y, 0)) * TKR_PER[i["amount_unit"]] for i in itd) for y in years]
    assert itd_totals == [94_450, 88_350, 80_900, 58_750, 80_750]  # seed 001: Summa of Investeringsplan ITD
    assert "4.2.1 Detaljerad investeringsplan: IT och Digitalisering" in text
    assert text.count(flat(f"Totalt {year_row(itd_totals)}")) == 2  # by object and by category
    new = [sum(Decimal(i["years"].get(y, 0)) for i in itd if i["category"] == "new") for y in years]
    assert new == [24_150, 18_350, 6_900, 3_000, 10_900]  # seed 001: Nya investeringar, Totalsumma
    assert flat(f"Nya investeringsbehov {year_row(new)}") in text  # the category's subtotal row
    for name in ("Centrala datorer", "Nätverk 29 950 25 050 15 900 20 300 17 500", "Systemdrift"):
        assert flat(name) in text


def test_the_contents_list_chapter_4_with_its_page(demo):
    pages = demo[2025]["pages"]
    page, _text = economy_chapter(pages)
    entries = {number: (title, at) for number, title, at in toc_entries(pages)}
    assert entries["4"] == ("Ekonomistyrning", page)
    assert entries["4.1"] == ("Driftbudget 2025", page)
    assert entries["4.2"][0] == "Investeringsplan 2025–2029"
    assert "Ekonomistyrning redovisas separat" not in flat("\n".join(pages))


def test_2024_has_no_operating_budget_but_the_frame_with_its_rounding_difference_and_the_initiatives(demo):
    fixture = budget_fixture("22_budget_2024.json")
    per = TKR_PER[fixture["amount_unit"]]
    _page, text = economy_chapter(demo[2024]["pages"])

    assert "4.1 Driftbudget 2024" in text and "Kontoklass" not in text  # a sentence, not an empty table
    assert "4.2 Budgetram" in text and fixture["frame"]["title"] in text
    columns = fixture["frame"]["columns"]
    decided = [Decimal(c["decided_total"]) * per for c in columns]
    assert flat(f"Beslutad ram {year_row(decided)}") in text
    computed = [
        Decimal(c["previous_total"]) * per
        + sum(Decimal(a["amounts"][c["code"]]) for a in fixture["frame"]["adjustments"]) * per
        for c in columns
    ]
    assert flat(f"Summan av delarna (beräknad) {year_row(computed)}") in text
    difference = [d - c for d, c in zip(decided, computed, strict=True)]
    assert difference == [0, 100]  # 386,6 decided against 386,5 as the sum of the printed parts (mnkr)
    assert flat(f"Avrundningsdifferens (beslutad − beräknad) {year_row(difference)}") in text
    assert "4.3 Satsningar i Mål och budget 2024" in text
    initiatives = fixture["initiatives"]
    for initiative in initiatives:
        assert initiative["title"] in text
    assert flat(f"Totalt {tkr(sum(Decimal(i['amount']) for i in initiatives) * per)}") in text
    assert "4.4 Investeringsplan 2024–2028" in text
