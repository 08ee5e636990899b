"""`make bench`: run every benchmark in one process and print ratios measured in the same run.

Machines are noisy, so no benchmark compares against a fixed time: each one compares two
measurements taken side by side (small vs large data) and reports the ratio and query counts.
By default a throw-away SQLite database is used; set BENCH_DATABASE_URL to use PostgreSQL.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="ezlearn-bench-")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ezlearn.settings.test")
    os.environ["MEDIA_ROOT"] = f"{workdir}/media"

    import django

    django.setup()

    from benchmarks import catalogue, certificates, reports

    failures = 0
    for benchmark in (catalogue, certificates, reports):
        failures += 0 if benchmark.run() else 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
