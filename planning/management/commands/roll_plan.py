from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import User
from planning.lookups import plan_by_key
from planning.roll import plan_roll


class Command(BaseCommand):
    help = (
        "Roll a plan into a new year: a draft plan with copies of its focus areas, goals, assignments, unfinished "
        "activities, sections, indicators (last target) and the other apps' parts, each linked to its original."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="<unit-slug>/<year>, e.g. regionkontoret/2025")
        parser.add_argument("--to-year", type=int, required=True, help="The year of the new plan, e.g. 2026.")
        parser.add_argument("--user", help="Username recorded in the history as the one who rolled the plan.")

    def handle(self, *args, plan, to_year, user=None, **options):
        source = plan_by_key(plan)
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user!r}.")
        try:
            new_plan = plan_roll(plan=source, to_year=to_year, user=actor)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Rolled {source.key} into {new_plan.key} ({new_plan.title}, stage draft).")
