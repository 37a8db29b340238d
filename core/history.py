"""Helpers for django-simple-history: who made a change and why, and readable field-level differences."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from core.formatting import sv_date, sv_number

HIDDEN_FIELDS = {"version", "order", "id"}


def stamp(obj, *, user=None, reason: str | None = None):
    """Mark the next save of ``obj`` with the acting user and a change reason; returns ``obj``."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    if reason:
        obj._change_reason = reason
    return obj


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


def display_value(field: models.Field, value) -> str:
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return sv_date(value)
    if isinstance(field, models.DecimalField):
        return sv_number(value, field.decimal_places)
    if field.many_to_many:  # a list of through-row dicts
        target = field.m2m_reverse_field_name()
        names = field.related_model._default_manager.filter(pk__in=[row[target] for row in value])
        return ", ".join(str(name) for name in names) or "–"
    return str(value)


def field_changes(new_record, old_record) -> list[FieldChange]:
    """What changed between two historical records of one object, labelled and formatted for people."""
    if old_record is None:
        return []
    model = new_record.instance_type
    delta = new_record.diff_against(old_record, foreign_keys_are_objs=True)
    changes = []
    for change in delta.changes:
        if change.field in HIDDEN_FIELDS:
            continue
        try:
            field = model._meta.get_field(change.field)
        except FieldDoesNotExist:
            continue
        changes.append(
            FieldChange(
                field=change.field,
                label=str(field.verbose_name).capitalize(),
                old=display_value(field, change.old),
                new=display_value(field, change.new),
            )
        )
    return changes
