from django.db import models


class InvestmentQuerySet(models.QuerySet):
    def in_plan(self, plan):
        return self.filter(plan=plan)

    def own(self):
        """The rows of the plan's own investment plan (not a department's detailed plan)."""
        return self.filter(department__isnull=True)

    def detailed(self):
        return self.filter(department__isnull=False)

    def with_years(self):
        return self.select_related("department").prefetch_related("years")


class LedgerOutcomeQuerySet(models.QuerySet):
    def in_plan(self, plan):
        return self.filter(column__plan=plan)

    def up_to(self, month: int):
        return self.filter(month__lte=month)
