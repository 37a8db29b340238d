from django.db import models
from django.db.models import Count, Q

from core.permissions import is_member


class PlanQuerySet(models.QuerySet):
    def for_user(self, user):
        """Members of any unit read every plan of the organisation."""
        return self if is_member(user) else self.none()

    def by_key(self, unit_slug: str, year: int):
        return self.select_related("unit").filter(unit__slug=unit_slug, year=year)

    def with_counts(self):
        return self.annotate(
            goal_count=Count("focus_areas__goals", distinct=True),
            assignment_count=Count("focus_areas__assignments", distinct=True),
        )


class AssignmentQuerySet(models.QuerySet):
    def in_plan(self, plan):
        return self.filter(focus_area__plan=plan)

    def with_tree(self):
        return self.select_related("focus_area__plan__unit", "responsible_unit", "parent").prefetch_related("goals")

    def without_activities(self):
        return self.annotate(activity_count=Count("activities")).filter(activity_count=0)


class ActivityQuerySet(models.QuerySet):
    def in_plan(self, plan):
        return self.filter(Q(assignment__focus_area__plan=plan) | Q(section__plan=plan))

    def with_tree(self):
        return self.select_related(
            "assignment__focus_area__plan__unit",
            "assignment__responsible_unit",
            "section__plan__unit",
            "responsible_unit",
        )
