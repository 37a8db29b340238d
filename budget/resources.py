"""django-import-export resources for the budget imports, by business key (never by primary key).

The rows they get are already checked and resolved by ``budget.imports`` (codes → ids, tkr → kronor), so every
field here is a plain value. Existing rows are looked up in one query (:class:`KeyedInstanceLoader`); writes are bulk
writes WITH history (``bulk_create_with_history`` / ``bulk_update_with_history``) carrying the user and a change
reason that names the file. A dry run writes nothing. Unchanged rows are skipped (no write, no history).
"""

from django.db import connections, models
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from budget.models import BudgetLine, Investment, InvestmentYear, LedgerOutcome
from core.models import VersionedModel

BATCH_SIZE = 2000


class KeyedInstanceLoader(BaseInstanceLoader):
    """Existing rows come from the resource's ``existing`` dict, keyed by the import id fields' values."""

    def get_instance(self, row):
        return self.resource.existing.get(tuple(row[name] for name in self.resource.get_import_id_fields()))


class ExecutemanyUpdate(models.Manager):
    """``bulk_update`` as one prepared ``UPDATE … WHERE pk = %s`` executed for every row (``executemany``).

    Django's own ``bulk_update`` builds a ``CASE … WHEN`` expression per field and batch, which for thousands of rows
    costs far more than the writes. ``bulk_update_with_history`` takes this manager and writes the history rows as
    usual."""

    def bulk_update(self, objs, fields, batch_size=None):
        model, connection = self.model, connections[self.db]
        columns = [model._meta.get_field(name) for name in fields]
        quote = connection.ops.quote_name
        # identifiers come from the model's metadata and are quoted; every value is a parameter
        sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
            quote(model._meta.db_table),
            ", ".join(f"{quote(field.column)} = %s" for field in columns),
            quote(model._meta.pk.column),
        )
        params = [
            [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns] + [obj.pk]
            for obj in objs
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
        return len(objs)


def executemany_manager(model) -> ExecutemanyUpdate:
    manager = ExecutemanyUpdate()
    manager.model = model
    return manager


class QuietRowResult(RowResult):
    """Skips ``str(instance)`` per row (it would query foreign keys); the preview makes its own labels."""

    def add_instance_info(self, instance):
        self.object_id = getattr(instance, "pk", None)


class PlainWidget(widgets.Widget):
    """The rows are already clean Python values (checked by ``budget.imports``): no locale parsing per cell."""

    def clean(self, value, row=None, **kwargs):
        return value


def id_field(name: str) -> fields.Field:
    return fields.Field(attribute=f"{name}_id", column_name=name, widget=PlainWidget())


def plain_field(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=PlainWidget())


class BudgetResource(resources.ModelResource):
    """Shared behaviour: keyed lookups, version bump on change, bulk writes with history.

    import-export's own diff (a deep copy and a rendering of every field, twice per row) is off (``skip_diff``);
    unchanged rows are recognised here instead, against the values the row had before the import
    (``instance.import_before``), which the preview also shows as the old value."""

    def __init__(self, *, existing: dict, user=None, reason: str = "", next_order: int = 0):
        super().__init__()
        self.existing = existing
        self.user = user
        self.reason = reason
        self.next_order = next_order

    class Meta:
        abstract = True
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_diff = True
        report_skipped = True
        clean_model_instances = False
        skip_html_diff = True
        store_instance = True
        instance_loader_class = KeyedInstanceLoader

    def get_row_result_class(self):
        return QuietRowResult

    def after_init_instance(self, instance, new, row, **kwargs):
        instance.import_before = None if new else {name: getattr(instance, name) for name in self.attributes}

    @property
    def attributes(self) -> list[str]:
        return [field.attribute for field in self.get_import_fields()]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        before = instance.import_before
        return before is not None and all(before[name] == getattr(instance, name) for name in self.attributes)

    @property
    def versioned(self) -> bool:
        return issubclass(self._meta.model, VersionedModel)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None and self.versioned:
            instance.version += 1
        if instance.pk is None and hasattr(instance, "order"):
            instance.order = self.next_order
            self.next_order += 1

    def get_bulk_update_fields(self):
        names = [self.fields[name].attribute for name in super().get_bulk_update_fields()]
        return [*names, "version"] if self.versioned else names

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        try:
            if self.create_instances and not dry_run:
                bulk_create_with_history(
                    self.create_instances,
                    self._meta.model,
                    batch_size=batch_size,
                    default_user=self.user,
                    default_change_reason=self.reason,
                )
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        try:
            if self.update_instances and not dry_run:
                bulk_update_with_history(
                    self.update_instances,
                    self._meta.model,
                    self.get_bulk_update_fields(),
                    batch_size=batch_size,
                    default_user=self.user,
                    default_change_reason=self.reason,
                    manager=executemany_manager(self._meta.model),
                )
        finally:
            self.update_instances.clear()

    def bulk_delete(self, using_transactions, dry_run, raise_errors, result=None):
        self.delete_instances.clear()  # imports never delete


class BudgetLineResource(BudgetResource):
    column = id_field("column")
    account_class = id_field("account_class")
    amount = plain_field("amount")

    class Meta(BudgetResource.Meta):
        model = BudgetLine
        fields = ("column", "account_class", "amount")
        import_id_fields = ("column", "account_class")


class LedgerOutcomeResource(BudgetResource):
    column = id_field("column")
    account_class = id_field("account_class")
    month = plain_field("month")
    amount = plain_field("amount")

    class Meta(BudgetResource.Meta):
        model = LedgerOutcome
        fields = ("column", "account_class", "month", "amount")
        import_id_fields = ("column", "account_class", "month")


class InvestmentResource(BudgetResource):
    """One row per investment object; ``plan`` is the same for every row."""

    plan = id_field("plan")
    department = id_field("department")
    name = plain_field("name")
    category = plain_field("category")
    total = plain_field("total")

    class Meta(BudgetResource.Meta):
        model = Investment
        fields = ("plan", "department", "name", "category", "total")
        import_id_fields = ("department", "name", "category")


class InvestmentYearResource(BudgetResource):
    """Years as columns in the sheet become one row per investment and year here."""

    investment = id_field("investment")
    year = plain_field("year")
    amount = plain_field("amount")

    class Meta(BudgetResource.Meta):
        model = InvestmentYear
        fields = ("investment", "year", "amount")
        import_id_fields = ("investment", "year")
