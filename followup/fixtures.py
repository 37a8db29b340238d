"""Loader for ``followup.report`` demo fixtures: one plan's follow-up report for one period per file.

Unlike the plan and internal-control loaders, this one writes through the services in :mod:`followup.services`,
as a person at the follow-up would: the report is created in draft and then its texts, statuses and indicator
outcomes are saved one by one. The plan's items are found by their titles (assignments, activities of a named
section kind) and names (indicators), so the fixture reads as the document does. A plan that already has the
report is skipped.

Texts are lists of paragraphs, joined with a blank line (a plain string is taken as it is).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from core.demo import DEMO_REASON, register_loader
from followup.choices import ReportStatus
from followup.models import FollowUpReport
from followup.services import (
    indicator_outcome_save,
    report_assessment_save,
    report_create,
    report_text_save,
    status_save,
)
from planning.models import Activity, Assignment, Indicator, Plan


def _text(value) -> str:
    return "\n\n".join(value) if isinstance(value, list) else value


class ReportLoader:
    def __init__(self, document: dict):
        self.doc = document
        self.name = f"follow-up fixture {document['plan']} {document['period']}"

    def fail(self, message: str):
        raise ImproperlyConfigured(f"{self.name}: {message}")

    def one(self, queryset, what: str):
        found = list(queryset[:2])
        if len(found) != 1:
            self.fail(f"{'no' if not found else 'more than one'} {what} in plan {self.plan.key}.")
        return found[0]

    @transaction.atomic
    def load(self) -> str:
        doc = self.doc
        slug, _, year = doc["plan"].partition("/")
        self.plan = Plan.objects.by_key(slug, int(year)).first() if year.isdigit() else None
        if self.plan is None:
            self.fail(f"no such plan {doc['plan']!r}; load the plan fixture first.")
        period = {"period__year": self.plan.year, "period__code": doc["period"]}
        if FollowUpReport.objects.filter(plan=self.plan, **period).exists():
            return f"follow-up report {self.plan.key} {doc['period']} exists, skipped"
        if doc.get("status", ReportStatus.DRAFT) != ReportStatus.DRAFT:
            self.fail("only draft reports can be loaded (approval stores a rendered PDF).")
        demo = {"user": None, "version": None, "reason": DEMO_REASON}
        report = report_create(plan=self.plan, period=doc["period"], user=None, reason=DEMO_REASON)
        for key, body in doc.get("texts", {}).items():
            report_text_save(report=report, key=key, body=_text(body), **demo)
        for item in doc.get("statuses", []):
            status_save(
                report=report,
                item=self.item(item),
                status=item["status"],
                comment=_text(item.get("comment", "")),
                **demo,
            )
        for item in doc.get("indicators", []):
            indicator = self.one(
                Indicator.objects.filter(plan=self.plan, name=item["name"]), f"indicator {item['name']!r}"
            )
            indicator_outcome_save(
                report=report,
                indicator=indicator,
                value=item["value"],
                analysis=_text(item.get("analysis", "")),
                breakdown=item.get("breakdown"),
                **demo,
            )
        if doc.get("assessment"):
            report_assessment_save(report=report, assessment=doc["assessment"], **demo)
        return (
            f"follow-up report {self.plan.key} {report.period.code}: {report.texts.count()} texts, "
            f"{report.status_updates.count()} statuses, {report.indicator_outcomes.count()} indicator outcomes"
        )

    def item(self, item) -> Assignment | Activity:
        if "assignment" in item:
            return self.one(
                Assignment.objects.filter(focus_area__plan=self.plan, title=item["assignment"]),
                f"assignment {item['assignment']!r}",
            )
        return self.one(
            Activity.objects.filter(section__plan=self.plan, section__kind=item["section"], title=item["activity"]),
            f"activity {item['activity']!r} in a {item['section']} section",
        )


def load_report(document: dict) -> str:
    return ReportLoader(document).load()


register_loader("followup.report", load_report)
