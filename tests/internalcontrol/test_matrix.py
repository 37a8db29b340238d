"""The server-side SVG risk matrix: 16 cells with the level written in each, counts and numbers, movement arrows."""

import pytest
from defusedxml import ElementTree

from internalcontrol.forms import parse_table, table_text
from internalcontrol.matrix import matrix_svg, risk_analysis
from tests.internalcontrol.factories import make_risk, select
from tests.planning.factories import make_plan

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def analysis(org):
    rk, itd = org["rk"], org["itd"]
    plan = make_plan(rk, areas=1, goals=1, assignments=1, activities=0)
    cyber = make_risk(rk, owner=itd, title="Risk för cyberattacker", scores={2024: (2, 3), 2025: (3, 4)})
    make_risk(rk, owner=itd, title="Risk med driftstörningar", scores={2024: (3, 4), 2025: (3, 4)})
    make_risk(rk, owner=itd, title="Risk för välfärdsbrott", scores={2024: (4, 4), 2025: (2, 3)})
    make_risk(rk, owner=itd, title="Risk med att bryta mot lagen om offentlig upphandling", scores={2025: (1, 1)})
    make_risk(rk, owner=itd, title="Gammal risk", scores={2024: (1, 1)})  # not scored 2025: not in the matrix
    select(plan, cyber)
    return risk_analysis(rk, 2025)


def parse(svg):
    return ElementTree.fromstring(str(svg))


def cells(root):
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "risk-matrix__cell"]


def texts(element):
    return [t.text for t in element.iter(f"{SVG}text")]


def test_the_matrix_has_sixteen_cells_each_writing_its_level_and_score(analysis):
    root = parse(matrix_svg(analysis))
    grid = cells(root)
    assert len(grid) == 16
    assert {(g.get("data-probability"), g.get("data-consequence")) for g in grid} == {
        (str(p), str(c)) for p in range(1, 5) for c in range(1, 5)
    }
    for g in grid:
        score = int(g.get("data-probability")) * int(g.get("data-consequence"))
        assert g.get("data-score") == str(score)
        level = analysis.scale.level(score)
        assert g.get("data-level") == level.value
        heading = texts(g)[0]
        assert heading == f"{level.label} · {score}"  # the level in words, not only the fill colour
        assert g.find(f"{SVG}rect").get("fill")


def test_cells_count_their_risks_and_name_them_by_number(analysis):
    root = parse(matrix_svg(analysis))
    by_cell = {(g.get("data-probability"), g.get("data-consequence")): g for g in cells(root)}
    assert sum(int(g.get("data-count")) for g in by_cell.values()) == 4
    numbers = {e.risk.title: e.label for e in analysis.entries}
    assert numbers["Risk för cyberattacker"] == "R1"  # the control plan's risks come first
    top = by_cell[("3", "4")]
    assert top.get("data-count") == "2"
    assert texts(top)[1].startswith("2 ")  # "2 risks" / "2 risker"
    assert f"{numbers['Risk för cyberattacker']}, {numbers['Risk med driftstörningar']}" in texts(top)
    assert by_cell[("1", "1")].get("data-count") == "1" and by_cell[("4", "4")].get("data-count") == "0"


def test_the_svg_is_an_accessible_image_with_title_and_description_and_no_style_attributes(analysis):
    svg = str(matrix_svg(analysis))
    root = parse(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and "2025" in title.text
    assert desc is not None and "R1" in desc.text
    assert set(root.get("aria-labelledby").split()) == {title.get("id"), desc.get("id")}
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg


def test_movement_since_last_year_is_drawn_and_written(analysis):
    root = parse(matrix_svg(analysis))
    moves = {g.get("data-risk"): g for g in root.iter(f"{SVG}g") if g.get("class") == "risk-matrix__move"}
    entries = {e.risk.title: e for e in analysis.entries}
    cyber, drift, welfare = (
        entries["Risk för cyberattacker"],
        entries["Risk med driftstörningar"],
        entries["Risk för välfärdsbrott"],
    )
    assert set(moves) == {cyber.label, welfare.label}  # unchanged and new risks have no arrow
    assert moves[cyber.label].find(f"{SVG}line").get("marker-end")
    assert cyber.movement.kind == "up" and cyber.movement.text.startswith("↑") and "6" in cyber.movement.text
    assert welfare.movement.kind == "down" and welfare.movement.text.startswith("↓") and "16" in welfare.movement.text
    assert drift.movement.kind == "same"
    assert entries["Risk med att bryta mot lagen om offentlig upphandling"].movement.kind == "new"


def test_user_text_is_escaped(org):
    make_risk(org["rk"], owner=org["itd"], title="<script>x</script>", scores={2025: (1, 1)})
    svg = str(matrix_svg(risk_analysis(org["rk"], 2025)))
    assert "<script>" not in svg
    parse(svg)


def test_table_text_parses_semicolons_or_tabs_and_round_trips():
    text = "Område; Antal dokument (ca); Procent\nIT och Digitalisering; 394; 8 %\n\nMiljö\t-4 (1)\t25 %\nKansli; 1 (5)"
    table = parse_table(text)
    assert table == {
        "columns": ["Område", "Antal dokument (ca)", "Procent"],
        "rows": [["IT och Digitalisering", "394", "8 %"], ["Miljö", "-4 (1)", "25 %"], ["Kansli", "1 (5)", ""]],
    }
    assert parse_table(table_text(table)) == table
    assert parse_table("   \n") is None
    semicolon_cell = {"columns": ["A", "B"], "rows": [["x; y", "z"]]}
    assert parse_table(table_text(semicolon_cell)) == semicolon_cell


def test_a_row_with_more_cells_than_headings_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        parse_table("A; B\n1; 2; 3")
