"""The follow-up reports in the plan's change feed (``planning.history``): decisions on a report and what was
written in it, field by field, with who and when. ``planning`` never imports this; ``apps.py`` registers it."""

from django.utils.translation import gettext_lazy

from followup.choices import TextKey
from followup.models import FollowUpReport, IndicatorOutcome, ReportText, StatusUpdate
from planning.history import FeedSource


def _title(record) -> str:
    item = record.assignment or record.activity
    return item.title if item else "–"


FEED_SOURCES = [
    FeedSource(
        "report",
        gettext_lazy("Follow-up report"),
        lambda plan: FollowUpReport.history.filter(plan_id=plan.pk),
        title=lambda record: str(record.period),
        select_related=("period",),
        model=FollowUpReport,
    ),
    FeedSource(
        "report_text",
        gettext_lazy("Report text"),
        lambda plan: ReportText.history.filter(report__plan_id=plan.pk),
        title=lambda record: str(TextKey(record.key).label),
        model=ReportText,
    ),
    FeedSource(
        "report_status",
        gettext_lazy("Status at follow-up"),
        lambda plan: StatusUpdate.history.filter(report__plan_id=plan.pk),
        title=_title,
        select_related=("assignment", "activity"),
        model=StatusUpdate,
    ),
    FeedSource(
        "indicator_outcome",
        gettext_lazy("Indicator outcome"),
        lambda plan: IndicatorOutcome.history.filter(report__plan_id=plan.pk),
        title=lambda record: record.indicator.name if record.indicator else "–",
        select_related=("indicator",),
        model=IndicatorOutcome,
    ),
]
