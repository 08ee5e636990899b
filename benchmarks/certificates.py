"""Certificates rendered in bulk: cost per certificate next to WeasyPrint's own floor, and
memory over many renders.

Targets (DESIGN.md §6): one certificate costs at most MAX_TIME_RATIO times a blank one-page
document rendered in the same run, and the process's resident memory grows by at most
MAX_MEMORY_GROWTH over COUNT renders (BENCH_CERTIFICATES=N to shorten; default 1,000). Every
certificate has a different learner, so each one subsets the CJK font for its own glyphs, as
in a real term's batch."""

import os
import statistics
import time
from datetime import date
from decimal import Decimal

from django.utils import timezone

from weasyprint import HTML

from benchmarks.common import report

MAX_TIME_RATIO = 20.0
MAX_MEMORY_GROWTH = 0.10
WARMUP = 20

FAMILY = ["王", "林", "陳", "張", "李", "黃", "吳", "劉", "蔡", "楊", "許", "鄭", "謝", "洪"]
GIVEN = ["小明", "阿美", "淑芬", "志強", "美玲", "建國", "秀英", "俊傑", "麗華", "家豪", "春嬌"]
LATIN = ["Watan Tanga", "Nguyễn Thị Lan", "Sakinu Ya'ronglong", "Trần Văn Hùng", "Ipay Wasi"]


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _learner(index: int) -> tuple[str, str]:
    if index % 4 == 3:
        return LATIN[index % len(LATIN)], FAMILY[index % len(FAMILY)] + GIVEN[index % len(GIVEN)]
    family, given = FAMILY[index % len(FAMILY)], GIVEN[(index // len(FAMILY)) % len(GIVEN)]
    return family + given, ""


def _certificate(index: int):
    from enrollment.models import Certificate, new_certificate_code

    name, other = _learner(index)
    return Certificate(
        code=new_certificate_code(),
        learner_name=name,
        learner_other_name=other,
        course_title=["長輩手機入門：LINE 視訊", "網路購物與防詐騙", "自然人憑證與報稅"][index % 3],
        hours=Decimal(6 + index % 7),
        first_day=date(2026, 10, 6),
        last_day=date(2026, 10, 20),
        venue_name="板橋區公所 第二會議室",
        venue_name_en="Banqiao District Office",
        issuer_name="新北市政府",
        issuer_name_en="New Taipei City Government",
        issued_at=timezone.now(),
    )


def run() -> bool:
    from enrollment.certificates import certificate_render_pdf
    from enrollment.models import CertificateSettings
    from enrollment.pdf import font_configuration

    count = int(os.environ.get("BENCH_CERTIFICATES", "1000"))
    issuer = CertificateSettings()  # the defaults; no logo or signature image
    fonts = font_configuration()

    def blank() -> bytes:
        return HTML(string="<html><body></body></html>").write_pdf(font_config=fonts)

    def timed(fn) -> float:
        began = time.perf_counter()
        fn()
        return (time.perf_counter() - began) * 1000

    for index in range(WARMUP):
        blank()
        certificate_render_pdf(certificate=_certificate(index), issuer=issuer)
    rss_before = _rss_bytes()
    # A blank page every tenth certificate: both medians see the same machine load.
    blank_ms, timings, sizes = [], [], []
    for index in range(WARMUP, WARMUP + count):
        if index % 10 == 0:
            blank_ms.append(timed(blank))
        certificate = _certificate(index)
        began = time.perf_counter()
        pdf = certificate_render_pdf(certificate=certificate, issuer=issuer)
        timings.append((time.perf_counter() - began) * 1000)
        sizes.append(len(pdf))
    rss_after = _rss_bytes()

    blank_median = statistics.median(blank_ms)
    per_certificate = statistics.median(timings)
    ratio = per_certificate / blank_median
    growth = (rss_after - rss_before) / rss_before
    time_ok = ratio <= MAX_TIME_RATIO
    memory_ok = growth <= MAX_MEMORY_GROWTH
    report(
        f"Certificates, {count} renders (target: ≤ {MAX_TIME_RATIO:.0f}× a blank page, "
        f"memory growth ≤ {MAX_MEMORY_GROWTH:.0%})",
        [
            ("blank one-page document", f"{blank_median:6.1f} ms median of {len(blank_ms)}"),
            (
                "certificate",
                f"{per_certificate:6.1f} ms median, {statistics.mean(timings):6.1f} ms mean, "
                f"p95 {statistics.quantiles(timings, n=20)[-1]:6.1f} ms",
            ),
            ("ratio", f"{ratio:5.1f}× {'ok' if time_ok else 'OVER TARGET'}"),
            (
                "resident memory",
                f"{rss_before / 2**20:6.1f} → {rss_after / 2**20:6.1f} MB "
                f"({growth:+.1%}) {'ok' if memory_ok else 'OVER TARGET'}",
            ),
            ("PDF size", f"{min(sizes) / 1024:.0f}–{max(sizes) / 1024:.0f} KB"),
        ],
    )
    return time_ok and memory_ok
