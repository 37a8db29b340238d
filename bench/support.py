"""What every benchmark shares: figures with targets, the organisation and users, timing of GET requests.

Imported only after ``django.setup()`` (by the benchmark modules, never by ``bench/__init__.py``).
"""

import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import Membership, Unit, User


class BenchError(Exception):
    """A benchmark could not measure (a page failed, the data is not what it should be)."""


@dataclass(frozen=True)
class Figure:
    """One measured figure, printed as ``name: value unit``.

    ``limit`` is the target from the issue; going over it fails the run when ``hard`` (deterministic figures such
    as query counts) and only warns otherwise (wall times, which depend on the machine).
    """

    name: str
    value: float
    unit: str
    limit: float | None = None
    hard: bool = False

    def line(self) -> str:
        value = f"{self.value:.1f}" if isinstance(self.value, float) else str(self.value)
        return f"{self.name}: {value} {self.unit}"

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.value > self.limit


def organisation() -> dict:
    """Region Halland → Regionkontoret → its divisions; created once per run, shared by every benchmark."""
    region, _ = Unit.objects.get_or_create(
        code="RH", defaults={"slug": "region-halland", "name": "Region Halland", "kind": "region"}
    )
    rk, _ = Unit.objects.get_or_create(
        code="RK",
        defaults={"slug": "regionkontoret", "name": "Regionkontoret", "kind": "administration", "parent": region},
    )
    divisions = []
    for order, (code, name) in enumerate(DIVISIONS):
        unit, _ = Unit.objects.get_or_create(
            code=code,
            defaults={"slug": code.lower(), "name": name, "kind": "division", "parent": rk, "order": order},
        )
        divisions.append(unit)
    return {"region": region, "rk": rk, "divisions": divisions}


DIVISIONS = [
    ("ITD", "IT och Digitalisering"),
    ("HR", "HR"),
    ("EKO", "Ekonomi"),
    ("KOM", "Kommunikation"),
    ("RU", "Regional utveckling"),
    ("HS", "Hälso- och sjukvårdsstaben"),
]


def member(username: str, role: str, unit: Unit) -> User:
    """A user with one role in ``unit`` (and every unit below it); no usable password, sign in with force_login."""
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": "Bench"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


def signed_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get_ok(client: Client, url: str, **extra):
    response = client.get(url, **extra)
    if response.status_code != 200:
        raise BenchError(f"GET {url} answered {response.status_code}, expected 200.")
    return response


def count_queries(client: Client, url: str, **extra) -> tuple[int, object]:
    """The number of queries of one GET (page, session, user, permissions) and its response."""
    with CaptureQueriesContext(connection) as queries:
        response = get_ok(client, url, **extra)
    return len(queries), response


def time_gets(client: Client, url: str, *, runs: int, warmup: int, **extra) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (of this process) in ms of ``runs`` GETs after ``warmup`` unmeasured ones.

    The CPU time leaves out waiting for other processes, so it is steadier than the wall time on a busy machine.
    """
    for _ in range(warmup):
        get_ok(client, url, **extra)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        get_ok(client, url, **extra)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def median(times: list[float]) -> float:
    return statistics.median(times)


def p95(times: list[float]) -> float:
    """The 95th percentile (nearest rank), so with 20 runs the second-slowest."""
    ordered = sorted(times)
    rank = max(1, -(-95 * len(ordered) // 100))
    return ordered[rank - 1]
