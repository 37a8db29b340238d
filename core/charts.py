"""Small charts drawn as SVG on the server, so a page and a printed PDF show the same picture.

Every chart carries its own text alternative (``<title>`` and ``<desc>``, referenced by ``aria-labelledby``) and
writes its values as text beside the bars: nothing depends on colour alone. Only presentation attributes are used
(no ``style``), so the markup passes the strict Content Security Policy; every text node is escaped.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.formatting import sv_number, to_decimal

INK = "#1b1f24"
BAR = "#2f6690"
REFERENCE = "#b3261e"
GRID = "#c8ccd0"
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | float | str | None


def bar_chart_svg(
    *,
    title: str,
    bars: list[Bar],
    unit: str = "",
    decimals: int = 1,
    reference: Bar | None = None,
    description: str = "",
    id_prefix: str = "chart",
    width: int = 480,
) -> SafeString:
    """Horizontal bars with their values written out, and an optional reference line (e.g. the target).

    ``description`` is the text alternative; by default it lists every value (and the reference).
    """
    values = [to_decimal(bar.value) for bar in bars]
    ref_value = to_decimal(reference.value) if reference else None
    known = [v for v in values if v is not None] + ([ref_value] if ref_value is not None else [])
    top = max([Decimal(0), *known])
    bottom = min([Decimal(0), *known])
    span = (top - bottom) or Decimal(1)

    label_w, value_w, row_h, bar_h, pad = 150, 80, 28, 18, 8
    plot_x, plot_w = label_w, width - label_w - value_w
    height = pad * 2 + row_h * len(bars) + (22 if reference else 0)
    suffix = f"\u00a0{unit}" if unit else ""

    def x_of(value: Decimal) -> float:
        return round(plot_x + float((value - bottom) / span) * plot_w, 1)

    def show(value: Decimal | None) -> str:
        return "–" if value is None else sv_number(value, decimals) + suffix

    if not description:
        parts = [f"{bar.label}: {show(v)}" for bar, v in zip(bars, values, strict=True)]
        if reference:
            parts.append(f"{reference.label}: {show(ref_value)}")
        description = "; ".join(parts) + "."
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{title_id} {desc_id}" font-family="{FONT}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    zero_x = x_of(Decimal(0))
    out.append(
        f'<line x1="{zero_x}" y1="{pad}" x2="{zero_x}" y2="{pad + row_h * len(bars)}" stroke="{GRID}" '
        f'stroke-width="1"/>'
    )
    for index, (bar, value) in enumerate(zip(bars, values, strict=True)):
        y = pad + index * row_h
        text_y = y + bar_h - 4
        out.append(
            f'<text x="{label_w - 8}" y="{text_y}" font-size="12" fill="{INK}" text-anchor="end">'
            f"{escape(bar.label)}</text>"
        )
        if value is not None:
            x1, x2 = sorted((zero_x, x_of(value)))
            out.append(f'<rect x="{x1}" y="{y}" width="{max(round(x2 - x1, 1), 1)}" height="{bar_h}" fill="{BAR}"/>')
        out.append(
            f'<text x="{plot_x + plot_w + 6}" y="{text_y}" font-size="12" fill="{INK}">{escape(show(value))}</text>'
        )
    if reference and ref_value is not None:
        x = x_of(ref_value)
        y2 = pad + row_h * len(bars)
        out.append(
            f'<line x1="{x}" y1="{pad - 4}" x2="{x}" y2="{y2}" stroke="{REFERENCE}" stroke-width="2" '
            f'stroke-dasharray="5 3"/>'
        )
        label = f"{reference.label}: {show(ref_value)}"
        anchor = "end" if x > width - 90 else "start" if x < 90 else "middle"
        out.append(
            f'<text x="{x}" y="{y2 + 16}" font-size="12" fill="{INK}" text-anchor="{anchor}">{escape(label)}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308  every text node is escaped above
