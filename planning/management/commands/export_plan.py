import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planning.export import plan_export, plan_export_xlsx
from planning.lookups import plan_by_key


class Command(BaseCommand):
    help = "Export a whole plan (focus areas → goals → assignments → activities, indicators) as JSON or Excel."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="<unit-slug>/<year>, e.g. regionkontoret/2025")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--output", help="File to write; JSON goes to standard output when left out.")

    def handle(self, *args, plan, format, output=None, **options):
        plan_obj = plan_by_key(plan)
        if format == "xlsx":
            if not output:
                raise CommandError("--output is required for --format xlsx.")
            Path(output).write_bytes(plan_export_xlsx(plan_obj, user=None))
        else:
            text = json.dumps(plan_export(plan_obj, user=None), ensure_ascii=False, indent=2)
            if output:
                Path(output).write_text(text + "\n", encoding="utf-8")
            else:
                self.stdout.write(text)
        if output:
            self.stderr.write(f"Wrote {plan_obj.key} as {format} to {output}.")
