"""Loader for ``budget.plan`` demo fixtures: one plan's budget per file, figures as the seed documents print them.

Amounts are strings in the file's ``amount_unit`` (``kr``, ``tkr`` or ``mnkr``); an item or section may name its own
``amount_unit``. They are converted to kronor exactly (Decimal), never through floats.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from budget.models import (
    AccountClass,
    BudgetAdjustment,
    BudgetColumn,
    BudgetFrame,
    BudgetLine,
    DistributionProfile,
    Forecast,
    FrameAdjustment,
    FrameAmount,
    FrameColumn,
    Initiative,
    Investment,
    InvestmentForecast,
    InvestmentOutcome,
    InvestmentYear,
    LedgerOutcome,
)
from budget.services import account_classes_ensure
from core.demo import DEMO_REASON, register_loader
from core.formatting import MONEY_UNITS
from core.history import stamp
from core.models import Unit
from planning.lookups import plan_by_key


def _save(obj):
    obj.full_clean()
    stamp(obj, reason=DEMO_REASON).save()
    return obj


class BudgetLoader:
    def __init__(self, document: dict):
        self.doc = document
        self.unit_name = document.get("amount_unit", "kr")
        self.units = {unit.code: unit for unit in Unit.objects.all()}
        self.counts: dict[str, int] = {}

    def kr(self, value, unit: str | None = None) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(str(value)) * MONEY_UNITS[unit or self.unit_name]).quantize(Decimal("0.01"))

    def unit(self, code):
        if not code:
            return None
        if code not in self.units:
            raise ImproperlyConfigured(f"Unknown unit code {code!r} in the budget fixture of {self.doc['plan']}.")
        return self.units[code]

    def count(self, key, n=1):
        self.counts[key] = self.counts.get(key, 0) + n

    @transaction.atomic
    def load(self) -> str:
        account_classes_ensure(reason=DEMO_REASON)
        plan = plan_by_key(self.doc["plan"])
        if (
            plan.budget_columns.exists()
            or plan.investments.exists()
            or BudgetFrame.objects.filter(plan=plan).exists()
            or plan.initiatives.exists()
        ):
            return f"budget {plan.key} exists, skipped"
        self.plan = plan
        self.classes = {c.code: c for c in AccountClass.objects.all()}
        profiles = {item["code"]: self.profile(item) for item in self.doc.get("profiles", [])}
        self.columns = {}
        for order, item in enumerate(self.doc.get("columns", [])):
            self.columns[item["code"]] = _save(
                BudgetColumn(
                    plan=plan,
                    code=item["code"],
                    name=item["name"],
                    unit=self.unit(item.get("unit")),
                    profile=profiles.get(item.get("profile")),
                    order=order,
                )
            )
        for column_code, amounts in self.doc.get("lines", {}).items():
            for class_code, amount in amounts.items():
                _save(
                    BudgetLine(
                        column=self.columns[column_code],
                        account_class=self.classes[class_code],
                        amount=self.kr(amount),
                    )
                )
                self.count("budget lines")
        if "frame" in self.doc:
            self.frame(self.doc["frame"])
        for order, item in enumerate(self.doc.get("initiatives", [])):
            _save(
                Initiative(
                    plan=plan,
                    unit=self.unit(item.get("unit")),
                    title=item["title"],
                    amount=self.kr(item["amount"]),
                    order=order,
                )
            )
            self.count("initiatives")
        self.investments = {}
        for order, item in enumerate(self.doc.get("investments", [])):
            self.investment(item, order)
        for item in self.doc.get("adjustments", []):
            self.adjustment(item)
        self.outcomes(self.doc.get("outcomes"))
        for item in self.doc.get("forecasts", []):
            _save(Forecast(column=self.columns[item["column"]], month=item["month"], amount=self.kr(item["amount"])))
            self.count("forecasts")
        for item in self.doc.get("investment_outcomes", []):
            _save(
                InvestmentOutcome(
                    investment=self.investments[(item.get("department"), item["name"], item["category"])],
                    month=item["month"],
                    amount=self.kr(item["amount"], item.get("amount_unit")),
                )
            )
            self.count("investment outcomes")
        for item in self.doc.get("investment_forecasts", []):
            _save(
                InvestmentForecast(
                    investment=self.investments[(item.get("department"), item["name"], item["category"])],
                    month=item["month"],
                    amount=self.kr(item["amount"], item.get("amount_unit")),
                )
            )
            self.count("investment forecasts")
        details = ", ".join(f"{n} {key}" for key, n in self.counts.items())
        return f"budget {plan.key}: {len(self.columns)} columns" + (f", {details}" if details else "")

    def profile(self, item) -> DistributionProfile:
        return _save(
            DistributionProfile(
                plan=self.plan, code=item["code"], name=item["name"], weights=[str(w) for w in item["weights"]]
            )
        )

    def frame(self, item):
        frame = _save(BudgetFrame(plan=self.plan, title=item["title"], note=item.get("note", "")))
        columns = {}
        for order, col in enumerate(item["columns"]):
            columns[col["code"]] = _save(
                FrameColumn(
                    frame=frame,
                    code=col["code"],
                    name=col["name"],
                    previous_total=self.kr(col["previous_total"]),
                    decided_total=self.kr(col.get("decided_total")),
                    order=order,
                )
            )
        for order, adj in enumerate(item["adjustments"]):
            adjustment = _save(
                FrameAdjustment(
                    frame=frame,
                    label=adj["label"],
                    kind=adj["kind"],
                    rate=Decimal(adj["rate"]) if adj.get("rate") is not None else None,
                    order=order,
                )
            )
            for code, amount in adj.get("amounts", {}).items():
                _save(FrameAmount(adjustment=adjustment, column=columns[code], amount=self.kr(amount)))
        self.count("frame steps", len(item["adjustments"]))

    def investment(self, item, order):
        unit = item.get("amount_unit")
        investment = _save(
            Investment(
                plan=self.plan,
                department=self.unit(item.get("department")),
                name=item["name"],
                category=item["category"],
                total=self.kr(item.get("total"), unit),
                order=order,
            )
        )
        self.investments[(item.get("department"), item["name"], item["category"])] = investment
        for year, amount in item.get("years", {}).items():
            _save(InvestmentYear(investment=investment, year=int(year), amount=self.kr(amount, unit)))
        self.count("investments")

    def adjustment(self, item):
        _save(
            BudgetAdjustment(
                plan=self.plan,
                amount=self.kr(item["amount"], item.get("amount_unit")),
                from_column=self.columns.get(item.get("from_column")),
                from_text=item.get("from_text", ""),
                to_column=self.columns.get(item.get("to_column")),
                to_unit=self.unit(item.get("to_unit")),
                to_text=item.get("to_text", ""),
                decision_reference=item["decision_reference"],
                decided_on=datetime.date.fromisoformat(item["decided_on"]) if item.get("decided_on") else None,
                note=item.get("note", ""),
            )
        )
        self.count("budget adjustments")

    def outcomes(self, section):
        if not section:
            return
        unit = section.get("amount_unit")
        for column, class_code, month, amount in section["rows"]:
            _save(
                LedgerOutcome(
                    column=self.columns[column],
                    account_class=self.classes[class_code],
                    month=month,
                    amount=self.kr(amount, unit),
                )
            )
            self.count("ledger outcomes")


def load_budget(document: dict) -> str:
    return BudgetLoader(document).load()


register_loader("budget.plan", load_budget)
