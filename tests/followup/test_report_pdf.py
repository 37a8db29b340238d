"""The follow-up report printed as PDF (issue 6): the demo T1 2023 report read back with poppler, page by page,
and the same report built from small and large test plans for query counts and safe rendering."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.document import report_document
from followup.rendering import PRINT_ORIGIN, report_render, report_render_html
from followup.services import report_create, report_text_save, status_save
from planning.models import Assignment
from tests.budget.factories import budget_world
from tests.followup.conftest import probes
from tests.followup.pdf import first_page_with, flat, footers, inflated, info, pages_text, toc_entries
from tests.internalcontrol.factories import make_control, make_risk, select
from tests.planning.factories import add_indicator, add_section, make_plan

SECTIONS = [
    "1 Sammanfattning",
    "2 Målstyrning",
    "3 Kvalitetsstyrning",
    "4 Medarbetare",
    "5 Ekonomi",
    "6 Intern kontroll",
]


@pytest.fixture(scope="module")
def t1(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("reports") / "t1.pdf"
    with django_db_blocker.unblock():
        call_command("demo", force_demo_users=True, stdout=io.StringIO())
        out = io.StringIO()
        call_command("render_report", "regionkontoret/2023", "--period", "T1", "--output", str(path), stdout=out)
        assignments = list(
            Assignment.objects.filter(
                focus_area__plan__unit__slug="regionkontoret", focus_area__plan__year=2023
            ).values_list("title", flat=True)
        )
        call_command("flush", interactive=False, verbosity=0)
    return {"path": path, "pages": pages_text(path), "stdout": out.getvalue(), "assignments": assignments}


def test_the_six_sections_of_seed_004_come_in_order(t1):
    pages = t1["pages"]
    starts = [first_page_with(pages, heading, after=2) for heading in SECTIONS]
    assert None not in starts, dict(zip(SECTIONS, starts, strict=True))
    assert starts == sorted(starts)
    chapters = [(number, title) for number, title, _page in toc_entries(pages) if "." not in number]
    assert [f"{number} {title}" for number, title in chapters] == SECTIONS


def test_the_contents_give_the_pages_where_sections_start(t1):
    pages = t1["pages"]
    entries = toc_entries(pages)
    assert len(entries) > len(SECTIONS)  # sub-sections too
    for number, title, page in entries:
        assert first_page_with(pages, f"{number} {title}", after=2) == page, (number, title)


def test_every_page_has_the_footer_n_of_m(t1):
    found = footers(t1["pages"])
    assert [number for _title, number, _total in found] == list(range(1, len(t1["pages"]) + 1))
    assert {total for _title, _number, total in found} == {len(t1["pages"])}
    assert {title for title, _number, _total in found} == {"Uppföljningsrapport 1 2023"}
    assert f"{len(t1['pages'])} pages" in t1["stdout"]


def test_the_indicators_economy_and_internal_control_of_seed_004(t1):
    text = flat("\n".join(t1["pages"][2:]))
    assert "11,15" in text and "2,58" in text
    assert "Personalomsättning" in text and "Sjukfrånvaro" in text
    # 5.1 and 5.2 in tkr, 5.1.1 in mnkr, as the seed prints them.
    for figure in ("−237 112 tkr", "−271 293 tkr", "34 181 tkr", "−790 218 tkr", "−814 918 tkr", "24 700 tkr"):
        assert figure in text, figure
    for row in ("Regionkontoret −187,7 −204,6 16,9", "Förtroendevalda −15,1 −17,4 2,3", "−237,1 −271,3 34,2"):
        assert row in text, row
    assert "Risk för otydlig ansvarsfördelning" in text and "Uppfyllt" in text
    assert "IT och Digitalisering 394 30" in text  # the governing-documents table of the first control
    assert "R1 Risk för otydlig ansvarsfördelning 3 2 6 Medel" in text  # the risk matrix's table


def test_every_assignment_is_reported_with_the_goals_it_contributes_to(t1):
    text = flat("\n".join(t1["pages"][2:]))
    assert len(t1["assignments"]) == 11
    for title in t1["assignments"]:
        assert flat(title) in text, title
    assert text.count("Uppdraget bidrar till fokusområdet:") == 9  # two of the eleven have no goal link (fixture)
    assert "Regionkontoret som ledningskontor arbetar med strategisk regional utveckling" in text


def test_the_report_pdf_is_tagged_swedish_and_titled(t1):
    meta = info(t1["path"])
    assert meta["Tagged"] == "yes"
    assert meta["Title"] == "Uppföljningsrapport 1 2023"
    assert b"/Lang (sv)" in inflated(t1["path"].read_bytes())


def test_render_report_refuses_bad_input(db, tmp_path, org):
    make_plan(org["rk"], year=2024, areas=1, goals=1, assignments=1, activities=0)
    target = str(tmp_path / "r.pdf")
    with pytest.raises(CommandError, match="Unknown period 'T4'"):
        call_command("render_report", "rk/2024", "--period", "T4", "--output", target)
    with pytest.raises(CommandError, match="has no follow-up report for T2"):
        call_command("render_report", "rk/2024", "--period", "T2", "--output", target)
    with pytest.raises(CommandError, match="No plan 'rk/1999'"):
        call_command("render_report", "rk/1999", "--period", "T1", "--output", target)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("render_report", "rk/2024", "--period", "T1", "--output", str(tmp_path / "no" / "r"))
    assert not (tmp_path / "r.pdf").exists()


def _report_world(org, users, size: int):
    plan = make_plan(org["rk"], year=2022 + size, areas=size, goals=size, assignments=size, activities=size)
    add_indicator(plan)
    add_section(plan, title="Arbetsmiljöplan")
    budget_world(plan, org)
    for index in range(size):
        risk = make_risk(org["rk"], owner=org["itd"], title=f"Risk {plan.year}.{index}", scores={plan.year: (3, 4)})
        make_control(select(plan, risk, order=index), responsible=org["itd"])
    report = report_create(plan=plan, period="T1", user=users["secretary"])
    for assignment in Assignment.objects.in_plan(plan):
        status_save(report=report, item=assignment, status="on_track", comment="Pågår.", user=users["secretary"],
                    version=None)  # fmt: skip
    return report


def test_building_the_report_takes_the_same_queries_whatever_its_size(org, users):
    counts = []
    for size in (1, 3):
        report = _report_world(org, users, size)
        with CaptureQueriesContext(connection) as queries:
            document = report_document(report)
        counts.append(len(queries))
        assert len(document.goal_groups) == size
        assert sum(len(group.items) for group in document.goal_groups) == size**3
        assert len(document.risks) == size
    assert counts[0] == counts[1], counts


def test_markup_typed_into_a_report_is_printed_as_text_and_nothing_is_fetched(org, users, counter):
    plan = make_plan(org["rk"], year=2023, areas=1, goals=1, assignments=1, activities=0)
    report = report_create(plan=plan, period="T1", user=users["secretary"])
    text = probes(counter.port)
    report_text_save(report=report, key="summary", body=text, user=users["secretary"], version=None)
    status_save(report=report, item=Assignment.objects.in_plan(plan).get(), status="deviation", comment=text,
                user=users["secretary"], version=None)  # fmt: skip

    rendered = report_render(report=report)

    assert rendered.fetcher.refused == []
    assert rendered.fetcher.served == [f"{PRINT_ORIGIN}/static/css/print.css"]
    assert counter.count == 0
    printed = flat("\n".join(pages_text(rendered.data)))
    assert printed.count('<img src="file:///etc/passwd">') == 2
    assert printed.count('<link rel="attachment" href="file:///etc/passwd">') == 2
    assert f'<img src="http://127.0.0.1:{counter.port}/x.png">' in printed
    objects = inflated(rendered.data)
    assert b"root:x:0:0" not in objects
    assert b"/EmbeddedFile" not in objects
    assert "<img src=" not in re.sub(r"<svg.*?</svg>", "", report_render_html(report=report), flags=re.S)
