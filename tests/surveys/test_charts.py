"""The report charts: server-side SVG, escaped, accessible, and drawable by WeasyPrint."""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree

from django.utils import translation

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from enrollment.slips import font_configuration
from surveys.charts import (
    CHART_WIDTH,
    FONT_FAMILY,
    Bar,
    bar_chart,
    breakdown_chart,
    distribution_chart,
    shorten,
    trend_chart,
)
from surveys.report_selectors import (
    Breakdown,
    BreakdownRow,
    Distribution,
    QuestionStats,
    TrendPoint,
)

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<svg onload=1>&"'


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def parse(svg: str) -> ElementTree.Element:
    """Well-formed XML or the test fails: a stray '<' or '&' from a label would break it."""
    return ElementTree.fromstring(str(svg))  # noqa: S314 — our own output, under test


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in parse(svg).iter(f"{SVG}text")]


def district_breakdown(*rows: BreakdownRow) -> Breakdown:
    return Breakdown(dimension="district", title="District", demographic=True, rows=list(rows))


def likert(**kwargs) -> QuestionStats:
    values = kwargs.pop("shares", (2.0, 4.0, 14.0, 40.0, 40.0))
    counts = kwargs.pop("counts", (1, 2, 7, 20, 20))
    labels = ("1 Very dissatisfied", "2", "3", "4", "5 Very satisfied")
    defaults = {
        "question_id": 1,
        "text": "Overall, how satisfied are you?",
        "topic": "overall",
        "kind": "likert",
        "answers": sum(counts),
        "mean": 4.14,
        "satisfied_share": 80.0,
        "distribution": [
            Distribution(value=i + 1, label=labels[i], count=counts[i], share=values[i])
            for i in range(5)
        ],
    }
    defaults.update(kwargs)
    return QuestionStats(**defaults)


def test_a_malicious_label_is_escaped_everywhere_in_the_svg():
    chart = breakdown_chart(
        district_breakdown(
            BreakdownRow(key="x", label=EVIL, responses=12, satisfied_share=50.0, mean=3.5)
        )
    )
    assert "onload=1>" not in chart
    assert "&lt;svg onload=1&gt;&amp;&quot;" in chart
    root = parse(chart)
    assert len(list(root.iter(f"{SVG}svg"))) == 1
    assert EVIL in root.get("aria-label")
    assert any(EVIL in text for text in texts(chart))


def test_malicious_answer_options_and_term_names_are_escaped():
    question = likert(kind="single", mean=None, satisfied_share=None)
    question.distribution[0].label = EVIL
    assert "onload=1>" not in distribution_chart(question)
    assert EVIL in texts(distribution_chart(question))
    trend = trend_chart(
        [TrendPoint(term_id=1, label=EVIL, responses=3, satisfied_share=1.0, mean=1)]
    )
    assert "onload=1>" not in trend
    assert EVIL in texts(trend)


def test_every_chart_is_an_image_with_a_title_and_a_summary():
    charts = [
        breakdown_chart(
            district_breakdown(
                BreakdownRow(
                    key="banqiao", label="板橋區", responses=42, satisfied_share=85.5, mean=4.3
                )
            )
        ),
        distribution_chart(likert()),
        trend_chart(
            [
                TrendPoint(
                    term_id=1, label="2026 春季班", responses=42, satisfied_share=85.5, mean=4.3
                )
            ]
        ),
    ]
    for chart in charts:
        root = parse(chart)
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text
        assert "85.5%" in root.get("aria-label") or "40.0%" in root.get("aria-label")
        assert root.get("font-family").startswith("'Noto Sans CJK TC'")
    assert FONT_FAMILY.startswith("'Noto Sans CJK TC'")


def test_breakdown_bar_prints_its_value_at_the_end():
    chart = breakdown_chart(
        district_breakdown(
            BreakdownRow(
                key="banqiao", label="板橋區", responses=42, satisfied_share=85.5, mean=4.3
            )
        )
    )
    assert "板橋區" in texts(chart)
    assert "85.5%" in texts(chart)
    bar = next(r for r in parse(chart).iter(f"{SVG}rect"))
    # 85.5% of the plot width, the same as the label's text says.
    value_text = next(t for t in parse(chart).iter(f"{SVG}text") if t.text.startswith("85.5%"))
    assert float(value_text.get("x")) == pytest.approx(
        float(bar.get("x")) + float(bar.get("width")) + 6
    )


def test_a_suppressed_row_is_an_empty_bar_saying_fewer_than_ten_never_a_number():
    chart = breakdown_chart(
        district_breakdown(
            BreakdownRow(
                key="zhonghe",
                label="中和區",
                responses=None,
                satisfied_share=None,
                mean=None,
                suppressed=True,
            )
        )
    )
    assert "fewer than 10" in texts(chart)
    assert "fewer than 10" in parse(chart).get("aria-label")
    assert not re.search(r"\d+(\.\d)?%  ", chart)
    empty = parse(chart).find(f".//{SVG}g[@class='ez-bar ez-bar--empty']/{SVG}rect")
    assert empty.get("fill") == "#ffffff" and empty.get("stroke-dasharray")


def test_stacked_distribution_prints_shares_of_five_percent_or_more_and_has_a_legend():
    chart = distribution_chart(likert())
    drawn = texts(chart)
    # Whole percentages inside the segments (the table beside has the decimals).
    assert drawn.count("40%") == 2 and "14%" in drawn
    assert "2%" not in drawn and "4%" not in drawn  # under 5%: not printed, still in the table
    legend = [t for t in drawn if t.startswith(("1 ", "5 "))]
    assert legend == ["1 Very dissatisfied", "5 Very satisfied"]
    # The segments fill the bar exactly: 100% stacked.
    segments = parse(chart).findall(f".//{SVG}g[@class='ez-segment']/{SVG}rect")
    assert len(segments) == 5
    assert sum(float(s.get("width")) for s in segments) == pytest.approx(CHART_WIDTH - 4, abs=0.6)
    # Summary for screen readers has every value, including the thin ones.
    assert "1 Very dissatisfied: 2.0% (1)" in parse(chart).get("aria-label")


def test_text_on_a_dark_segment_is_white_and_on_a_light_one_black():
    chart = distribution_chart(likert(shares=(20.0, 20.0, 20.0, 20.0, 20.0), counts=(1,) * 5))
    segments = parse(chart).findall(f".//{SVG}g[@class='ez-segment']")
    inks = [g.find(f"{SVG}text").get("fill") for g in segments]
    assert inks == ["#ffffff", "#000000", "#000000", "#000000", "#ffffff"]


def test_multiple_choice_gets_one_bar_per_answer_since_shares_exceed_100():
    question = likert(
        kind="multiple",
        mean=None,
        satisfied_share=None,
        shares=(60.0, 50.0, 30.0, 0.0, 0.0),
        counts=(6, 5, 3, 0, 0),
    )
    chart = distribution_chart(question)
    assert "60.0%" in texts(chart)
    assert not parse(chart).findall(f".//{SVG}g[@class='ez-segment']")


def test_a_suppressed_question_draws_no_numbers():
    chart = distribution_chart(likert(suppressed=True))
    assert "fewer than 10" in texts(chart)
    assert "40.0%" not in chart


def test_trend_draws_a_labelled_point_per_term_and_breaks_at_a_term_without_figures():
    chart = trend_chart(
        [
            TrendPoint(
                term_id=1, label="2025 Spring", responses=30, satisfied_share=70.0, mean=3.9
            ),
            TrendPoint(
                term_id=2, label="2025 Autumn", responses=4, satisfied_share=None, mean=None
            ),
            TrendPoint(
                term_id=3, label="2026 Spring", responses=50, satisfied_share=80.0, mean=4.1
            ),
            TrendPoint(
                term_id=4, label="2026 Autumn", responses=60, satisfied_share=90.0, mean=4.5
            ),
        ]
    )
    root = parse(chart)
    assert len(root.findall(f".//{SVG}circle")) == 3
    lines = root.findall(f".//{SVG}polyline")
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2  # only the joined terms
    drawn = texts(chart)
    assert {"70.0%", "80.0%", "90.0%", "2025 Autumn", "n=4"} <= set(drawn)
    # Higher satisfaction is drawn higher up.
    ys = [float(c.get("cy")) for c in root.findall(f".//{SVG}circle")]
    assert ys[0] > ys[1] > ys[2]


def test_an_empty_trend_says_so():
    assert "No responses yet." in texts(trend_chart([]))


def test_long_labels_are_shortened_with_an_ellipsis_but_kept_whole_in_the_summary():
    long = "長輩智慧型手機入門與LINE視訊通話實作班（板橋區公所第三會議室）"
    chart = bar_chart(title="Courses", bars=[Bar(label=long, value=50.0)])
    drawn = texts(chart)
    assert any(t.endswith("…") and long.startswith(t[:-1]) for t in drawn)
    assert long in parse(chart).get("aria-label")
    assert shorten("short", 500) == "short"


def test_coordinates_stay_plain_numbers_in_a_language_with_decimal_commas(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("vi"):
        chart = breakdown_chart(
            district_breakdown(
                BreakdownRow(key="a", label="A", responses=1200, satisfied_share=33.3, mean=3.3)
            )
        )
    for element in parse(chart).iter(f"{SVG}rect"):
        float(element.get("width"))  # "212,5" would raise
    assert "33,3%" in texts(chart)[-1]  # the printed value follows the language


def test_weasyprint_draws_the_charts_with_their_labels():
    html = (
        '<html lang="zh-Hant"><body style="font-family: \'Noto Sans CJK TC\'">'
        + breakdown_chart(
            district_breakdown(
                BreakdownRow(
                    key="banqiao", label="板橋區", responses=42, satisfied_share=85.5, mean=4.3
                ),
                BreakdownRow(
                    key="zhonghe",
                    label="中和區",
                    responses=None,
                    satisfied_share=None,
                    mean=None,
                    suppressed=True,
                ),
            )
        )
        + distribution_chart(likert())
        + trend_chart(
            [
                TrendPoint(
                    term_id=1, label="2026 春季班", responses=42, satisfied_share=85.5, mean=4.3
                )
            ]
        )
        + "</body></html>"
    )
    pdf = HTML(string=html).write_pdf(font_config=font_configuration())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for label in ("板橋區", "85.5%", "fewer than 10", "5 Very satisfied", "2026 春季班", "40%"):
        assert label in text
