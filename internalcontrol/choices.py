from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportingPeriod(models.TextChoices):
    """The follow-up reports a control can be reported in (tertials of the plan's year)."""

    T1 = "T1", _("T1 (jan–apr)")
    T2 = "T2", _("T2 (jan–aug)")
    T3 = "T3", _("Full year")


class RiskArea(models.TextChoices):
    OPERATIONS = "operations", _("Operations")
    INFORMATION_SECURITY = "information_security", _("Information security")
    COMPLIANCE = "compliance", _("Compliance with laws and rules")
    IRREGULARITIES = "irregularities", _("Errors and irregularities")
    FINANCE = "finance", _("Finance")
    GOVERNANCE = "governance", _("Governance and responsibilities")
    STAFF = "staff", _("Staff and work environment")


class RiskLevel(models.TextChoices):
    """Levels of a risk score; the thresholds between them are data (``RiskScale``)."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


# Fills of the risk matrix cells (and of the level badges in app.css, .ic-level--*). Pale tints: the level is
# also written in dark text in every cell (contrast above 7:1).
LEVEL_FILL = {
    RiskLevel.LOW: "#cfe8d5",
    RiskLevel.MEDIUM: "#fff0b3",
    RiskLevel.HIGH: "#fbd0a6",
    RiskLevel.VERY_HIGH: "#f5b5b5",
}


class ControlMethod(models.TextChoices):
    SAMPLE_CHECK = "sample_check", _("Sample check")
    SURVEY = "survey", _("Survey")
    REVIEW = "review", _("Review")
    ANALYSIS = "analysis", _("Analysis")


class ControlPlanStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")


class Outcome(models.TextChoices):
    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")


OUTCOME_BADGE = {Outcome.MET: "ok", Outcome.PARTLY_MET: "warn", Outcome.NOT_MET: "bad"}


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
