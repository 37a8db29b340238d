import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from followup.rendering import plan_render
from planning.lookups import plan_by_key


class Command(BaseCommand):
    help = "Print a plan as PDF (seed 002's layout): render_plan regionkontoret/2025 --output plan.pdf"

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan as <unit-slug>/<year>, e.g. regionkontoret/2025")
        parser.add_argument("--output", "-o", required=True, help="the PDF file to write")

    def handle(self, *args, plan, output, **options):
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"The folder {str(target.parent)!r} does not exist.")
        found = plan_by_key(plan)
        started = time.perf_counter()
        rendered = plan_render(plan=found)
        try:
            target.write_bytes(rendered.data)
        except OSError as error:
            raise CommandError(f"Could not write {output!r}: {error.strerror}.") from error
        self.stdout.write(
            f"Wrote {output}: {found.title}, {rendered.pages} pages, {len(rendered.data) // 1024} kB "
            f"in {time.perf_counter() - started:.1f} s."
        )
