import datetime

from django.db import models
from django.db.models import Case, IntegerField, Prefetch, Value, When

from core.permissions import is_member


class RiskScaleQuerySet(models.QuerySet):
    def for_unit(self, unit):
        """The unit's saved scale, or an unsaved one with the Swedish defaults (reading never writes)."""
        scale = self.filter(unit=unit).first()
        return scale if scale is not None else self.model(unit=unit)

    def by_unit(self, units) -> dict:
        """Scales of several units in one query: ``{unit_id: scale}``, defaults for units without one."""
        saved = {scale.unit_id: scale for scale in self.filter(unit__in=units)}
        return {unit.pk: saved.get(unit.pk) or self.model(unit=unit) for unit in units}


class RiskQuerySet(models.QuerySet):
    def for_user(self, user):
        """Members read every risk of the organisation."""
        return self if is_member(user) else self.none()

    def in_unit(self, unit):
        return self.filter(unit=unit)

    def with_register(self, year: int):
        """The named bundle of the register: units, threatened goal/assignment, this and last year's scores."""
        from internalcontrol.models import RiskAssessment

        return self.select_related("unit", "owner_unit", "goal", "assignment").prefetch_related(
            Prefetch("assessments", queryset=RiskAssessment.objects.filter(year=year), to_attr="current"),
            Prefetch("assessments", queryset=RiskAssessment.objects.filter(year=year - 1), to_attr="previous"),
        )


class ActionQuerySet(models.QuerySet):
    def in_plan(self, plan):
        return self.filter(control__selected_risk__control_plan__plan=plan)

    def open(self):
        return self.exclude(status="done")

    def overdue(self, today: datetime.date | None = None):
        return self.open().filter(due_date__lt=today or datetime.date.today())

    def with_tree(self):
        return self.select_related(
            "control__selected_risk__risk",
            "control__selected_risk__control_plan__plan__unit",
            "control__responsible_unit",
            "result",
        )

    def not_done_first(self):
        done_last = Case(When(status="done", then=Value(1)), default=Value(0), output_field=IntegerField())
        return self.order_by(done_last, "due_date", "pk")
