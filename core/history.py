"""Helpers for django-simple-history: who made a change and why, and readable field-level differences."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

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
    """What changed between two historical records of one object, labelled and formatted for people.

    Without ``old_record`` (the object was created): its filled-in fields, each as a change from nothing."""
    if old_record is None:
        return created_fields(new_record)
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


def created_fields(record) -> list[FieldChange]:
    changes = []
    for field in record.instance_type._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS or field.is_relation or not field.editable:
            continue
        value = getattr(record, field.attname)
        if value not in (None, ""):
            label = str(field.verbose_name).capitalize()
            changes.append(FieldChange(field.name, label, "–", display_value(field, value)))
    return changes


# --- Field-level differences for many records at once (history tab, change feeds) ---------------------------------

HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}


def _tracked_fields(historical_model) -> list[models.Field]:
    """The fields of the tracked model that its history copies, as fields of the tracked model itself."""
    model = historical_model.instance_type
    fields = []
    for field in historical_model.tracked_fields:
        if field.name in HIDDEN_FIELDS or field.name in HISTORY_FIELDS:
            continue
        try:
            fields.append(model._meta.get_field(field.name))
        except FieldDoesNotExist:
            continue
    return fields


def _m2m_fields(historical_model) -> list[models.ManyToManyField]:
    return list(getattr(historical_model, "_history_m2m_fields", None) or [])


def m2m_history_model(historical_model, field: models.ManyToManyField):
    """The model that keeps the m2m rows of each historical record (``HistoricalAssignment_goals``)."""
    return getattr(historical_model, field.name).model


def _m2m_rows(records) -> dict[tuple[type, str, int], set[int]]:
    """``(historical model, m2m field name, history_id) → {target ids}``, one query per m2m field and model."""
    by_model: dict[type, list[int]] = {}
    for record in records:
        if record is not None and _m2m_fields(type(record)):
            by_model.setdefault(type(record), []).append(record.history_id)
    rows: dict[tuple[type, str, int], set[int]] = {}
    for historical_model, history_ids in by_model.items():
        for field in _m2m_fields(historical_model):
            through = m2m_history_model(historical_model, field)
            target = field.m2m_reverse_field_name()
            for history_id, target_id in through.objects.filter(history_id__in=history_ids).values_list(
                "history_id", f"{target}_id"
            ):
                rows.setdefault((historical_model, field.name, history_id), set()).add(target_id)
    return rows


def _names(wanted: dict[type, set[int]]) -> dict[tuple[type, int], str]:
    """Display names of related objects, one query per related model."""
    names = {}
    for model, ids in wanted.items():
        ids.discard(None)
        if not ids:
            continue
        for pk, obj in model._base_manager.in_bulk(ids).items():
            names[(model, pk)] = str(obj)
    return names


def _plain_value(field: models.Field, value) -> str:
    """``display_value`` without queries (foreign keys and m2m are resolved in bulk by the caller)."""
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(field, models.DateTimeField):
        from django.utils import timezone

        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{sv_date(local)} {local:%H:%M}"
    if isinstance(field, models.DateField):
        return sv_date(value)
    if isinstance(field, models.DecimalField):
        return sv_number(value, field.decimal_places)
    return str(value)


def record_changes(pairs) -> list[list[FieldChange]]:
    """Field changes of many ``(newer, older)`` historical record pairs at once, labelled and formatted for people.

    Unlike :func:`field_changes` (one record, queries per foreign key), this costs one query per related model that
    appears in a change and one per m2m history table, however many records there are. ``older`` may be None
    (a creation): then there are no changes to show.
    """
    pairs = list(pairs)
    raw: list[list[tuple[models.Field, object, object]]] = []
    wanted: dict[type, set[int]] = {}
    m2m = _m2m_rows([record for pair in pairs for record in pair])
    for newer, older in pairs:
        found = []
        if older is not None:
            historical_model = type(newer)
            for field in _tracked_fields(historical_model):
                old, new = getattr(older, field.attname), getattr(newer, field.attname)
                if old == new:
                    continue
                found.append((field, old, new))
                if field.is_relation:
                    wanted.setdefault(field.related_model, set()).update({old, new})
            for field in _m2m_fields(historical_model):
                old = m2m.get((historical_model, field.name, older.history_id), set())
                new = m2m.get((historical_model, field.name, newer.history_id), set())
                if old != new:
                    found.append((field, old, new))
                    wanted.setdefault(field.related_model, set()).update(old | new)
        raw.append(found)
    names = _names(wanted)

    def show(field, value):
        if field.many_to_many:
            return "; ".join(sorted(names.get((field.related_model, pk), f"#{pk}") for pk in value)) or "–"
        if field.is_relation:
            return "–" if value is None else names.get((field.related_model, value), f"#{value}")
        return _plain_value(field, value)

    return [
        [
            FieldChange(
                field=field.name,
                label=str(field.verbose_name).capitalize(),
                old=show(field, old),
                new=show(field, new),
            )
            for field, old, new in found
        ]
        for found in raw
    ]


def previous_records(records) -> dict[tuple[type, int], object]:
    """``(historical model, history_id) → the record before it`` (same object, earlier): two queries per historical
    model, however many records."""
    by_model: dict[type, list] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    previous = {}
    for historical_model, group in by_model.items():
        earlier = (
            historical_model.objects.filter(id=models.OuterRef("id"))
            .filter(
                models.Q(history_date__lt=models.OuterRef("history_date"))
                | models.Q(history_date=models.OuterRef("history_date"), history_id__lt=models.OuterRef("history_id"))
            )
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        pairs = dict(
            historical_model.objects.filter(history_id__in=[r.history_id for r in group])
            .annotate(earlier_history_id=models.Subquery(earlier))
            .values_list("history_id", "earlier_history_id")
        )
        wanted = {pk for pk in pairs.values() if pk}
        older = historical_model.objects.in_bulk(wanted) if wanted else {}
        for history_id, previous_id in pairs.items():
            previous[(historical_model, history_id)] = older.get(previous_id)
    return previous


# --- Restoring an earlier version --------------------------------------------------------------------------------

RESTORE_REASON = "Återställd till version från {date}"  # stored history text, in the documents' language
RestoreGuard = Callable[[models.Model], None]
_restore_guards: dict[type, RestoreGuard] = {}


def register_restore_guard(model: type, guard: RestoreGuard) -> None:
    """Let the owning app refuse a restore (raise ValidationError), e.g. of an item in a decided plan."""
    _restore_guards[model] = guard


def version_token(obj) -> int | None:
    """What a restore form carries to detect a stale page: ``version`` of a versioned model, otherwise the id of
    the object's latest historical record."""
    if hasattr(obj, "version"):
        return obj.version
    return obj.history.values_list("history_id", flat=True).first()


def restorable_fields(model) -> list[models.Field]:
    """Fields a restore writes: the editable ones (never the key, the version or the lineage)."""
    historical_model = model.history.model
    return [field for field in _tracked_fields(historical_model) if field.editable and not field.primary_key]


def format_moment(moment) -> str:
    """``22 nov 2024 14:05`` in local time."""
    from django.utils import timezone

    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{sv_date(local)} {local:%H:%M}"


def restore_reason(record) -> str:
    return RESTORE_REASON.format(date=format_moment(record.history_date))


@transaction.atomic
def history_restore(*, obj, record, user, version: int | None):
    """Put the fields of ``obj`` back as they were in ``record`` (one of its historical records), as a change of
    its own with the reason "Återställd till version från <datum>". A stale ``version`` is refused."""
    from core.versioning import claim_version

    if record.instance_type is not type(obj) or record.id != obj.pk:
        raise ValidationError(_("The version belongs to another object."))
    if record.history_type == "-":
        raise ValidationError(_("A removal cannot be restored."))
    guard = _restore_guards.get(type(obj))
    if guard is not None:
        guard(obj)
    if hasattr(obj, "version"):
        claim_version(obj, version)
    else:
        list(type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
        if version is not None and int(version) != version_token(obj):
            raise stale_version_error_generic(obj)
    for field in restorable_fields(type(obj)):
        setattr(obj, field.attname, getattr(record, field.attname))
    obj.full_clean()
    reason = restore_reason(record)
    stamp(obj, user=user, reason=reason).save()
    for field in _m2m_fields(type(record)):
        targets = _m2m_rows([record]).get((type(record), field.name, record.history_id), set())
        stamp(obj, user=user, reason=reason)
        getattr(obj, field.name).set(list(field.related_model._base_manager.filter(pk__in=targets)))
    return obj


def stale_version_error_generic(obj):
    """A stale restore of an object without a ``version`` field."""
    from core.versioning import StaleVersion

    latest = obj.history.select_related("history_user").first()
    who = str(latest.history_user) if latest and latest.history_user else _("Someone else")
    return StaleVersion(obj=obj, changes=[], changed_by=who)
