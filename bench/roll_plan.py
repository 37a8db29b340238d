"""Rolling a plan into the next year (issue 7): the large synthetic plan (20 focus areas, 100 goals, 500 assignments,
2,000 activities) copied with lineage and history in one transaction; and the cost of history on one ordinary save.

Targets: the roll in bulk, a few hundred queries at most (SQLite splits inserts into batches of 999 parameters: the
count grows per batch, never per item) and under 10 s; an activity save one history insert on top of the save.
"""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from bench.support import BenchError, Figure, member, organisation
from core.choices import Role
from planning.models import Activity, Goal, Plan
from planning.roll import plan_roll
from planning.services import activity_update
from tests.planning.factories import make_plan

FROM_YEAR, TO_YEAR = 2060, 2061  # years of their own: other benchmarks' plans share the scratch database
MAX_QUERIES, MAX_SECONDS = 300, 10


def run() -> list[Figure]:
    org = organisation()
    secretary = member("bench-secretary", Role.SECRETARY, org["rk"])
    plan = make_plan(org["rk"], year=FROM_YEAR, areas=20, goals=5, assignments=5, activities=4)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        new = plan_roll(plan=plan, to_year=TO_YEAR, user=secretary)
    seconds = time.perf_counter() - started
    activities = Activity.objects.in_plan(new).count()
    goals = Goal.objects.filter(focus_area__plan=new, origin__focus_area__plan=plan).count()
    if (activities, goals) != (2000, 100):
        raise BenchError(
            f"The rolled plan has {activities} activities and {goals} linked goals, expected 2000 and 100."
        )
    if Activity.history.filter(history_change_reason=f"Rullad från {plan.key}").count() != 2000:
        raise BenchError("Not every copied activity has its history record.")

    activity = Activity.objects.in_plan(Plan.objects.get(pk=new.pk)).with_tree().first()
    save_queries = count_save(activity, secretary, "Ny titel")
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        without_history = count_save(activity, secretary, "Titel utan historik")
    return [
        Figure("roll_plan_seconds", seconds, "s", limit=MAX_SECONDS),
        Figure("roll_plan_queries", len(queries), "queries", limit=MAX_QUERIES, hard=True),
        Figure("roll_plan_items", 20 + 100 + 500 + 2000, "items"),
        Figure("history_save_queries", save_queries, "queries"),
        Figure("history_cost_per_save", save_queries - without_history, "queries", limit=1, hard=True),
    ]


def count_save(activity, user, title) -> int:
    activity.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        activity_update(activity=activity, data={"title": title}, user=user, version=activity.version)
    return len(queries)
