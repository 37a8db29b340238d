"""Reference data: the account classes of the seed documents' budget tables (business key: code)."""

from django.db import migrations

ACCOUNT_CLASSES = [
    ("INT", "Intäkter", -1, 1),
    ("PERS", "Personalkostnader", 1, 2),
    ("OVR", "Övriga driftskostnader", 1, 3),
]


def create(apps, schema_editor):
    AccountClass = apps.get_model("budget", "AccountClass")
    for code, name, sign, order in ACCOUNT_CLASSES:
        AccountClass.objects.get_or_create(code=code, defaults={"name": name, "sign": sign, "order": order})


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
