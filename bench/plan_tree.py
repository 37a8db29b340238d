"""The plan tree page (issue 3): a plan of 20 focus areas, 100 goals, 500 assignments and 2,000 activities.

Targets: at most 12 queries, the same count as for a demo-size plan, and a median under 250 ms.
The first view shows the focus areas closed; each loads its contents when opened (htmx), so the benchmark also
measures that request for the largest focus area, whose query count must not grow with the plan either.
The planner holds the role in Regionkontoret, so every item is editable: the heaviest contents (edit, move and
remove controls on every activity).
"""

import datetime
import random

from django.db.models import Count
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from bench.support import (
    BenchError,
    Figure,
    count_queries,
    get_ok,
    median,
    member,
    organisation,
    p95,
    signed_in_client,
    time_gets,
)
from core.choices import Role
from planning.choices import ActivityStatus, AssignmentKind, FocusAreaKind
from planning.models import Activity, Assignment, FocusArea, Goal, Plan
from tests.planning.factories import make_plan

AREAS, GOALS_PER_AREA, ASSIGNMENTS_PER_GOAL, ACTIVITIES_PER_ASSIGNMENT = 20, 5, 5, 4
RUNS, WARMUP = 20, 2
MAX_QUERIES, MAX_MEDIAN_MS = 12, 250
LARGE_YEAR, SMALL_YEAR = 2026, 2025


def run() -> list[Figure]:
    org = organisation()
    planner = member("bench-planner", Role.PLANNER, org["rk"])
    large = build_plan(org, year=LARGE_YEAR)
    small = make_plan(org["rk"], year=SMALL_YEAR, responsible=org["divisions"][0])  # demo size: 2 × 2 × 2 × 2
    activities = Activity.objects.filter(assignment__focus_area__plan=large).count()
    expected = AREAS * GOALS_PER_AREA * ASSIGNMENTS_PER_GOAL * ACTIVITIES_PER_ASSIGNMENT
    if activities != expected:
        raise BenchError(f"The large plan has {activities} activities, expected {expected}.")

    client = signed_in_client(planner)
    url = tree_url(large)
    get_ok(client, url)  # the first request loads templates and translations; not counted
    queries, response = count_queries(client, url)
    times, cpu_times = time_gets(client, url, runs=RUNS, warmup=WARMUP)
    small_queries, _ = count_queries(client, tree_url(small))
    if small_queries != queries:
        raise BenchError(
            f"The tree of the demo-size plan takes {small_queries} queries, the large one {queries}: "
            "the count grows with the plan."
        )
    if b"/edit/" in response.content:
        raise BenchError("The first view renders the contents of the focus areas: they should load when opened.")

    area, area_activities = largest_area(large)
    area_url = tree_area_url(large, area)
    get_ok(client, area_url, HTTP_HX_REQUEST="true")
    area_queries, area_response = count_queries(client, area_url, HTTP_HX_REQUEST="true")
    area_times, area_cpu_times = time_gets(client, area_url, runs=RUNS, warmup=WARMUP, HTTP_HX_REQUEST="true")
    small_area_queries, _ = count_queries(client, tree_area_url(small, small.focus_areas.first()))
    if small_area_queries != area_queries:
        raise BenchError(
            f"A focus area of the demo-size plan takes {small_area_queries} queries, of the large one "
            f"{area_queries}: the count grows with the plan."
        )
    edit_links = area_response.content.count(b"/edit/")
    if edit_links < area_activities:
        raise BenchError(
            f"Only {edit_links} edit links for the {area_activities} activities of the largest focus area: "
            "the planner should edit all."
        )
    return [
        Figure("plan_tree_activities", activities, "activities"),
        Figure("plan_tree_queries", queries, "queries", limit=MAX_QUERIES, hard=True),
        Figure("plan_tree_median_ms", median(times), "ms", limit=MAX_MEDIAN_MS),
        Figure("plan_tree_p95_ms", p95(times), "ms"),
        Figure("plan_tree_median_cpu_ms", median(cpu_times), "ms"),
        Figure("plan_tree_html_kb", len(response.content) / 1024, "kB"),
        Figure("plan_tree_small_queries", small_queries, "queries", limit=MAX_QUERIES, hard=True),
        Figure("plan_tree_area_activities", area_activities, "activities"),
        Figure("plan_tree_area_queries", area_queries, "queries", limit=MAX_QUERIES, hard=True),
        Figure("plan_tree_area_median_ms", median(area_times), "ms", limit=MAX_MEDIAN_MS),
        Figure("plan_tree_area_p95_ms", p95(area_times), "ms"),
        Figure("plan_tree_area_median_cpu_ms", median(area_cpu_times), "ms"),
        Figure("plan_tree_area_html_kb", len(area_response.content) / 1024, "kB"),
    ]


def tree_url(plan: Plan) -> str:
    return reverse("planning:plan_tree", kwargs=plan.url_kwargs())


def tree_area_url(plan: Plan, area: FocusArea) -> str:
    return reverse("planning:plan_tree_area", kwargs={**plan.url_kwargs(), "pk": area.pk})


def largest_area(plan: Plan) -> tuple[FocusArea, int]:
    """The focus area with the most activities (the first of them on a tie), and that number."""
    areas = plan.focus_areas.annotate(n=Count("assignments__activities")).order_by("-n", "order", "pk")
    area = areas.first()
    return area, area.n


def build_plan(org: dict, *, year: int) -> Plan:
    """The large plan, in a few bulk inserts with history, from a fixed seed so every run has the same data."""
    rng = random.Random(year)
    divisions = org["divisions"]
    plan = Plan.objects.create(unit=org["rk"], year=year, title=f"Verksamhetsplan och internbudget {year}")
    areas = bulk_create_with_history(
        [
            FocusArea(
                plan=plan,
                kind=area_kind(i),
                title=AREA_TITLES[i % len(AREA_TITLES)],
                description=sentences(rng, 2) if i % 3 == 0 else "",
                order=i,
            )
            for i in range(AREAS)
        ],
        FocusArea,
    )
    goals = bulk_create_with_history(
        [
            Goal(focus_area=area, title=phrase(rng, GOAL_VERBS, GOAL_OBJECTS), order=j)
            for area in areas
            for j in range(GOALS_PER_AREA)
        ],
        Goal,
    )
    assignments = bulk_create_with_history(
        [
            Assignment(
                focus_area=goal.focus_area,
                kind=rng.choices(ASSIGNMENT_KINDS, weights=[70, 15, 15])[0],
                title=phrase(rng, ASSIGNMENT_VERBS, GOAL_OBJECTS),
                description=assignment_description(rng),
                responsible_unit=None if rng.random() < 0.05 else rng.choice(divisions),
                responsible_person=rng.choice(PEOPLE) if rng.random() < 0.5 else "",
                order=k,
            )
            for goal in goals
            for k in range(ASSIGNMENTS_PER_GOAL)
        ],
        Assignment,
    )
    # Each assignment contributes to its goal; every fifth also to the next goal of the same area.
    through = Assignment.goals.through
    links = []
    for i, assignment in enumerate(assignments):
        goal_index = i // ASSIGNMENTS_PER_GOAL
        links.append(through(assignment=assignment, goal=goals[goal_index]))
        if i % 5 == 4 and goal_index % GOALS_PER_AREA < GOALS_PER_AREA - 1:
            links.append(through(assignment=assignment, goal=goals[goal_index + 1]))
    through.objects.bulk_create(links)
    bulk_create_with_history(
        [
            activity(rng, assignment, m, year, divisions)
            for assignment in assignments
            for m in range(ACTIVITIES_PER_ASSIGNMENT)
        ],
        Activity,
    )
    return plan


def activity(rng: random.Random, assignment: Assignment, order: int, year: int, divisions) -> Activity:
    start = end = None
    if rng.random() < 0.9:
        start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 300))
        end = min(start + datetime.timedelta(days=rng.randrange(14, 240)), datetime.date(year, 12, 31))
    return Activity(
        assignment=assignment,
        title=phrase(rng, ACTIVITY_VERBS, ACTIVITY_OBJECTS),
        description=sentences(rng, rng.randint(1, 3)) if rng.random() < 0.4 else "",
        start=start,
        end=end,
        responsible_unit=rng.choice(divisions) if rng.random() < 0.5 else None,
        responsible_person=rng.choice(PEOPLE) if rng.random() < 0.3 else "",
        status=rng.choices(STATUSES, weights=[35, 40, 20, 5])[0],
        order=order,
    )


def area_kind(i: int) -> str:
    if i == AREAS - 1:
        return FocusAreaKind.DEVELOPMENT_AREA
    return FocusAreaKind.PERSPECTIVE if i >= AREAS - 4 else FocusAreaKind.FOCUS_AREA


def phrase(rng: random.Random, verbs: list[str], objects: list[str]) -> str:
    return f"{rng.choice(verbs)} {rng.choice(objects)}"


def sentences(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(count))


def assignment_description(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return ""
    if roll < 0.8:
        return sentences(rng, rng.randint(1, 3))
    return sentences(rng, 2) + "\n\n" + sentences(rng, 2)


ASSIGNMENT_KINDS = [AssignmentKind.OFFICE, AssignmentKind.DEVELOPMENT, AssignmentKind.CORE_MISSION]
STATUSES = [ActivityStatus.NOT_STARTED, ActivityStatus.IN_PROGRESS, ActivityStatus.DONE, ActivityStatus.POSTPONED]

AREA_TITLES = [
    "Attraktiva och hållbara livsmiljöer",
    "Förnyelseförmåga och konkurrenskraft",
    "Utbildning, kompetens och jämlik hälsa",
    "En tillgänglig och högkvalitativ hälso- och sjukvård",
    "Robusta verksamheter",
    "Ett samlat regionkontor",
    "Accelerera digital transformation",
    "Hållbar resursanvändning och minskad klimatpåverkan",
    "Kollektivtrafik och infrastruktur",
    "Kultur och fritid i hela Halland",
    "Näringsliv, innovation och forskning",
    "Kompetensförsörjning och arbetsmarknad",
    "Folkhälsa och social hållbarhet",
    "Trygghet, säkerhet och beredskap",
    "Invånarnas delaktighet och förtroende",
    "God ekonomisk hushållning",
    "Medarbetare",
    "Verksamhet",
    "Ekonomi",
    "Utvecklingsområde: informationsdriven verksamhet",
]
GOAL_VERBS = ["Stärka", "Utveckla", "Öka", "Förbättra", "Säkra", "Minska behovet av", "Främja", "Bidra till"]
ASSIGNMENT_VERBS = [
    "Leda arbetet med",
    "Samordna regionens arbete med",
    "Ta fram en strategi för",
    "Införa ett nytt stöd för",
    "Följa upp och analysera",
    "Ansvara för att koordinera",
    "Fortsätta utveckla planerna för",
]
GOAL_OBJECTS = [
    "tillgängligheten till arbete, studier och samhällsservice",
    "Hallands smarta specialiseringar",
    "den nära vården i samverkan med kommunerna",
    "förmågan att möta ökade kompetensbehov",
    "regionens krisberedskap och säkerhetsmedvetenhet",
    "jämställdhet och barns rättigheter",
    "det interna klimat- och miljöarbetet",
    "nyttjandet av AI och informationsdriven utveckling",
    "chefers och medarbetares förutsättningar",
    "en hållbar och effektiv lokalförsörjning",
    "invånarnas service och insyn",
    "den ekonomiska styrningen och uppföljningen",
    "samverkan med akademi och näringsliv",
    "kollektivtrafikens utbud och kvalitet",
    "ett tryggt införande av nytt vårdinformationsstöd",
]
ACTIVITY_VERBS = [
    "Genomföra workshop om",
    "Ta fram handlingsplan för",
    "Upphandla konsultstöd för",
    "Utvärdera",
    "Rapportera läget för",
    "Kartlägga behoven av",
    "Förankra förslaget om",
    "Pilottesta",
]
ACTIVITY_OBJECTS = [
    "digitala möten i förvaltningarna",
    "nytt schemaverktyg",
    "intranät och ledningssystem",
    "kompetensväxling inom vården",
    "klimatbudget för regionkontoret",
    "riskanalys inför tertialrapport 2",
    "medarbetarenkätens resultat",
    "samverkansavtal med kommunerna",
    "e-tjänster för invånare",
    "beslutsunderlag till regionstyrelsen",
    "informationssäkerhetsklassning",
    "introduktion för nya chefer",
]
SENTENCES = [
    "Arbetet sker i samverkan med förvaltningarna och de halländska kommunerna.",
    "Regionkontoret leder och samordnar arbetet och rapporterar i tertialuppföljningen.",
    "Insatsen finansieras inom ram och följs upp av regionstyrelsens arbetsutskott.",
    "Målet är att invånarna ska märka skillnad under planperioden.",
    "Uppdraget kräver nära dialog med fackliga företrädare och skyddsombud.",
    "Resultatet redovisas för regionstyrelsen i samband med årsredovisningen.",
    "En delrapport lämnas efter första tertialet med förslag på fortsatt inriktning.",
    "Arbetet bygger vidare på erfarenheterna från föregående års pilotprojekt.",
]
PEOPLE = ["Anna Svensson", "Erik Johansson", "Maria Karlsson", "Johan Nilsson", "Sara Lindqvist", "Per Åkesson"]
