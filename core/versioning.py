"""Optimistic locking: a save carries the version the form was opened on; a stale one is refused with
what the other person changed, never applied."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.history import FieldChange, field_changes


@dataclass
class StaleVersion(Exception):
    obj: object
    changes: list[FieldChange]
    changed_by: str

    def __str__(self):
        summary = "; ".join(f"{c.label}: {c.new}" for c in self.changes) or _("no visible fields")
        return _("%(who)s saved a change while you were editing (%(summary)s). Your change was not saved.") % {
            "who": self.changed_by,
            "summary": summary,
        }


def claim_version(obj, expected: int | None) -> None:
    """Lock the row, refuse a stale ``expected`` version, and set the next version on ``obj``.

    Call inside the write transaction, just before ``obj.save()``. ``expected=None`` skips the check
    (for writes that do not come from a form, such as imports with their own checks).
    """
    current = (
        type(obj)
        ._default_manager.select_for_update(of=("self",))
        .filter(pk=obj.pk)
        .values_list("version", flat=True)
        .get()
    )
    if expected is not None and int(expected) != current:
        raise stale_version_error(obj, int(expected))
    obj.version = current + 1


def stale_version_error(obj, expected: int) -> StaleVersion:
    history = obj.history.all()
    latest = history.select_related("history_user").first()
    opened = history.filter(version=expected).first()
    changes = field_changes(latest, opened) if latest else []
    who = str(latest.history_user) if latest and latest.history_user else _("Someone else")
    return StaleVersion(obj=obj, changes=changes, changed_by=who)
