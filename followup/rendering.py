"""Printing: whole-plan documents as HTML (the browser preview) and as PDF (WeasyPrint), from one template.

Safe by construction: user text reaches the templates only through Django's autoescaping (``linebreaks`` for
prose, never ``|safe``), and WeasyPrint fetches every resource through :class:`StaticOnlyFetcher`, which serves
our own static files and refuses every other address (``file:``, ``http(s):``, ``data:``, …) without opening it.

Documents are Swedish whatever the reader's interface language: they are rendered with Swedish active and say
``lang="sv"``. The PDF is PDF/UA-1 (tagged, with title and language) so it can be published as it is.
"""

import html
import logging
import mimetypes
import re
import time
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.charts import Bar, bar_chart_svg
from followup.choices import Section, TextKey
from followup.document import ReportDocument, report_document, snapshot
from followup.models import FollowUpReport
from internalcontrol.matrix import describe_analysis, matrix_svg, risk_analysis
from planning.choices import IndicatorUnit, Stage
from planning.documents import ChapterInfo, PlanDocument, document_outline
from planning.models import Plan

logger = logging.getLogger(__name__)

# Relative URLs in our templates (``/static/css/print.css``) resolve against this origin. The ``.invalid`` top-level
# domain never resolves (RFC 2606), and the fetcher answers for it from the static files without any network.
PRINT_ORIGIN = "https://print.invalid"
DOCUMENT_LANGUAGE = "sv"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}
MILLION = 1_000_000


class RefusedURL(ValueError):
    """A resource the document may not load. WeasyPrint logs it and leaves the resource out."""


class StaticOnlyFetcher(URLFetcher):
    """Serves ``<PRINT_ORIGIN>/static/…`` from the static-file finders; refuses everything else, unopened.

    No ``data:`` URLs either: our charts are inline SVG and our stylesheet is a static file, so nothing of ours
    needs them, and refusing them keeps user-supplied bytes from being embedded as images or attachments.
    ``served`` and ``refused`` record what was asked, for tests and logs.
    """

    def __init__(self):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        path = self.static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("Refused to load %r while printing: only our static files are allowed.", url[:200])
            raise RefusedURL(f"Refused: {url[:200]}")
        with open(path, "rb") as file:
            body = file.read()
        self.served.append(url)
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})

    @staticmethod
    def static_path(url: str) -> str | None:
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        origin = urlsplit(PRINT_ORIGIN)
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc) or parts.query or parts.fragment:
            return None
        if not parts.path.startswith(settings.STATIC_URL):
            return None
        relative = unquote(parts.path[len(settings.STATIC_URL) :])
        if not relative or "\\" in relative or "\x00" in relative:
            return None
        if any(piece in ("", ".", "..") for piece in relative.split("/")):
            return None
        found = finders.find(relative)
        if isinstance(found, str):
            return found
        try:  # collected files only (e.g. hashed names of a manifest storage), never outside STATIC_ROOT
            if staticfiles_storage.exists(relative):
                return staticfiles_storage.path(relative)
        except (NotImplementedError, SuspiciousFileOperation, ValueError):
            pass
        return None


@dataclass
class RenderedPdf:
    data: bytes
    pages: int
    seconds: float
    fetcher: StaticOnlyFetcher = field(repr=False)


def html_to_pdf(document_html: str, *, fetcher: StaticOnlyFetcher | None = None) -> RenderedPdf:
    """Lay out our own HTML with WeasyPrint: A4, tagged PDF/UA-1, resources only from our static files."""
    fetcher = fetcher or StaticOnlyFetcher()
    started = time.perf_counter()
    rendered = HTML(string=document_html, base_url=PRINT_ORIGIN + "/", url_fetcher=fetcher).render()
    data = rendered.write_pdf(**PDF_OPTIONS)
    return RenderedPdf(data, len(rendered.pages), time.perf_counter() - started, fetcher)


# The plan ----------------------------------------------------------------------------------------------------------


@dataclass
class PrintedChapter:
    info: ChapterInfo
    filled: bool
    body: str


HEADING = re.compile(r'<h([12])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)


def table_of_contents(body: str) -> list[dict]:
    """Entries for every ``<h1 id>`` and ``<h2 id>`` of the rendered chapters, in order; WeasyPrint puts in the
    page numbers (``target-counter``)."""
    entries = []
    for level, anchor, inner in HEADING.findall(body):
        text = " ".join(html.unescape(strip_tags(inner)).split())
        entries.append({"level": int(level), "id": anchor, "text": text})
    return entries


def plan_chapters(document: PlanDocument) -> list[PrintedChapter]:
    chapters = []
    for outline, section in document_outline():
        info = document.chapter(outline)
        body = ""
        if section is not None:
            info.title = section.title
            context = {"plan": document.plan, "chapter": info, **section.context(document, info)}
            body = render_to_string(section.template_name, context).strip()
        chapters.append(PrintedChapter(info, section is not None, mark_safe(body)))  # noqa: S308  our own templates
    return chapters


def plan_context(plan: Plan, *, preview: bool = False) -> dict:
    """Everything ``followup/pdf/plan.html`` shows; call with the document language active."""
    document = PlanDocument(plan)
    chapters = plan_chapters(document)
    body = mark_safe(  # noqa: S308  rendered from our templates, user text escaped there
        "".join(
            render_to_string(
                "followup/pdf/partials/chapter.html", {"chapter": c.info, "filled": c.filled, "body": c.body}
            )
            for c in chapters
        )
    )
    milestone = plan.milestones.filter(stage=plan.stage).first()
    return {
        "plan": plan,
        "unit": plan.unit,
        "board": plan.unit.parent,
        "document_title": plan.title,
        "stage": Stage(plan.stage).label,
        "stage_date": milestone.date if milestone else None,
        "toc": table_of_contents(body),
        "body": body,
        "preview": preview,
    }


def plan_render_html(*, plan: Plan, preview: bool = False) -> str:
    """The plan document as one HTML page: what the PDF is made from, and the browser preview (``preview`` adds a
    bar with the way back and the download)."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string("followup/pdf/plan.html", plan_context(plan, preview=preview))


def plan_render(*, plan: Plan) -> RenderedPdf:
    return html_to_pdf(plan_render_html(plan=plan))


def plan_render_pdf(*, plan: Plan) -> bytes:
    """The plan as printed for the board (seed 002): cover, contents with page numbers, chapters 1–6."""
    return plan_render(plan=plan).data


def pdf_filename(plan: Plan) -> str:
    return f"plan-{plan.unit.slug}-{plan.year}.pdf"


# The follow-up report ----------------------------------------------------------------------------------------------


def _attach_charts(document: ReportDocument) -> None:
    """Indicator against target and budget against outcome, drawn from the document's own figures. Charts are set
    as plain attributes, so they are shown but are not part of the snapshot (which holds the figures)."""
    for line in [*document.employee_indicators, *document.quality_indicators]:
        if line.value is None:
            continue
        figures = [line.value, *(b.value for b in line.breakdown), *([line.target] if line.target is not None else [])]
        line.chart = bar_chart_svg(
            title=str(_("%(indicator)s: outcome against target")) % {"indicator": line.name},
            bars=[Bar(str(_("Outcome")), line.value), *(Bar(b.label, b.value) for b in line.breakdown)],
            reference=Bar(str(_("Target")), line.target) if line.target is not None else None,
            unit=line.unit_label if line.unit != IndicatorUnit.INDEX else "",
            decimals=max(max(0, -v.normalize().as_tuple().exponent) for v in figures),
            id_prefix=f"indicator-{line.number.replace('.', '-')}",
        )
    economy = document.economy
    if economy.columns:
        bars = []
        for row in economy.columns:  # net cost as a positive amount: the longer bar costs more
            bars += [
                Bar(f"{row.label} – {_('budget')}", -row.budget / MILLION),
                Bar(f"{row.label} – {_('outcome')}", -row.outcome / MILLION),
            ]
        economy.chart = bar_chart_svg(
            title=str(_("Net cost %(months)s: budget against outcome")) % {"months": document.period_months},
            bars=bars,
            unit="mnkr",
            id_prefix="economy-chart",
            width=560,
        )


def report_context(report: FollowUpReport, *, preview: bool = False) -> tuple[dict, ReportDocument]:
    """What ``followup/pdf/report.html`` shows, and the document it was made from; call with Swedish active."""
    document = report_document(report)
    _attach_charts(document)
    analysis = risk_analysis(report.plan.unit, report.plan.year)
    context = {
        "risk_matrix": matrix_svg(analysis, id_prefix="report-risk-matrix") if analysis.entries else "",
        "risk_matrix_text": describe_analysis(analysis),
        "risk_entries": analysis.entries,
        "report": report,
        "doc": document,
        "plan": report.plan,
        "sections": {section.value: section.number for section in Section},
        "text_keys": TextKey,
    }
    body = mark_safe(render_to_string("followup/pdf/report_body.html", context).strip())  # noqa: S308  our template
    context.update(
        unit=report.plan.unit,
        document_title=document.title,
        toc=table_of_contents(body),
        body=body,
        preview=preview,
    )
    return context, document


def report_render_html(*, report: FollowUpReport, preview: bool = False) -> str:
    """The report as one HTML page: the PDF's source, and the browser preview (``preview`` adds a bar)."""
    with translation.override(DOCUMENT_LANGUAGE):
        context, _document = report_context(report, preview=preview)
        return render_to_string("followup/pdf/report.html", context)


def report_render(*, report: FollowUpReport) -> RenderedPdf:
    return html_to_pdf(report_render_html(report=report))


def report_render_for_approval(*, report: FollowUpReport) -> tuple[RenderedPdf, dict]:
    """The PDF and the snapshot of exactly the data it was made from, for the approval record."""
    with translation.override(DOCUMENT_LANGUAGE):
        context, document = report_context(report)
        rendered = html_to_pdf(render_to_string("followup/pdf/report.html", context))
        return rendered, snapshot(document)


def report_pdf(*, report: FollowUpReport) -> tuple[bytes, int]:
    """The report's PDF: an approved report's stored bytes, unchanged whatever happened since; else rendered now."""
    if report.is_approved:
        approval = report.approvals.latest()
        return bytes(approval.pdf), approval.pages
    rendered = report_render(report=report)
    return rendered.data, rendered.pages


def report_pdf_filename(report: FollowUpReport) -> str:
    return f"uppfoljning-{report.plan.unit.slug}-{report.period.year}-{report.period.code}.pdf"
