import pytest

from core.demo import FIXTURE_DIR, load_fixture

PLAN_FILES = ["00_units.json", "10_plan_2022.json", "11_plan_2023.json", "12_plan_2024.json", "13_plan_2025.json"]
BUDGET_FILES = ["20_budget_2022.json", "21_budget_2023.json", "22_budget_2024.json", "23_budget_2025.json"]


@pytest.fixture
def demo(db):
    """The demo units, plans and budgets; returns each budget fixture's one-line summary by file name."""
    for name in PLAN_FILES:
        load_fixture(FIXTURE_DIR / name)
    return {name: load_fixture(FIXTURE_DIR / name) for name in BUDGET_FILES}
