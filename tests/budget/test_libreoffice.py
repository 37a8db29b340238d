"""The exported workbook opens in LibreOffice, which computes its SUM formulas, and comes back unchanged.

Skipped where LibreOffice is not installed (``apt-get install libreoffice-calc-nogui``)."""

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from budget.excel import budget_workbook
from budget.imports import import_workbook
from planning.lookups import plan_by_key

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def test_libreoffice_opens_the_export_computes_the_totals_and_it_imports_back_unchanged(demo, tmp_path):
    plan = plan_by_key("regionkontoret/2025")
    source = tmp_path / "budget-2025.xlsx"
    source.write_bytes(budget_workbook(plan))
    converted = tmp_path / "converted"
    subprocess.run(  # noqa: S603  fixed arguments, our own temporary files
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "xlsx",
         "--outdir", str(converted), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    saved = (converted / "budget-2025.xlsx").read_bytes()
    sheet = load_workbook(io.BytesIO(saved), data_only=True)["Investeringar ITD"]
    total = [c.value for c in sheet[sheet.max_row]]
    assert total[0] == "Totalt" and total[4:9] == [94450, 88350, 80900, 58750, 80750]
    budget = load_workbook(io.BytesIO(saved), data_only=True)["Driftbudget"]
    assert [c.value for c in budget[7]][:3] == ["Summa", "Nettobudget", 820000]
    report = import_workbook(plan=plan, data=saved, filename="från-libreoffice.xlsx", dry_run=True)
    assert report.ok, report.errors
    assert report.edits == []
