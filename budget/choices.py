from django.db import models
from django.utils.translation import gettext_lazy as _


class Sign(models.IntegerChoices):
    """How an account class is entered in the budget table: revenue negative, costs positive."""

    REVENUE = -1, _("Revenue (negative)")
    COST = 1, _("Cost (positive)")


class AdjustmentKind(models.TextChoices):
    """A frame adjustment is given as a percentage of the previous frame, or as an amount."""

    PERCENT = "percent", _("Percentage")
    AMOUNT = "amount", _("Amount")


class InvestmentCategory(models.TextChoices):
    DECIDED = "decided", _("Already decided investments")
    NEW = "new", _("New investment needs")
    REINVESTMENT = "reinvestment", _("Reinvestments")


# The category names in Excel sheets: fixed Swedish text (as in seed 002), so that files read back the same
# whatever the interface language. Imports accept these, the codes, and the interface labels.
CATEGORY_SHEET_LABELS = {
    InvestmentCategory.DECIDED: "Redan beslutade investeringar",
    InvestmentCategory.NEW: "Nya behov av investeringar",
    InvestmentCategory.REINVESTMENT: "Reinvesteringar",
}


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    APPLIED = "applied", _("Applied")


MONEY_UNITS = [("tkr", "tkr"), ("mnkr", "mnkr")]
