"""What internal control adds to planning's history features (registered in ``apps.py``; planning never imports it):

* the plan's adjustments ("Justeringar"): risks added to or removed from the internal-control plan;
* the plan's change feed: the control plan, its selected risks and their controls;
* restore guards: a decided plan's control plan, selected risks and controls are not restored until it is reopened.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.history import register_restore_guard
from internalcontrol.models import Control, ControlPlan, Risk, SelectedRisk
from planning.adjustments import Adjustment, Comparison, sentence
from planning.history import FeedSource

# Document text (Swedish, as in seed 001's "Justeringar"; not translated): {title} is the risk's title.
SENTENCES = {
    "added": "Risk tillagd i internkontrollplanen: {title}",
    "removed": "Risk borttagen ur internkontrollplanen: {title}",
}


def _historical(model):
    return model.history.all()


def _control_plans_ever(plan):
    return _historical(ControlPlan).filter(plan_id=plan.pk).values("id")


def _selected_ever(plan):
    return _historical(SelectedRisk).filter(control_plan_id__in=_control_plans_ever(plan)).values("id")


def selected_risk_ids(plan, at=None) -> list[int]:
    """The risks in the plan's internal-control plan now, or at the moment ``at`` (from history), in plan order."""
    if at is None:
        rows = SelectedRisk.objects.filter(control_plan__plan=plan).order_by("order", "pk")
    else:
        rows = (
            _historical(SelectedRisk)
            .filter(control_plan_id__in=_control_plans_ever(plan), history_date__lte=at)
            .latest_of_each()
            .exclude(history_type="-")
            .order_by("order", "id")
        )
    return list(rows.values_list("risk_id", flat=True))


def control_plan_adjustments(comparison: Comparison) -> list[Adjustment]:
    """Risks added to or removed from the control plan, since the stage or against the other year's plan."""
    now = selected_risk_ids(comparison.plan)
    if comparison.moment is not None:
        before = selected_risk_ids(comparison.plan, at=comparison.moment)
    else:
        before = selected_risk_ids(comparison.against)
    added = [pk for pk in now if pk not in before]
    removed = [pk for pk in before if pk not in now]
    if not added and not removed:
        return []
    titles = dict(Risk.objects.filter(pk__in=added + removed).values_list("pk", "title"))
    entries = [
        Adjustment(
            kind="added", level="risk", text=sentence(SENTENCES["added"].format(title=titles[pk])),
            new=titles[pk], new_id=pk, source="internal_control",
        )
        for pk in added
    ]  # fmt: skip
    entries += [
        Adjustment(
            kind="removed", level="risk", text=sentence(SENTENCES["removed"].format(title=titles[pk])),
            old=titles[pk], old_id=pk, source="internal_control",
        )
        for pk in removed
    ]  # fmt: skip
    return entries


FEED_SOURCES = [
    FeedSource(
        "control_plan",
        gettext_lazy("Internal-control plan"),
        lambda plan: _historical(ControlPlan).filter(plan_id=plan.pk),
        title=lambda record: _("Internal-control plan"),
        model=ControlPlan,
    ),
    FeedSource(
        "selected_risk",
        gettext_lazy("Risk in the internal-control plan"),
        lambda plan: _historical(SelectedRisk).filter(control_plan_id__in=_control_plans_ever(plan)),
        title=lambda record: record.risk.title if record.risk else "–",
        select_related=("risk",),
        model=SelectedRisk,
    ),
    FeedSource(
        "control",
        gettext_lazy("Control"),
        lambda plan: _historical(Control).filter(Q(selected_risk_id__in=_selected_ever(plan))),
        unit_field="responsible_unit_id",
        url=lambda pk: reverse("internalcontrol:control_detail", args=[pk]),
        model=Control,
    ),
]


def _refuse_if_decided(plan) -> None:
    if plan.is_decided:
        raise ValidationError(_("The plan is decided and its internal control cannot be changed until it is reopened."))


def register_restore_guards() -> None:
    register_restore_guard(ControlPlan, lambda obj: _refuse_if_decided(obj.plan))
    register_restore_guard(SelectedRisk, lambda obj: _refuse_if_decided(obj.control_plan.plan))
    register_restore_guard(Control, lambda obj: _refuse_if_decided(obj.plan))
