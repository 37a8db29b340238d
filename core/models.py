from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import Role, UnitKind
from core.querysets import UnitQuerySet


class VersionedModel(models.Model):
    """A model edited in forms: ``version`` grows by one on every save through a service, so a save
    made from a form opened on an older version is refused (see ``core.versioning``)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person who signs in. What they may do comes from their unit memberships."""

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username


class Unit(models.Model):
    """An organisational unit: region → board → administration → division/department."""

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("Short business key, e.g. RK or ITD."))
    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Used in plan names: <slug>/<year>."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:core_unit_change", args=[self.pk])


class Membership(models.Model):
    """A user's role in a unit. The role covers the unit and every unit below it."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__order", "unit__name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership_role")]

    def __str__(self):
        return f"{self.user} – {self.unit} ({self.get_role_display()})"
