from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budget.excel import budget_workbook
from planning.lookups import plan_by_key


class Command(BaseCommand):
    help = "Export a plan's budget (operating budget, frame, initiatives, investments, outcomes) as one Excel workbook."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="<unit-slug>/<year>, e.g. regionkontoret/2025")
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")

    def handle(self, *args, plan, output, **options):
        plan_obj = plan_by_key(plan)
        try:
            Path(output).write_bytes(budget_workbook(plan_obj))
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error}") from error
        self.stderr.write(f"Wrote the budget of {plan_obj.key} to {output}.")
