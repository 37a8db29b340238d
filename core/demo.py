"""Demo data: JSON fixtures in ``fixtures/``, each naming its ``kind``, loaded by a loader that the owning app
registers. Files load in name order (``00_units.json`` before ``10_plan_2025.json``), which is the dependency
order. A loader gets the parsed document and returns a one-line summary of what it created; it must be
idempotent (skip what exists)."""

import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Loader = Callable[[dict], str]
_loaders: dict[str, Loader] = {}

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
DEMO_REASON = "Demodata"


def register_loader(kind: str, loader: Loader) -> None:
    _loaders[kind] = loader


def fixture_files(directory: Path = FIXTURE_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


def load_fixture(path: Path) -> str:
    document = json.loads(path.read_text(encoding="utf-8"))
    kind = document.get("kind")
    if kind not in _loaders:
        raise ImproperlyConfigured(f"{path.name}: no loader for kind {kind!r}.")
    return _loaders[kind](document)
