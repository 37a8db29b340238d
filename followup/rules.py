"""Who may do what with follow-up reports. Every member reads them. The plan's secretaries and administrators start
reports, write the summary and the other report texts, move the report through review and approval, and reopen it.
Planners write the status of what their unit is responsible for; controllers write the economy and the indicator
outcomes. An approved report is frozen for everyone until it is reopened with a reason."""

from core.choices import Role
from core.permissions import has_role, is_member, rule
from followup.choices import TEXT_SECTIONS, Section, TextKey
from planning.rules import PLAN_OWNERS, owns_plan, responsible_planner

ECONOMY_WRITERS = PLAN_OWNERS | {Role.CONTROLLER}


def open_report(report) -> bool:
    return not report.is_approved


@rule("followup.view_report")
def view_report(user, report):
    return is_member(user)


@rule("followup.create_report")
def create_report(user, plan):
    return owns_plan(user, plan)


@rule("followup.change_text")
def change_text(user, text):
    """``text`` is a ReportText, saved or not: economy texts are the controllers' too."""
    report = text.report
    if not open_report(report):
        return False
    if TEXT_SECTIONS[TextKey(text.key)] == Section.ECONOMY:
        return has_role(user, ECONOMY_WRITERS, report.plan.unit_id)
    return owns_plan(user, report.plan)


@rule("followup.change_economy")
def change_economy(user, report):
    """Forecasts and economy comments."""
    return open_report(report) and has_role(user, ECONOMY_WRITERS, report.plan.unit_id)


@rule("followup.change_indicator_outcome")
def change_indicator_outcome(user, report):
    return open_report(report) and has_role(user, ECONOMY_WRITERS, report.plan.unit_id)


@rule("followup.change_status")
def change_status(user, update):
    """``update`` is a StatusUpdate, saved or not, naming the report and the assignment or activity."""
    report = update.report
    if not open_report(report):
        return False
    if owns_plan(user, report.plan):
        return True
    if update.assignment_id:
        return responsible_planner(user, update.assignment.responsible_unit_id)
    activity = update.activity
    assignment_unit = activity.assignment.responsible_unit_id if activity.assignment_id else None
    return responsible_planner(user, activity.responsible_unit_id, assignment_unit)


@rule("followup.change_report")
def change_report(user, report):
    """Assessment, send for review, send back and approve."""
    return open_report(report) and owns_plan(user, report.plan)


@rule("followup.reopen_report")
def reopen_report(user, report):
    return report.is_approved and owns_plan(user, report.plan)


@rule("followup.decide_report")
def decide_report(user, report):
    """The decisions page: whichever move the report's status allows (send for review, send back, approve, reopen);
    the service refuses a move the status does not allow."""
    return change_report(user, report) or reopen_report(user, report)


@rule("followup.view_job")
def view_job(user, job):
    """A PDF job is seen only by the person who asked for it (and superusers, as everywhere)."""
    return job.requested_by_id is not None and job.requested_by_id == user.pk
