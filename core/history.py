"""Helpers for django-simple-history: who made a change and why, for writes outside a request."""


def stamp(obj, *, user=None, reason: str | None = None):
    """Mark the next save of ``obj`` with the acting user and a change reason; returns ``obj``."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    if reason:
        obj._change_reason = reason
    return obj
