"""Run the benchmarks against a scratch database: ``python -m bench [name ...]`` (``make bench [BENCH=name]``).

The database is a temporary SQLite file, or, when ``BENCH_DATABASE_URL`` is set, that PostgreSQL database: it is
created for the run and dropped afterwards, so its name must contain "bench" (never the developer's database).
Each figure is printed as ``name: value unit``. A benchmark that fails, or a query count over its target, exits 1;
a wall time over its target is reported as a warning only (it depends on the machine).
"""

import argparse
import contextlib
import importlib
import os
import secrets
import sys
import tempfile
import time
import traceback
import warnings

# Benchmark modules in bench/, in the order they run. Add new ones (budget Excel, PDF rendering) here.
BENCHMARKS = ["plan_tree", "budget_excel", "plan_pdf", "report_pdf", "roll_plan"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="name", help=f"benchmarks to run (default: all of {BENCHMARKS})")
    args = parser.parse_args(argv)
    names = args.names or BENCHMARKS
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        return fail(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    try:
        with scratch_database() as url:
            setup_django(url)
            return run_all(names)
    except ScratchDatabaseError as error:
        return fail(str(error))


def run_all(names: list[str]) -> int:
    from bench.support import BenchError

    status = 0
    for name in names:
        started = time.perf_counter()
        try:
            figures = importlib.import_module(f"bench.{name}").run()
        except BenchError as error:
            status = fail(f"{name} failed: {error}")
            continue
        except Exception:
            traceback.print_exc()
            status = fail(f"{name} failed with the error above")
            continue
        for figure in figures:
            print(figure.line(), flush=True)
            if figure.over_limit:
                message = f"{figure.line()} is over the target of {figure.limit:g} {figure.unit}"
                if figure.hard:
                    status = fail(message)
                else:
                    print(f"bench: warning: {message}", file=sys.stderr)
        print(f"bench: {name} done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return status


def fail(message: str) -> int:
    print(f"bench: error: {message}", file=sys.stderr)
    return 1


def setup_django(database_url: str) -> None:
    """The real settings with debug off, plain HTTP, a throwaway key and the scratch database; then migrate."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url,
    )
    import django
    from django.core.management import call_command

    # WhiteNoise finds static files without collectstatic; its warning about the missing STATIC_ROOT is noise here.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


class ScratchDatabaseError(Exception):
    pass


@contextlib.contextmanager
def scratch_database():
    """A URL of an empty database that lives for the run."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url:
        with tempfile.TemporaryDirectory(prefix="styrning-bench-") as directory:
            try:
                yield f"sqlite:///{directory}/bench.sqlite3"
            finally:
                close_connections()
        return
    if not url.startswith(("postgres://", "postgresql://")):
        raise ScratchDatabaseError("BENCH_DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)")
    with postgres_database(url):
        yield url


@contextlib.contextmanager
def postgres_database(url: str):
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if "bench" not in name:
        raise ScratchDatabaseError(
            f"BENCH_DATABASE_URL names the database {name!r}; the benchmark creates and drops it, "
            "so its name must contain 'bench' (e.g. styrning_bench)"
        )
    params = {
        "dbname": "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    params = {key: value for key, value in params.items() if value is not None}
    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    try:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(statement)
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise ScratchDatabaseError(f"cannot create the scratch database {name!r}: {error}") from error
    try:
        yield
    finally:
        close_connections()
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(statement)


def close_connections() -> None:
    """Close Django's connections (kept open by CONN_MAX_AGE) so the scratch database can go."""
    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
