from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DIALOGUE = "dialogue", _("Dialogue")
    PROPOSAL = "proposal", _("Proposal")
    DECIDED = "decided", _("Decided")

    @classmethod
    def next_of(cls, stage: str) -> "Stage | None":
        values = list(cls)
        index = values.index(cls(stage))
        return values[index + 1] if index + 1 < len(values) else None


class FocusAreaKind(models.TextChoices):
    FOCUS_AREA = "focus_area", _("Focus area")
    PERSPECTIVE = "perspective", _("Perspective")
    DEVELOPMENT_AREA = "development_area", _("Development area")


class AssignmentKind(models.TextChoices):
    OFFICE = "office", _("Office assignment")
    REGION_WIDE = "region_wide", _("Region-wide assignment")
    DEVELOPMENT = "development", _("Development assignment")
    CORE_MISSION = "core_mission", _("Core mission")


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")


STATUS_BADGE = {
    ActivityStatus.NOT_STARTED: "neutral",
    ActivityStatus.IN_PROGRESS: "warn",
    ActivityStatus.DONE: "ok",
    ActivityStatus.POSTPONED: "bad",
}


class SectionKind(models.TextChoices):
    TEXT = "text", _("Text")
    WORK_ENVIRONMENT = "work_environment", _("Work-environment plan")
    COMPETENCE = "competence", _("Competence plan")


class IndicatorArea(models.TextChoices):
    EMPLOYEES = "employees", _("Employees")
    ECONOMY = "economy", _("Economy")
    OPERATIONS = "operations", _("Operations")


class IndicatorUnit(models.TextChoices):
    PERCENT = "percent", "%"
    INDEX = "index", _("index")
    TKR = "tkr", "tkr"
    MNKR = "mnkr", "mnkr"
    COUNT = "count", _("count")
    DAYS = "days", _("days")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Frequency(models.TextChoices):
    YEARLY = "yearly", _("Yearly")
    TERTIAL = "tertial", _("Each tertial")
    MONTHLY = "monthly", _("Monthly")


class Breakdown(models.TextChoices):
    GENDER = "gender", _("Gender")
    AGE_BAND = "age_band", _("Age band")
