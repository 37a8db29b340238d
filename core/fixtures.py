"""Loaders for the core app's demo fixtures."""

from core.demo import DEMO_REASON, register_loader
from core.services import units_load_tree


def load_units(document: dict) -> str:
    created = units_load_tree(nodes=document["units"], reason=DEMO_REASON)
    return f"{created} units"


register_loader("core.units", load_units)
