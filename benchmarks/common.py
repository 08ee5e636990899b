"""Small helpers shared by the benchmarks."""

import statistics
import time
from collections.abc import Callable

from django.db import connection


def count_queries(fn: Callable[[], object]) -> int:
    """SQL statements one call executes (an execute wrapper sees every one, whatever the
    request cycle does to the connection's query log)."""
    executed = 0

    def counter(execute, sql, params, many, context):
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        fn()
    return executed


def measure(fn: Callable[[], object], *, repeat: int = 15, warmup: int = 3) -> tuple[float, int]:
    """Median wall time in milliseconds and the number of SQL queries of one call."""
    for _ in range(warmup):
        fn()
    queries = count_queries(fn)
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings), queries


def report(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n== {title}")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
