"""Charts for the satisfaction reports, drawn on the server as inline SVG.

No JavaScript and nothing from a CDN: the same markup shows in the admin dashboard and in the
PDF report (WeasyPrint draws inline SVG itself). Every label comes from data that users typed
(course titles, answer options), so all text goes through `format_html`, which escapes it.
Each chart is an image with a `<title>` and an `aria-label` summarising its figures; the
templates put a data table next to every chart for screen readers and for printing.

Colours come from palettes that stay distinguishable with the common colour-vision
deficiencies (ColorBrewer's purple–orange diverging scale, Okabe–Ito for categories), and
every value that fits is also printed as text, so no figure depends on colour alone.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from enrollment.selectors import small_cell_threshold

from .report_selectors import Breakdown, QuestionStats, TrendPoint

# "Noto Sans CJK TC" first, or Chinese falls back to Japanese glyph forms in the PDF.
FONT_FAMILY = "'Noto Sans CJK TC', 'Noto Sans TC', 'PingFang TC', 'Microsoft JhengHei', sans-serif"
FONT_SIZE = 14
# Narrow enough to stay legible when a phone shrinks it, wide enough for labels.
CHART_WIDTH = 440
TEXT_COLOUR = "#1f1f1f"
MUTED_COLOUR = "#595959"  # 7:1 on white
GRID_COLOUR = "#c8c8c8"
BAR_COLOUR = "#3b5ba5"  # 7.1:1 against white: white text inside a bar stays readable
EMPTY_FILL = "#ffffff"

# ColorBrewer PuOr (5 and 11 classes), ordered from the worst answer to the best.
LIKERT_COLOURS = ("#b35806", "#f1a340", "#f7f7f7", "#998ec3", "#542788")
SCALE_11_COLOURS = (
    "#7f3b08",
    "#b35806",
    "#e08214",
    "#fdb863",
    "#fee0b6",
    "#f7f7f7",
    "#d8daeb",
    "#b2abd2",
    "#8073ac",
    "#542788",
    "#2d004b",
)
# Okabe–Ito, for answers that have no order (choices).
CATEGORY_COLOURS = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
)

# A segment of a stacked bar gets its value printed when it is at least this share.
MIN_PRINTED_SHARE = 5.0


def fewer_than_label() -> str:
    """What a suppressed cell shows, everywhere (screens, charts and exports)."""
    return _("fewer than %(n)s") % {"n": small_cell_threshold()}


def percent(value: float | None) -> str:
    """A share 0–100 as text, in the active language's number format ("85.5%")."""
    if value is None:
        return "–"
    return f"{number_format(value, decimal_pos=1)}%"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An estimate of the drawn width of `text`: wide (CJK) characters take a full em, others
    a little over half. Good enough to leave room for labels without measuring fonts."""
    return sum(
        size if unicodedata.east_asian_width(char) in ("W", "F") else size * 0.58 for char in text
    )


def shorten(text: str, width: float, size: float = FONT_SIZE) -> str:
    """`text` cut to fit `width`, with an ellipsis when cut (the full text is in the table)."""
    if text_width(text, size) <= width:
        return text
    kept = ""
    for char in text:
        if text_width(kept + char + "…", size) > width:
            break
        kept += char
    return kept + "…"


def _contrasting_text(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (WCAG relative luminance)."""
    red, green, blue = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return "#000000" if luminance > 0.179 else "#ffffff"


def _svg(*, width: float, height: float, title: str, summary: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="ez-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'style="max-width:{width}px" aria-label="{summary}" font-family="{font}" '
        'font-size="{size}" fill="{colour}">'
        "<title>{title}</title>{body}</svg>",
        width=_n(width),
        height=_n(height),
        summary=summary,
        font=FONT_FAMILY,
        size=FONT_SIZE,
        colour=TEXT_COLOUR,
        title=title,
        body=body,
    )


def _n(value: float) -> str:
    """A coordinate for SVG: never localised (a decimal comma would break the drawing)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _join(parts: Sequence[SafeString]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 — every part was built by format_html


@dataclass
class Bar:
    label: str
    value: float | None  # 0–100; None: no answers
    suppressed: bool = False
    note: str = ""  # e.g. "n = 24", printed after the value


def bar_chart(*, title: str, bars: Sequence[Bar], width: int = CHART_WIDTH) -> SafeString:
    """Horizontal bars on a 0–100% scale, the value printed at the end of each bar. A
    suppressed row is an empty outlined bar labelled "fewer than 10"."""
    row_height, gap, top, bottom = 26, 8, 8, 26
    label_width = min(max((text_width(bar.label) for bar in bars), default=0) + 8, width * 0.38)
    value_texts = [percent(b.value) + (f" {b.note}" if b.note else "") for b in bars]
    value_room = max((text_width(t) for t in value_texts), default=0) + 14
    if any(b.suppressed or b.value is None for b in bars):
        value_room = max(value_room, 20.0)
    plot_left, plot_width = label_width + 4, width - label_width - 4 - value_room
    height = top + len(bars) * (row_height + gap) + bottom
    hidden = fewer_than_label()

    parts = []
    for tick in (0, 25, 50, 75, 100):
        x = plot_left + plot_width * tick / 100
        parts.append(
            format_html(
                '<line x1="{x}" y1="{top}" x2="{x}" y2="{y}" stroke="{grid}" stroke-width="1"/>'
                '<text x="{x}" y="{ty}" text-anchor="middle" font-size="12" fill="{muted}">'
                "{tick}%</text>",
                x=_n(x),
                top=top,
                y=_n(height - bottom + 2),
                ty=_n(height - bottom + 16),
                grid=GRID_COLOUR,
                muted=MUTED_COLOUR,
                tick=tick,
            )
        )
    summary_items = []
    for index, bar in enumerate(bars):
        y = top + index * (row_height + gap)
        middle = y + row_height / 2 + 4.5
        label = format_html(
            '<text x="{x}" y="{y}" text-anchor="end">{text}</text>',
            x=_n(label_width),
            y=_n(middle),
            text=shorten(bar.label, label_width - 8),
        )
        if bar.suppressed or bar.value is None:
            shown = hidden if bar.suppressed else _("no answers")
            summary_items.append(f"{bar.label}: {shown}")
            parts.append(
                format_html(
                    '<g class="ez-bar ez-bar--empty">{label}'
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{empty}" '
                    'stroke="{grid}" stroke-dasharray="4 3"/>'
                    '<text x="{tx}" y="{ty}" fill="{muted}" font-style="italic">{shown}</text>'
                    "</g>",
                    label=label,
                    x=_n(plot_left),
                    y=_n(y),
                    w=_n(plot_width),
                    h=row_height,
                    empty=EMPTY_FILL,
                    grid=MUTED_COLOUR,
                    tx=_n(plot_left + 6),
                    ty=_n(middle),
                    muted=MUTED_COLOUR,
                    shown=shown,
                )
            )
            continue
        value = max(0.0, min(100.0, bar.value))
        bar_width = plot_width * value / 100
        text = percent(bar.value) + (f" {bar.note}" if bar.note else "")
        summary_items.append(f"{bar.label}: {text}")
        parts.append(
            format_html(
                '<g class="ez-bar">{label}'
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}"/>'
                '<text x="{tx}" y="{ty}">{text}</text></g>',
                label=label,
                x=_n(plot_left),
                y=_n(y),
                w=_n(bar_width),
                h=row_height,
                colour=BAR_COLOUR,
                tx=_n(plot_left + bar_width + 6),
                ty=_n(middle),
                text=text,
            )
        )
    summary = f"{title}. " + "; ".join(summary_items) if summary_items else title
    return _svg(width=width, height=height, title=title, summary=summary, body=_join(parts))


def breakdown_chart(breakdown: Breakdown, *, limit: int | None = None) -> SafeString:
    """Satisfied share (4–5 on the overall questions) per row of a breakdown."""
    rows = breakdown.rows if limit is None else breakdown.rows[:limit]
    bars = [
        Bar(
            label=row.label,
            value=row.satisfied_share,
            suppressed=row.suppressed,
        )
        for row in rows
    ]
    title = _("%(title)s: share satisfied (4–5)") % {"title": breakdown.title}
    return bar_chart(title=title, bars=bars)


def _segment_colours(question: QuestionStats) -> Sequence[str]:
    if question.kind == "likert":
        return LIKERT_COLOURS
    if question.kind == "recommend":
        return SCALE_11_COLOURS
    return CATEGORY_COLOURS


def distribution_chart(question: QuestionStats, *, width: int = CHART_WIDTH) -> SafeString:
    """One question's answers as a 100%-stacked bar with a legend, shares of 5% or more
    printed inside their segment. A multiple-choice question (several answers per person,
    shares adding up to more than 100%) gets one bar per answer instead."""
    title = question.text
    if question.suppressed:
        return bar_chart(
            title=title, bars=[Bar(label=_("All answers"), value=None, suppressed=True)]
        )
    if question.kind == "multiple":
        bars = [Bar(label=d.label, value=d.share) for d in question.distribution]
        return bar_chart(title=title, bars=bars, width=width)

    colours = _segment_colours(question)
    bar_top, bar_height, left, right = 4, 36, 2, 2
    plot_width = width - left - right
    parts = []
    x = float(left)
    summary_items = []
    for item, colour in zip(question.distribution, itertools.cycle(colours), strict=False):
        if item.count == 0:
            continue
        segment = plot_width * item.share / 100
        summary_items.append(f"{item.label}: {percent(item.share)} ({item.count})")
        text = ""
        if item.share >= MIN_PRINTED_SHARE:
            text = format_html(
                '<text x="{x}" y="{y}" text-anchor="middle" fill="{ink}" font-size="13">'
                "{value}</text>",
                x=_n(x + segment / 2),
                y=_n(bar_top + bar_height / 2 + 4.5),
                ink=_contrasting_text(colour),
                # Whole percentages fit thin segments; the table beside has the decimals.
                value=f"{number_format(round(item.share), decimal_pos=0)}%",
            )
        parts.append(
            format_html(
                '<g class="ez-segment"><rect x="{x}" y="{y}" width="{w}" height="{h}" '
                'fill="{colour}" stroke="#ffffff" stroke-width="1"/>{text}</g>',
                x=_n(x),
                y=bar_top,
                w=_n(segment),
                h=bar_height,
                colour=colour,
                text=text,
            )
        )
        x += segment
    if not summary_items:
        parts.append(
            format_html(
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{empty}" stroke="{grid}" '
                'stroke-dasharray="4 3"/><text x="{tx}" y="{ty}" fill="{muted}">{text}</text>',
                x=left,
                y=bar_top,
                w=_n(plot_width),
                h=bar_height,
                empty=EMPTY_FILL,
                grid=MUTED_COLOUR,
                tx=left + 6,
                ty=_n(bar_top + bar_height / 2 + 4.5),
                muted=MUTED_COLOUR,
                text=_("no answers"),
            )
        )

    # Legend: swatch + label, flowing onto as many lines as needed.
    legend_top = bar_top + bar_height + 12
    line_height, swatch = 22, 13
    lx, ly = float(left), float(legend_top)
    for item, colour in zip(question.distribution, itertools.cycle(colours), strict=False):
        label = shorten(item.label, plot_width * 0.8, 13)
        item_width = swatch + 6 + text_width(label, 13) + 16
        if lx > left and lx + item_width > width:
            lx, ly = float(left), ly + line_height
        parts.append(
            format_html(
                '<g class="ez-legend"><rect x="{x}" y="{y}" width="{s}" height="{s}" '
                'fill="{colour}" stroke="{grid}" stroke-width="0.5"/>'
                '<text x="{tx}" y="{ty}" font-size="13">{label}</text></g>',
                x=_n(lx),
                y=_n(ly),
                s=swatch,
                colour=colour,
                grid=MUTED_COLOUR,
                tx=_n(lx + swatch + 5),
                ty=_n(ly + swatch - 1),
                label=label,
            )
        )
        lx += item_width
    height = ly + line_height
    summary = f"{title}. " + "; ".join(summary_items) if summary_items else title
    return _svg(width=width, height=height, title=title, summary=summary, body=_join(parts))


def trend_chart(points: Sequence[TrendPoint], *, width: int = CHART_WIDTH) -> SafeString:
    """Satisfied share per term as a line with labelled points, oldest term on the left; the
    number of responses is printed under each term. Terms without figures (or suppressed:
    "fewer than 10") break the line."""
    title = _("Satisfied (4–5) by term")
    top, bottom, left, right = 24, 50, 40, 20
    height = 230
    plot_height = height - top - bottom
    plot_width = width - left - right
    parts = []
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_height * (1 - tick / 100)
        parts.append(
            format_html(
                '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{grid}" stroke-width="1"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end" font-size="12" fill="{muted}">'
                "{tick}%</text>",
                x1=left,
                x2=_n(left + plot_width),
                y=_n(y),
                grid=GRID_COLOUR,
                tx=left - 6,
                ty=_n(y + 4),
                muted=MUTED_COLOUR,
                tick=tick,
            )
        )
    count = len(points)
    step = plot_width / count if count else plot_width
    coordinates: list[tuple[float, float] | None] = []
    summary_items = []
    for index, point in enumerate(points):
        x = left + step * (index + 0.5)
        count_text = fewer_than_label() if point.suppressed else f"n={point.responses or 0}"
        parts.append(
            format_html(
                '<text x="{x}" y="{y1}" text-anchor="middle" font-size="13">{label}</text>'
                '<text x="{x}" y="{y2}" text-anchor="middle" font-size="12" fill="{muted}">'
                "{n}</text>",
                x=_n(x),
                y1=_n(height - bottom + 18),
                y2=_n(height - bottom + 34),
                label=shorten(point.label, step - 4, 13),
                muted=MUTED_COLOUR,
                n=shorten(count_text, step - 4, 12),
            )
        )
        if point.suppressed or point.satisfied_share is None:
            coordinates.append(None)
            summary_items.append(
                f"{point.label}: {fewer_than_label() if point.suppressed else '–'}"
            )
            continue
        y = top + plot_height * (1 - max(0.0, min(100.0, point.satisfied_share)) / 100)
        coordinates.append((x, y))
        summary_items.append(f"{point.label}: {percent(point.satisfied_share)}")
    # The line, broken where a term has no figure.
    for _key, run in itertools.groupby(coordinates, key=lambda c: c is None):
        segment = [c for c in run if c is not None]
        if len(segment) > 1:
            parts.append(
                format_html(
                    '<polyline points="{points}" fill="none" stroke="{colour}" '
                    'stroke-width="2.5"/>',
                    points=" ".join(f"{_n(x)},{_n(y)}" for x, y in segment),
                    colour=BAR_COLOUR,
                )
            )
    for point, coordinate in zip(points, coordinates, strict=True):
        if coordinate is None:
            continue
        x, y = coordinate
        parts.append(
            format_html(
                '<g class="ez-point"><circle cx="{x}" cy="{y}" r="4.5" fill="{colour}"/>'
                '<text x="{x}" y="{ty}" text-anchor="middle" font-size="13">{value}</text></g>',
                x=_n(x),
                y=_n(y),
                ty=_n(y - 9),
                colour=BAR_COLOUR,
                value=percent(point.satisfied_share),
            )
        )
    if not points:
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" fill="{muted}">{text}</text>',
                x=left + 8,
                y=_n(top + plot_height / 2),
                muted=MUTED_COLOUR,
                text=_("No responses yet."),
            )
        )
    summary = f"{title}. " + "; ".join(summary_items) if summary_items else title
    return _svg(width=width, height=height, title=title, summary=summary, body=_join(parts))


__all__ = [
    "Bar",
    "bar_chart",
    "breakdown_chart",
    "distribution_chart",
    "fewer_than_label",
    "percent",
    "trend_chart",
]
