"""Budget's part of rolling a plan into the next year and of its adjustments (registered in ``apps.py``).

Rolling copies the budget columns and their monthly profiles, so next year's budget is entered in the same
structure; the figures themselves are next year's to decide. Adjustments report the net budget when it moved.
"""

from decimal import Decimal

from django.db.models import Sum

from budget.models import BudgetColumn, BudgetLine, DistributionProfile
from core.formatting import sv_money
from planning.adjustments import Adjustment, Comparison
from planning.roll import RollContext


def roll_budget_columns(context: RollContext) -> None:
    profiles = list(DistributionProfile.objects.filter(plan=context.old_plan).order_by("pk"))
    copies = context.bulk_create(
        DistributionProfile,
        [DistributionProfile(plan=context.new_plan, code=p.code, name=p.name, weights=p.weights) for p in profiles],
    )
    new_profile = {old.pk: new.pk for old, new in zip(profiles, copies, strict=True)}
    columns = list(BudgetColumn.objects.filter(plan=context.old_plan).order_by("order", "pk"))
    context.bulk_create(
        BudgetColumn,
        [
            BudgetColumn(
                plan=context.new_plan,
                code=c.code,
                name=c.name,
                unit_id=c.unit_id,
                profile_id=new_profile.get(c.profile_id),
                order=c.order,
            )
            for c in columns
        ],
    )


def net_budget(plan, moment=None) -> Decimal | None:
    """The plan's net budget (sum of every budget line), now or as it stood at ``moment``; None without figures."""
    if moment is None:
        return BudgetLine.objects.filter(column__plan=plan).aggregate(total=Sum("amount"))["total"]
    column_ids = set(BudgetColumn.history.as_of(moment).filter(plan=plan).values_list("id", flat=True))
    amounts = [line.amount for line in BudgetLine.history.as_of(moment).filter(column_id__in=column_ids)]
    return sum(amounts, Decimal(0)) if amounts else None


def budget_adjustments(comparison: Comparison) -> list[Adjustment]:
    """A line when the net budget moved. A side without figures (a plan just rolled, before its budget is entered)
    has nothing to compare, so it gives no line."""
    before = net_budget(comparison.plan, comparison.moment) if comparison.moment else net_budget(comparison.against)
    after = net_budget(comparison.plan)
    if before is None or after is None or before == after:
        return []
    old, new = sv_money(before, "tkr"), sv_money(after, "tkr")
    text = f"Nettobudgeten ändras från {old} till {new} tkr"
    return [Adjustment(kind="changed", level="budget", text=text, old=old, new=new, source="budget")]
