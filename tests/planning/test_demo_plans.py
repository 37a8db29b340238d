"""The seed documents, loaded as demo data, hold what the acceptance checks ask of them."""

import io
import json

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def exports(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("demo", force_demo_users=True, stdout=io.StringIO())
        result = {}
        for year in (2022, 2023, 2024, 2025):
            out = io.StringIO()
            call_command("export_plan", f"regionkontoret/{year}", "--format", "json", stdout=out)
            result[year] = json.loads(out.getvalue())
        call_command("flush", interactive=False, verbosity=0)
    return result


def all_assignments(data):
    def walk(assignments):
        for a in assignments:
            yield a
            yield from walk(a["assignments"])

    for area in data["focus_areas"]:
        yield from walk(area["assignments"])
        for goal in area["goals"]:
            yield from walk(goal["assignments"])


def test_2025_has_the_boards_twelve_goals_and_is_a_proposal(exports):
    data = exports[2025]
    assert sum(len(area["goals"]) for area in data["focus_areas"]) == 12
    assert data["plan"]["stage"] == "proposal"
    assert data["plan"]["previous"] == "regionkontoret/2024"
    samlat = next(a for a in data["focus_areas"] if a["title"] == "Ett samlat regionkontor")
    assert samlat["kind"] == "development_area" and samlat["goals"] == []
    assert samlat["assignments"][0]["title"].startswith("Regionkontoret ska stärka sin förmåga att leda och samordna")
    kinds = {s["kind"] for s in data["sections"]}
    assert {"work_environment", "competence"} <= kinds


def test_2023_has_the_eleven_development_assignments(exports):
    assignments = list(all_assignments(exports[2023]))
    assert len(assignments) == 11
    assert {a["kind"] for a in assignments} == {"development"}


def test_2024_accelerate_digital_transformation_has_three_goals(exports):
    area = next(a for a in exports[2024]["focus_areas"] if a["title"] == "Accelerera digital transformation")
    assert len(area["goals"]) == 3


def test_2022_assignments_carry_their_prose_and_indicators_their_definitions(exports):
    assignments = list(all_assignments(exports[2022]))
    assert assignments and all(a["description"].strip() for a in assignments)
    assert any(a["kind"] == "region_wide" and a["assignments"] for a in assignments)
    assert exports[2022]["indicators"] and all(i["definition"] for i in exports[2022]["indicators"])
    assert exports[2022]["sections"][0]["title"] == "Inledning"
