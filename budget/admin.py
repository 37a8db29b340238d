from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from budget.models import (
    AccountClass,
    BudgetAdjustment,
    BudgetColumn,
    BudgetFrame,
    BudgetLine,
    DistributionProfile,
    Initiative,
    Investment,
    LedgerOutcome,
)


@admin.register(AccountClass)
class AccountClassAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "sign", "order"]


@admin.register(BudgetColumn)
class BudgetColumnAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "plan", "unit", "profile", "order"]
    list_filter = ["plan"]


@admin.register(DistributionProfile)
class DistributionProfileAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "plan"]
    list_filter = ["plan"]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["column", "account_class", "amount"]
    list_filter = ["column__plan"]


@admin.register(BudgetFrame)
class BudgetFrameAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan"]


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "amount", "plan"]
    list_filter = ["plan"]


@admin.register(BudgetAdjustment)
class BudgetAdjustmentAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "amount", "decision_reference", "decided_on"]
    list_filter = ["plan"]


@admin.register(Investment)
class InvestmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "department", "plan", "total"]
    list_filter = ["plan", "category", "department"]


@admin.register(LedgerOutcome)
class LedgerOutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["column", "account_class", "month", "amount"]
    list_filter = ["column__plan", "month"]
