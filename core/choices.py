from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLANNER = "planner", _("Planner")
    CONTROLLER = "controller", _("Controller")
    SECRETARY = "secretary", _("Board secretary")
    READER = "reader", _("Reader")
    ADMINISTRATOR = "administrator", _("Administrator")


class UnitKind(models.TextChoices):
    REGION = "region", _("Region")
    BOARD = "board", _("Board")
    ADMINISTRATION = "administration", _("Administration")
    DIVISION = "division", _("Division")
    DEPARTMENT = "department", _("Department")
