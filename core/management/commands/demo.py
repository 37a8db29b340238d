from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.choices import Role
from core.demo import DEMO_REASON, fixture_files, load_fixture
from core.models import Unit
from core.services import membership_ensure, user_ensure

DEMO_PASSWORD = "demo-2025"  # noqa: S105  demo users only, refused when debug is off
DEMO_USERS = [
    # username, first name, last name, role, unit code
    ("planerare", "Petra", "Planerare", Role.PLANNER, "ITD"),
    ("controller", "Conny", "Controller", Role.CONTROLLER, "RK"),
    ("sekreterare", "Sara", "Sekreterare", Role.SECRETARY, "RK"),
    ("lasare", "Lars", "Läsare", Role.READER, "RK"),
    ("admin", "Anna", "Administratör", Role.ADMINISTRATOR, "RH"),
]


class Command(BaseCommand):
    help = "Migrate the database, load the demo data from fixtures/ and create one demo user per role."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Erase ALL data first, then load the demo afresh.")
        parser.add_argument(
            "--force-demo-users",
            action="store_true",
            help="Create the demo users even when DJANGO_DEBUG is off (they have a publicly known password).",
        )

    def handle(self, *args, reset=False, force_demo_users=False, verbosity=1, **options):
        if not settings.DEBUG and not force_demo_users:
            raise CommandError(
                "Demo users have a publicly known password: refused with DJANGO_DEBUG off. "
                "Use --force-demo-users if this really is a demo installation."
            )
        call_command("migrate", interactive=False, verbosity=0)
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("Erased all data.")
        with transaction.atomic():
            for path in fixture_files():
                self.stdout.write(f"{path.name}: {load_fixture(path)}")
            self.create_users()

    def create_users(self):
        units = {unit.code: unit for unit in Unit.objects.filter(code__in={u[4] for u in DEMO_USERS})}
        missing = {u[4] for u in DEMO_USERS} - set(units)
        if missing:
            raise CommandError(f"Demo units missing from fixtures: {', '.join(sorted(missing))}.")
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, first, last, role, unit_code in DEMO_USERS:
            user = user_ensure(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                superuser=role == Role.ADMINISTRATOR,
            )
            membership_ensure(user=user, unit=units[unit_code], role=role, reason=DEMO_REASON)
            self.stdout.write(f"  {username:<12} {Role(role).label} – {units[unit_code].name}")
