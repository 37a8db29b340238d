import json

from django.core.management.base import BaseCommand, CommandError

from planning.adjustments import AdjustmentError, plan_adjustments
from planning.choices import Stage
from planning.lookups import plan_by_key


class Command(BaseCommand):
    help = (
        "The plan's adjustments (Justeringar) as JSON: since it entered a stage, or against another plan "
        "(by default its previous plan)."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="<unit-slug>/<year>, e.g. regionkontoret/2025")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--since-stage", help=f"Compare with the plan as it entered this stage: {', '.join(Stage.values)}."
        )
        group.add_argument("--against", help="Compare with this plan, e.g. regionkontoret/2024.")

    def handle(self, *args, plan, since_stage=None, against=None, **options):
        plan_obj = plan_by_key(plan)
        other = plan_by_key(against) if against else None
        try:
            result = plan_adjustments(plan=plan_obj, since_stage=since_stage, against=other)
        except AdjustmentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
