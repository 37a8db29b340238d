"""Main navigation: each app registers its entries; the menu shows those the user may open."""

from dataclasses import dataclass

from django.urls import reverse

from core.permissions import can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str
    order: int


_items: list[NavItem] = []


def register_nav(*, label, url_name: str, action: str, order: int) -> None:
    if any(item.url_name == url_name for item in _items):
        return
    _items.append(NavItem(label, url_name, action, order))


def nav_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in sorted(_items, key=lambda i: i.order)
        if can(user, item.action)
    ]
