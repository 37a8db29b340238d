"""The risk analysis of one unit and year: each risk's score, level and movement since last year, and the 4×4
risk matrix drawn as SVG on the server (the page and a PDF show the same picture).

The matrix does not rely on colour: every cell writes its level and score, the number of risks and their short
numbers (R1, R2 …, explained in the table beside it); movement is drawn as an arrow and written in the table.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Unit
from internalcontrol.choices import LEVEL_FILL, RiskLevel
from internalcontrol.models import SCALE_STEPS, RiskAssessment, RiskScale, SelectedRisk

INK = "#1b1f24"
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"


@dataclass
class Movement:
    kind: str  # "up", "down", "same" or "new"
    previous: int | None

    @property
    def text(self) -> str:
        if self.kind == "new":
            return _("no score last year")
        if self.kind == "same":
            return _("= unchanged (%(score)s)") % {"score": self.previous}
        arrow = "↑" if self.kind == "up" else "↓"
        return _("%(arrow)s from %(score)s") % {"arrow": arrow, "score": self.previous}


def movement(current: RiskAssessment | None, previous: RiskAssessment | None) -> Movement | None:
    if current is None:
        return None
    if previous is None:
        return Movement("new", None)
    if current.score > previous.score:
        return Movement("up", previous.score)
    if current.score < previous.score:
        return Movement("down", previous.score)
    return Movement("same", previous.score)


@dataclass
class Entry:
    number: int
    assessment: RiskAssessment
    previous: RiskAssessment | None
    level: RiskLevel
    selected: bool

    @property
    def risk(self):
        return self.assessment.risk

    @property
    def label(self) -> str:
        return f"R{self.number}"

    @property
    def movement(self) -> Movement:
        return movement(self.assessment, self.previous)

    @property
    def moved_cell(self) -> bool:
        p = self.previous
        return p is not None and (p.probability, p.consequence) != (
            self.assessment.probability,
            self.assessment.consequence,
        )


@dataclass
class RiskAnalysis:
    unit: Unit
    year: int
    scale: RiskScale
    entries: list[Entry] = field(default_factory=list)

    def cell(self, probability: int, consequence: int) -> list[Entry]:
        return [
            e
            for e in self.entries
            if (e.assessment.probability, e.assessment.consequence) == (probability, consequence)
        ]

    def level_counts(self) -> dict[str, int]:
        counts = {level.value: 0 for level in RiskLevel}
        for entry in self.entries:
            counts[entry.level] += 1
        return counts


def risk_analysis(unit: Unit, year: int) -> RiskAnalysis:
    """Every risk of ``unit`` scored for ``year``, numbered R1… (risks in the year's control plan first, in its
    order; then by score, highest first). Four queries, whatever the number of risks."""
    scale = RiskScale.objects.for_unit(unit)
    assessments = list(
        RiskAssessment.objects.filter(risk__unit=unit, year=year).select_related(
            "risk__owner_unit", "risk__goal", "risk__assignment"
        )
    )
    previous = {
        a.risk_id: a for a in RiskAssessment.objects.filter(risk__in=[a.risk_id for a in assessments], year=year - 1)
    }
    selection_order = dict(
        SelectedRisk.objects.filter(control_plan__plan__unit=unit, control_plan__plan__year=year).values_list(
            "risk_id", "order"
        )
    )
    big = len(selection_order) + 1

    def sort_key(a):
        return (selection_order.get(a.risk_id, big), -a.score, a.risk.title)

    entries = [
        Entry(
            number=number,
            assessment=a,
            previous=previous.get(a.risk_id),
            level=scale.level(a.score),
            selected=a.risk_id in selection_order,
        )
        for number, a in enumerate(sorted(assessments, key=sort_key), start=1)
    ]
    return RiskAnalysis(unit=unit, year=year, scale=scale, entries=entries)


# Geometry of the drawing, in SVG user units.
CELL_W, CELL_H = 132, 100
LEFT, TOP, BOTTOM, RIGHT = 160, 12, 74, 12
WIDTH = LEFT + 4 * CELL_W + RIGHT
HEIGHT = TOP + 4 * CELL_H + BOTTOM
NUMBERS_PER_LINE = 4
NUMBER_LINES = 2


def _cell_origin(probability: int, consequence: int) -> tuple[int, int]:
    """Top-left corner: consequence grows to the right, probability upwards."""
    return LEFT + (consequence - 1) * CELL_W, TOP + (4 - probability) * CELL_H


def _cell_centre(probability: int, consequence: int) -> tuple[int, int]:
    x, y = _cell_origin(probability, consequence)
    return x + CELL_W // 2, y + CELL_H // 2


def _text(x, y, content, *, size=14, weight=None, anchor=None, extra="") -> str:
    attrs = f'x="{x}" y="{y}" font-size="{size}" fill="{INK}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if anchor:
        attrs += f' text-anchor="{anchor}"'
    return f"<text {attrs}{extra}>{escape(content)}</text>"


def _number_lines(entries: list[Entry]) -> list[str]:
    labels = [e.label for e in entries]
    lines = [", ".join(labels[i : i + NUMBERS_PER_LINE]) for i in range(0, len(labels), NUMBERS_PER_LINE)]
    if len(lines) > NUMBER_LINES:
        shown = NUMBERS_PER_LINE * NUMBER_LINES - 1
        rest = len(labels) - shown
        head = labels[:shown]
        lines = [", ".join(head[:NUMBERS_PER_LINE]), ", ".join(head[NUMBERS_PER_LINE:]) + f" +{rest}"]
    return lines


def describe_analysis(analysis: RiskAnalysis) -> str:
    if not analysis.entries:
        return _("No risks are scored for %(year)s.") % {"year": analysis.year}
    parts = [
        ngettext("%(count)s risk scored for %(year)s.", "%(count)s risks scored for %(year)s.", len(analysis.entries))
        % {"count": len(analysis.entries), "year": analysis.year}
    ]
    for level in reversed(RiskLevel):
        entries = [e for e in analysis.entries if e.level == level]
        if entries:
            parts.append(f"{level.label}: {', '.join(e.label for e in entries)}.")
    moved = [e for e in analysis.entries if e.moved_cell]
    if moved:
        parts.append(
            _("Arrows show movement since last year: %(risks)s.")
            % {"risks": ", ".join(f"{e.label} {e.movement.text}" for e in moved)}
        )
    parts.append(_("The table beside the matrix lists every risk."))
    return " ".join(parts)


def matrix_svg(analysis: RiskAnalysis, *, id_prefix: str = "risk-matrix") -> SafeString:
    """The 4×4 matrix as inline SVG markup: presentation attributes only (no ``style``), safe to embed."""
    scale = analysis.scale
    title_id, desc_id, arrow_id = f"{id_prefix}-title", f"{id_prefix}-desc", f"{id_prefix}-arrow"
    title = _("Risk matrix %(year)s – %(unit)s") % {"year": analysis.year, "unit": analysis.unit.name}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="risk-matrix" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-family="{FONT}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(describe_analysis(analysis))}</desc>',
        f'<defs><marker id="{arrow_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker></defs>',
    ]
    for probability in reversed(SCALE_STEPS):
        for consequence in SCALE_STEPS:
            score = probability * consequence
            level = scale.level(score)
            entries = analysis.cell(probability, consequence)
            x, y = _cell_origin(probability, consequence)
            out.append(
                f'<g class="risk-matrix__cell" data-probability="{probability}" data-consequence="{consequence}" '
                f'data-score="{score}" data-level="{level.value}" data-count="{len(entries)}">'
            )
            out.append(
                f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{LEVEL_FILL[level]}" '
                f'stroke="{INK}" stroke-width="1"/>'
            )
            out.append(_text(x + 8, y + 20, f"{level.label} · {score}", weight="700"))
            count = ngettext("%(count)s risk", "%(count)s risks", len(entries)) % {"count": len(entries)}
            out.append(_text(x + 8, y + 42, count, size=13))
            for line_no, line in enumerate(_number_lines(entries)):
                out.append(_text(x + 8, y + 66 + 20 * line_no, line, size=15, weight="700"))
            out.append("</g>")
    for probability in SCALE_STEPS:
        _x, y = _cell_origin(probability, 1)
        label = f"{probability} {scale.probability_label(probability)}"
        out.append(_text(LEFT - 8, y + CELL_H // 2 + 5, label, size=13, anchor="end"))
    for consequence in SCALE_STEPS:
        x, _y = _cell_origin(1, consequence)
        label = f"{consequence} {scale.consequence_label(consequence)}"
        out.append(_text(x + CELL_W // 2, TOP + 4 * CELL_H + 22, label, size=13, anchor="middle"))
    centre_y = TOP + 2 * CELL_H
    out.append(
        _text(
            20,
            centre_y,
            _("Probability"),
            weight="700",
            anchor="middle",
            extra=f' transform="rotate(-90 20 {centre_y})"',
        )
    )
    out.append(_text(LEFT + 2 * CELL_W, HEIGHT - 14, _("Consequence"), weight="700", anchor="middle"))
    for entry in analysis.entries:
        if not entry.moved_cell:
            continue
        x1, y1 = _cell_centre(entry.previous.probability, entry.previous.consequence)
        x2, y2 = _cell_centre(entry.assessment.probability, entry.assessment.consequence)
        out.append(
            f'<g class="risk-matrix__move" data-risk="{entry.label}">'
            f'<circle cx="{x1}" cy="{y1 + 28}" r="5" fill="none" stroke="{INK}" stroke-width="2"/>'
            f'<line x1="{x1}" y1="{y1 + 28}" x2="{x2}" y2="{y2 + 28}" stroke="{INK}" stroke-width="2" '
            f'stroke-dasharray="6 4" marker-end="url(#{arrow_id})"/></g>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308  every text node is escaped above
