from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from budget.imports import UploadRefused, import_workbook
from planning.lookups import plan_by_key


class Command(BaseCommand):
    help = (
        "Import a budget workbook (sheets Driftbudget, Investeringar…, Utfall in the export's format) into a plan. "
        "All or nothing: any bad row changes nothing, and every bad row is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx file.")
        parser.add_argument("--plan", required=True, help="<unit-slug>/<year>, e.g. regionkontoret/2025")
        parser.add_argument("--dry-run", action="store_true", help="Check and show what would change; save nothing.")

    def handle(self, *args, file, plan, dry_run=False, **options):
        plan_obj = plan_by_key(plan)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            report = import_workbook(plan=plan_obj, data=data, filename=path.name, user=None, dry_run=dry_run)
        except UploadRefused as refused:
            raise CommandError(f"{path.name}: {refused}") from refused
        except ValidationError as error:
            raise CommandError(f"{path.name}: {' '.join(error.messages)}") from error
        if report.errors:
            lines = "\n".join(f"  {error}" for error in report.errors)
            raise CommandError(
                f"{path.name}: {len(report.errors)} bad row(s); nothing was imported into {plan_obj.key}:\n{lines}"
            )
        for kind, counts in report.counts().items():
            self.stdout.write(
                f"{kind}: {counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged"
            )
        for change in report.edits[:50]:
            self.stdout.write(f"  {change.sheet} row {change.row}: {change.label}: {change.old or '–'} → {change.new}")
        if len(report.edits) > 50:
            self.stdout.write(f"  … and {len(report.edits) - 50} more")
        if report.ignored_sheets:
            self.stdout.write(f"Not read: {', '.join(report.ignored_sheets)}")
        verb = "Checked (dry run, nothing saved)" if dry_run else "Imported"
        self.stderr.write(f"{verb}: {path.name} into {plan_obj.key}.")
