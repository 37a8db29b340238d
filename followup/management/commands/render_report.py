import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from followup.choices import ReportingPeriod
from followup.models import FollowUpReport
from followup.rendering import report_pdf
from planning.lookups import plan_by_key


class Command(BaseCommand):
    help = (
        "Print a follow-up report as PDF (seed 004's layout): render_report regionkontoret/2023 --period T1 "
        "--output report.pdf. An approved report is written exactly as approved."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan as <unit-slug>/<year>, e.g. regionkontoret/2023")
        parser.add_argument("--period", required=True, help="T1, T2 or T3")
        parser.add_argument("--output", "-o", required=True, help="the PDF file to write")

    def handle(self, *args, plan, period, output, **options):
        period = period.upper()
        if period not in ReportingPeriod.values:
            raise CommandError(f"Unknown period {period!r}: use T1, T2 or T3.")
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"The folder {str(target.parent)!r} does not exist.")
        found = plan_by_key(plan)
        report = FollowUpReport.objects.with_plan().filter(plan=found, period__code=period).first()
        if report is None:
            raise CommandError(f"{found.key} has no follow-up report for {period}.")
        started = time.perf_counter()
        data, pages = report_pdf(report=report)
        try:
            target.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Could not write {output!r}: {error.strerror}.") from error
        self.stdout.write(
            f"Wrote {output}: {report.title} ({report.get_status_display()}), {pages} pages, {len(data) // 1024} kB "
            f"in {time.perf_counter() - started:.1f} s."
        )
