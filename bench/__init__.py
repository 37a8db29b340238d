"""Benchmarks, run with ``make bench`` or ``python -m bench [name ...]``; not tests (pytest collects ``tests/`` only).

Each benchmark is a module ``bench/<name>.py`` with ``run() -> list[Figure]`` (see :mod:`bench.support`) and is
listed in ``BENCHMARKS`` in :mod:`bench.__main__`. They run against a scratch database made for the run.
"""
