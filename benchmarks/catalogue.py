"""Catalogue pages as the number of courses grows from 10 to 2,000.

Target (DESIGN.md §6): the SQL query count per request does not grow, and a page of results
costs at most MAX_TIME_RATIO times more at 2,000 courses than at 10 (the database filters, counts
and pages; nothing is looped over in Python). Full-text search cost grows with the number of
*matches* (as in any search engine): the demo repeats its courses, so a word found in nearly
every course (手機) matches 200× more rows at 2,000; it is reported, and the target applies to a
selective search."""

from django.core.management import call_command
from django.test import Client

from benchmarks.common import measure, report

SMALL, LARGE = 10, 2000
URLS = {
    "catalogue": "/courses/",
    "filtered": "/courses/?target_group=seniors&time_of_day=morning&weekday=1&weekday=3",
    "search": "/courses/?q=自然人憑證",
    "search (common word)": "/courses/?q=手機",
    "api": "/api/v2/courses/?limit=20",
}
MAX_TIME_RATIO = 3.0


def _seed(count: int) -> None:
    call_command("seed_demo", "--scale", str(count), stdout=open("/dev/null", "w"))  # noqa: SIM115


def run() -> bool:
    call_command("migrate", verbosity=0)
    client = Client()
    results: dict[str, dict[int, tuple[float, int]]] = {name: {} for name in URLS}
    for count in (SMALL, LARGE):
        _seed(count)
        for name, url in URLS.items():
            results[name][count] = measure(lambda url=url: client.get(url))

    ok = True
    rows = []
    for name, by_count in results.items():
        (t_small, q_small), (t_large, q_large) = by_count[SMALL], by_count[LARGE]
        ratio = t_large / t_small
        within = ratio <= MAX_TIME_RATIO or name.endswith("(common word)")
        passed = q_small == q_large and within
        ok &= passed
        rows.append(
            (
                name,
                f"{SMALL}: {t_small:6.1f} ms {q_small:2d} queries | "
                f"{LARGE}: {t_large:6.1f} ms {q_large:2d} queries | "
                f"ratio {ratio:4.2f} {'ok' if passed else 'OVER TARGET'}",
            )
        )
    report(
        f"Catalogue, {SMALL} vs {LARGE} courses (target: same queries, ratio ≤ {MAX_TIME_RATIO})",
        rows,
    )
    return ok
