from django.db import models
from django.utils.translation import gettext_lazy as _

from internalcontrol.choices import ReportingPeriod

__all__ = [
    "ITEM_STATUS_BADGE",
    "PERIOD_END_MONTH",
    "TEXT_SECTIONS",
    "ItemStatus",
    "ReportStatus",
    "ReportingPeriod",
    "Section",
    "TextKey",
]

# The last month each tertial report covers: T1 jan–apr, T2 jan–aug, T3 the whole year.
PERIOD_END_MONTH = {ReportingPeriod.T1: 4, ReportingPeriod.T2: 8, ReportingPeriod.T3: 12}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")


class ItemStatus(models.TextChoices):
    """The follow-up status of an assignment or activity at a report."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk of deviation")
    DEVIATION = "deviation", _("Deviation")
    DONE = "done", _("Done")
    NOT_STARTED = "not_started", _("Not started")


ITEM_STATUS_BADGE = {
    ItemStatus.ON_TRACK: "ok",
    ItemStatus.AT_RISK: "warn",
    ItemStatus.DEVIATION: "bad",
    ItemStatus.DONE: "ok",
    ItemStatus.NOT_STARTED: "neutral",
}


class TextKey(models.TextChoices):
    """The report's own texts, each written and versioned on its own so that the secretary's summary and the
    controller's economy comments never collide. The section each belongs to is in :data:`TEXT_SECTIONS`."""

    SUMMARY = "summary", _("Summary")
    OPERATIONS = "operations", _("Operations")
    RESULT = "result", _("Income statement comment")
    FORECAST = "forecast", _("Forecast comment")
    FORECAST_CHANGE = "forecast_change", _("Change since the previous report")
    INVESTMENTS = "investments", _("Investments comment")
    INVESTMENT_FORECAST = "investment_forecast", _("Investment forecast comment")
    INTERNAL_CONTROL = "internal_control", _("Internal control introduction")


class Section(models.TextChoices):
    """The report's chapters, in seed 004's order; the number is the position."""

    SUMMARY = "summary", _("Summary")
    GOALS = "goals", _("Goal management")
    QUALITY = "quality", _("Quality management")
    EMPLOYEES = "employees", _("Employees")
    ECONOMY = "economy", _("Economy")
    INTERNAL_CONTROL = "internal_control", _("Internal control")

    @property
    def number(self) -> int:
        return list(Section).index(self) + 1


TEXT_SECTIONS = {
    TextKey.SUMMARY: Section.SUMMARY,
    TextKey.OPERATIONS: Section.QUALITY,
    TextKey.RESULT: Section.ECONOMY,
    TextKey.FORECAST: Section.ECONOMY,
    TextKey.FORECAST_CHANGE: Section.ECONOMY,
    TextKey.INVESTMENTS: Section.ECONOMY,
    TextKey.INVESTMENT_FORECAST: Section.ECONOMY,
    TextKey.INTERNAL_CONTROL: Section.INTERNAL_CONTROL,
}
