"""The demo internal control, loaded from seeds 001 and 004, reads as the documents do."""

import io
import json

import pytest
from defusedxml import ElementTree
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.models import User
from internalcontrol.export import internal_control_export
from internalcontrol.models import Control
from planning import export
from planning.models import Plan

SVG = "{http://www.w3.org/2000/svg}"
FIVE_RISKS_2025 = [
    "Risk med driftstörningar",
    "Risk för välfärdsbrott",
    "Risk med att bryta mot lagen om offentlig upphandling",
    "Risk för informationsläckage",
    "Risk för cyberattacker",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("demo", force_demo_users=True, stdout=out)
        call_command("demo", force_demo_users=True, stdout=out)  # idempotent: the second run skips
        client = Client()
        client.force_login(User.objects.get(username="lasare"))
        plans = {year: Plan.objects.get(unit__slug="regionkontoret", year=year) for year in (2023, 2025)}
        survey = Control.objects.get(title="Enkätundersökning")
        sample = Control.objects.get(title="Kontroll av inaktuella styrdokument")
        result = {
            "log": out.getvalue(),
            "export": {year: internal_control_export(plan) for year, plan in plans.items()},
            "matrix_2025": client.get(reverse("internalcontrol:matrix", kwargs=plans[2025].url_kwargs())),
            "plan_2023": client.get(reverse("internalcontrol:plan", kwargs=plans[2023].url_kwargs())),
            "control_2023": client.get(reverse("internalcontrol:control_detail", args=[sample.pk])),
            "survey_2023": client.get(reverse("internalcontrol:control_detail", args=[survey.pk])),
        }
        call_command("flush", interactive=False, verbosity=0)
    return result


def test_the_demo_loads_both_control_plans_once(demo):
    log = demo["log"]
    assert "internal-control plan regionkontoret/2023: 1 selected risks" in log
    assert "internal-control plan regionkontoret/2025: 5 selected risks, 5 new risks" in log
    assert "internal-control plan regionkontoret/2025 exists, skipped" in log


def test_the_2025_matrix_shows_the_five_risks_of_seed_001(demo):
    response = demo["matrix_2025"]
    assert response.status_code == 200
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    root = ElementTree.fromstring(svg)
    grid = [g for g in root.iter(f"{SVG}g") if g.get("class") == "risk-matrix__cell"]
    assert len(grid) == 16 and sum(int(g.get("data-count")) for g in grid) == 5
    for title in FIVE_RISKS_2025:
        assert title in html
    risks = demo["export"][2025]["risks"]
    assert [r["title"] for r in risks] == FIVE_RISKS_2025
    assert [r["number"] for r in risks] == ["R1", "R2", "R3", "R4", "R5"]
    assert all(r["selected"] and r["assessment"]["year"] == 2025 for r in risks)
    procurement = risks[2]
    assert procurement["reason"] == "Risk tillagd i internkontrollplanen"
    assert demo["export"][2025]["status"] == "proposed"


def test_the_2023_t1_results_read_as_in_seed_004_table_included(demo):
    data = demo["export"][2023]
    assert data["status"] == "approved"
    (risk,) = data["risks"]
    assert risk["title"] == "Risk för otydlig ansvarsfördelning"
    sample, survey = risk["controls"]
    assert (sample["title"], sample["method"], sample["periods"]) == (
        "Kontroll av inaktuella styrdokument",
        "sample_check",
        ["T1"],
    )
    assert (survey["title"], survey["method"], survey["periods"]) == ("Enkätundersökning", "survey", ["T1"])
    (t1,) = sample["results"]
    assert t1["period"] == "T1" and t1["outcome"] == "met"
    assert t1["text"].startswith("Siffrorna inom parentes är dokument som beslutas av administrativ direktör.")
    table = t1["table"]
    assert table["columns"] == ["Område", "Antal dokument (ca)", "Gamla dokument (ca)", "Procent"]
    assert len(table["rows"]) == 11
    assert ["IT och Digitalisering", "394", "30", "8 %"] in table["rows"]
    assert ["Ekonomi", "101 (1)", "22 (1) (inköp 1 grunddok)", "22 %"] in table["rows"]
    assert ["Säkerhet", "74 (7)", "1 (3) (3 grunddok)", "1 %"] in table["rows"]
    (survey_t1,) = survey["results"]
    assert survey_t1["outcome"] == "met" and survey_t1["table"] is None
    assert survey_t1["text"].startswith("Totalt sju chefer har svarat på enkäten")
    assert survey["description"].startswith("Följande frågor går ut till berörda direktörer")


def test_the_2023_pages_show_the_results_and_the_table(demo):
    html = demo["control_2023"].content.decode()
    assert demo["control_2023"].status_code == 200
    assert '<th scope="row">IT och Digitalisering</th>' in html
    assert "<td>394</td>" in html and "<td>30</td>" in html and "<td>8 %</td>" in html
    assert "Totalt sju chefer" in demo["survey_2023"].content.decode()
    plan_html = demo["plan_2023"].content.decode()
    assert "Risk för otydlig ansvarsfördelning" in plan_html and "Enkätundersökning" in plan_html


def test_the_whole_plan_export_has_the_internal_control_section(db, org, monkeypatch):
    """``export_plan`` gathers registered sections; ours is registered by the app (planning does not import it)."""
    from tests.internalcontrol.factories import make_risk, select
    from tests.planning.factories import make_plan

    assert "internal_control" in export._sections
    monkeypatch.setattr(export, "_sections", {"internal_control": export._sections["internal_control"]})
    plan = make_plan(org["rk"], areas=1, goals=1, assignments=1, activities=0)
    select(plan, make_risk(org["rk"], owner=org["itd"], scores={2025: (2, 4)}))
    out = io.StringIO()
    call_command("export_plan", plan.key, "--format", "json", stdout=out)
    section = json.loads(out.getvalue())["internal_control"]
    (risk,) = section["risks"]
    assert {"id", "title", "order"} <= set(risk)
    assert risk["assessment"]["score"] == 8 and risk["assessment"]["level"] == "high"
