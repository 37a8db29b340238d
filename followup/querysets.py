from django.db import models


class ReportQuerySet(models.QuerySet):
    def in_plan(self, plan):
        return self.filter(plan=plan)

    def by_key(self, unit_slug: str, year: int, period: str):
        return self.filter(plan__unit__slug=unit_slug, plan__year=year, period__code=period)

    def with_plan(self):
        return self.select_related("plan__unit__parent", "period")
