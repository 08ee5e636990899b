"""The satisfaction reports in the Wagtail admin: the dashboard, its CSV / XLSX exports and the
PDF report for council meetings, plus the small panel on the admin home.

Views are thin. Who sees what is decided by the report selectors (instructors get their own
courses only, small demographic cells come back suppressed); this module turns a
`SurveyReport` into what people read: cards, charts with their tables, sheets and a PDF.
A suppressed figure is shown as "fewer than 10" everywhere, never as a number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from weasyprint import HTML

from courses.roles import user_is_administrator
from enrollment.exports import csv_bytes, xlsx_bytes
from enrollment.selectors import small_cell_threshold
from enrollment.slips import font_configuration

from . import report_selectors as selectors
from .charts import breakdown_chart, distribution_chart, fewer_than_label, percent, trend_chart
from .models import Question, Response
from .report_forms import ReportFilterForm
from .report_selectors import Breakdown, BreakdownRow, CommentPage, ReportFilters, SurveyReport

NAMESPACE = "survey_reports"
TEXT = Question.Kind.TEXT
# The course breakdown can be long: the dashboard shows the first rows, "show all" the rest.
COURSE_ROWS_SHOWN = 20
COMMENTS_PER_PAGE = 20
PDF_COMMENTS = 50
# Exports carry every comment up to this many (a term has a few thousand at most).
EXPORT_COMMENTS = 10_000
# Query parameters that are not filters: kept out of export links and file names.
NOT_FILTERS = ("q", "page", "all_courses")
# Breakdown dimension → the filter a row links to (drill down).
DRILL_DOWN = {
    "course": "course",
    "instructor": "instructor",
    "district": "district",
    "category": "category",
    "target_group": "target_group",
}
# The key of the "not set" row (courses without a term, venue, topic or instructor).
NO_GROUP = "none"
# How long the admin home panel's figures are reused (per user and language).
HOME_PANEL_CACHE_SECONDS = 300
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(name: str) -> str:
    return reverse(f"{NAMESPACE}:{name}")


# --- What the screens and exports show -----------------------------------------------------


def _number(value: int | None, *, suppressed: bool = False) -> str:
    if suppressed:
        return fewer_than_label()
    return "–" if value is None else formats.number_format(value, force_grouping=True)


def _mean(value: float | None) -> str:
    return "–" if value is None else formats.number_format(value, decimal_pos=2)


def _share(value: float | None, *, suppressed: bool = False) -> str:
    return fewer_than_label() if suppressed else percent(value)


def paper_share(report: SurveyReport) -> float | None:
    """Share of responses keyed in from paper forms, 0–100."""
    if report.suppressed or not report.responses or report.paper_responses is None:
        return None
    return round(100 * report.paper_responses / report.responses, 1)


@dataclass
class Card:
    label: str
    value: str
    note: str = ""


def headline_cards(report: SurveyReport) -> list[Card]:
    hidden = report.suppressed
    one_group = bool(report.filters.target_group)
    invited = (
        ""
        if hidden or report.invited is None
        else _("of %(n)s invited") % {"n": _number(report.invited)}
    )
    if not hidden and one_group:
        # Invitations are not counted per group, so there is no rate for one group.
        rate = Card(_("Response rate"), "–", _("not counted for one target group"))
    else:
        rate = Card(
            _("Response rate"),
            _share(report.response_rate, suppressed=hidden),
            _("answered of those invited"),
        )
    # With a target group, a paper count under the threshold comes back hidden (None).
    paper_hidden = hidden or (one_group and report.paper_responses is None)
    return [
        Card(_("Responses"), _number(report.responses, suppressed=hidden), invited),
        rate,
        Card(
            _("Overall satisfaction"),
            _share(report.satisfied_share, suppressed=hidden),
            _("answered 4 or 5 on the overall questions"),
        ),
        Card(
            _("Mean"),
            fewer_than_label() if hidden else _mean(report.overall_mean),
            _("overall questions, 1–5"),
        ),
        Card(
            _("Paper forms"),
            _share(paper_share(report), suppressed=paper_hidden),
            ""
            if paper_hidden or report.paper_responses is None
            else _("%(n)s keyed in by staff") % {"n": _number(report.paper_responses)},
        ),
    ]


def row_heading(breakdown: Breakdown) -> str:
    """The first column's heading of a breakdown table: what one row is."""
    labels = {
        "course": _("Course"),
        "instructor": _("Instructor"),
        "district": _("District"),
        "category": _("Topic"),
        "target_group": _("Target group"),
    }
    return labels.get(breakdown.dimension, breakdown.title)


@dataclass
class RowView:
    row: BreakdownRow
    link: str = ""

    @property
    def responses(self) -> str:
        return _number(self.row.responses, suppressed=self.row.suppressed)

    @property
    def response_rate(self) -> str:
        if self.row.suppressed:
            return fewer_than_label()
        return percent(self.row.response_rate) if self.row.invited is not None else "–"

    @property
    def satisfied(self) -> str:
        return _share(self.row.satisfied_share, suppressed=self.row.suppressed)

    @property
    def mean(self) -> str:
        return fewer_than_label() if self.row.suppressed else _mean(self.row.mean)


@dataclass
class BreakdownView:
    breakdown: Breakdown
    rows: list[RowView]
    chart: SafeString
    hidden_rows: int = 0  # rows not shown (courses beyond the first 20)
    show_all_link: str = ""
    has_rates: bool = False  # target groups have no invitations, so no response rate

    @property
    def column_label(self) -> str:
        return row_heading(self.breakdown)


@dataclass
class ReportView:
    """A SurveyReport with everything a screen or the PDF draws from it."""

    report: SurveyReport
    cards: list[Card]
    questions: list[tuple[Any, SafeString]]
    trend_chart: SafeString
    breakdowns: list[BreakdownView] = field(default_factory=list)


def report_view(
    report: SurveyReport,
    *,
    course_limit: int | None = None,
    link_for: Any = None,
    show_all_link: str = "",
) -> ReportView:
    """Charts and display values for `report`. `link_for(dimension, key)` gives a row's drill
    down link (or ""); `course_limit` cuts the course breakdown for the screen."""
    breakdowns = []
    for breakdown in report.breakdowns:
        rows = breakdown.rows
        hidden = 0
        if breakdown.dimension == "course" and course_limit and len(rows) > course_limit:
            hidden, rows = len(rows) - course_limit, rows[:course_limit]
        shown = Breakdown(
            dimension=breakdown.dimension,
            title=breakdown.title,
            demographic=breakdown.demographic,
            rows=rows,
        )
        breakdowns.append(
            BreakdownView(
                breakdown=breakdown,
                rows=[
                    RowView(
                        row=row,
                        link=""
                        if row.suppressed or link_for is None or row.key == NO_GROUP
                        else link_for(breakdown.dimension, row.key),
                    )
                    for row in rows
                ],
                chart=breakdown_chart(shown),
                hidden_rows=hidden,
                show_all_link=show_all_link if hidden else "",
                has_rates=any(row.invited is not None for row in breakdown.rows),
            )
        )
    return ReportView(
        report=report,
        cards=headline_cards(report),
        # Free-text questions have no chart: their answers are the comments.
        questions=[
            (question, "" if question.kind == TEXT else distribution_chart(question))
            for question in report.questions
        ],
        trend_chart=trend_chart(report.trend),
        breakdowns=breakdowns,
    )


def as_of_text(report: SurveyReport) -> str:
    moment = report.as_of or timezone.now()
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# --- Exports --------------------------------------------------------------------------------


def _cell_share(value: float | None, suppressed: bool) -> object:
    """A share for a spreadsheet: a number, "fewer than 10", or empty."""
    if suppressed:
        return fewer_than_label()
    return value


def _cell_count(value: int | None, suppressed: bool) -> object:
    return fewer_than_label() if suppressed else value


Sheet = tuple[str, list[str], list[list[object]]]


def report_sheets(
    *, report: SurveyReport, comments: CommentPage, applied: Sequence[tuple[str, str]]
) -> list[Sheet]:
    """The report as tables: summary, questions, trend, one per breakdown, comments. The same
    tables make the XLSX (one sheet each) and the CSV (one after the other)."""
    hidden = report.suppressed
    summary_rows: list[list[object]] = [
        [_("Figures as of"), as_of_text(report)],
        [_("Filters"), "; ".join(f"{label}: {value}" for label, value in applied) or _("None")],
        [_("Responses"), _cell_count(report.responses, hidden)],
        [_("Invited"), _cell_count(report.invited, hidden)],
        [_("Response rate %"), _cell_share(report.response_rate, hidden)],
        [_("Overall satisfaction (4–5) %"), _cell_share(report.satisfied_share, hidden)],
        [_("Mean of the overall questions (1–5)"), _cell_share(report.overall_mean, hidden)],
        [_("Paper forms"), _cell_count(report.paper_responses, hidden)],
        [_("Paper forms %"), _cell_share(paper_share(report), hidden)],
    ]
    sheets: list[Sheet] = [(_("Summary"), [_("Measure"), _("Value")], summary_rows)]

    question_rows: list[list[object]] = []
    for question in report.questions:
        head = [
            question.text,
            _topic_label(question.topic),
            _cell_count(question.answers, question.suppressed),
            _cell_share(question.mean, question.suppressed),
            _cell_share(question.satisfied_share, question.suppressed),
        ]
        if question.suppressed or not question.distribution:
            question_rows.append([*head, "", "", ""])
            continue
        for item in question.distribution:
            question_rows.append([*head, item.label, item.count, item.share])
    sheets.append(
        (
            _("Questions"),
            [
                _("Question"),
                _("Topic"),
                _("Answers"),
                _("Mean"),
                _("Satisfied (4–5) %"),
                _("Answer"),
                _("Count"),
                _("Share %"),
            ],
            question_rows,
        )
    )
    sheets.append(
        (
            _("Trend"),
            [_("Term"), _("Responses"), _("Satisfied (4–5) %"), _("Mean")],
            [
                [
                    p.label,
                    _cell_count(p.responses, p.suppressed),
                    _cell_share(p.satisfied_share, p.suppressed),
                    _cell_share(p.mean, p.suppressed),
                ]
                for p in report.trend
            ],
        )
    )
    for breakdown in report.breakdowns:
        rows = [
            [
                row.label,
                _cell_count(row.responses, row.suppressed),
                _cell_count(row.invited, row.suppressed),
                _cell_share(row.response_rate, row.suppressed),
                _cell_share(row.satisfied_share, row.suppressed),
                _cell_share(row.mean, row.suppressed),
            ]
            for row in breakdown.rows
        ]
        sheets.append(
            (
                str(breakdown.title),
                [
                    row_heading(breakdown),
                    _("Responses"),
                    _("Invited"),
                    _("Response rate %"),
                    _("Satisfied (4–5) %"),
                    _("Mean"),
                ],
                rows,
            )
        )
    sheets.append(
        (
            _("Comments"),
            [_("Comment"), _("Course"), _("Term"), _("Date"), _("Answered")],
            [
                [c.text, c.course_title, c.term, c.submitted_on.isoformat(), _channel(c.channel)]
                for c in comments.comments
            ],
        )
    )
    return [
        (_sheet_title(title, index), header, rows)
        for index, (title, header, rows) in enumerate(sheets)
    ]


def _topic_label(topic: str) -> str:
    try:
        return str(Question.Topic(topic).label)
    except ValueError:
        return topic


def _channel(channel: str) -> str:
    return _("Paper form") if channel == "paper" else _("Online")


def _sheet_title(title: str, index: int) -> str:
    """Excel refuses []:*?/\\ in sheet names and more than 31 characters."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip() or f"{index + 1}"
    return cleaned[:31]


def report_csv(sheets: Sequence[Sheet], *, title: str) -> bytes:
    """The tables one after another, each under its own title and header, a blank line
    between: readable in a spreadsheet, and every cell neutralised by `csv_bytes`."""
    rows: list[Sequence[object]] = []
    for sheet_title, header, sheet_rows in sheets:
        rows.extend([[], [sheet_title], header, *sheet_rows])
    return csv_bytes(header=[title], rows=rows)


def report_pdf(
    *,
    view: ReportView,
    comments: CommentPage,
    applied: Sequence[tuple[str, str]],
    generated_at: datetime,
) -> bytes:
    """The council-meeting report: A4 portrait, a cover with the filters, the headline figures,
    every chart beside its table, the first comments and a note on privacy."""
    html = render_to_string(
        "surveys/pdf/report.html",
        {
            "language": translation.get_language(),
            "view": view,
            "report": view.report,
            "comments": comments.comments[:PDF_COMMENTS],
            "comments_total": comments.total,
            "more_comments": comments.has_next or len(comments.comments) > PDF_COMMENTS,
            "applied": applied,
            "as_of": as_of_text(view.report),
            "generated_on": formats.date_format(timezone.localtime(generated_at), "DATE_FORMAT"),
            "threshold": small_cell_threshold(),
            "privacy_note": css_string(
                _(
                    "Anonymous figures: groups with fewer than %(n)s answers are not shown. "
                    "Comments are reproduced without names."
                )
                % {"n": small_cell_threshold()}
            ),
        },
    )
    # Everything is inline (charts are SVG, styles in the page); fonts are the system's.
    return HTML(string=html).write_pdf(font_config=font_configuration())


def css_string(text: str) -> SafeString:
    """`text` as a quoted CSS string, safe inside a <style> element (for the PDF's footer)."""
    escaped = "".join(
        char if char.isalnum() or char in " .,:;()–-%" else f"\\{ord(char):x} " for char in text
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 — every other character is escaped above


def export_filename(filters: ReportFilters, *, extension: str) -> str:
    """satisfaction-2026-05-01-term-3-banqiao-seniors.xlsx: ASCII only, for every browser."""
    parts = ["satisfaction", timezone.localdate().isoformat()]
    if filters.term:
        parts.append(f"term-{filters.term}")
    if filters.date_from:
        parts.append(f"from-{filters.date_from.isoformat()}")
    if filters.date_to:
        parts.append(f"to-{filters.date_to.isoformat()}")
    parts.extend(v for v in (filters.district, filters.category, filters.target_group) if v)
    if filters.instructor:
        parts.append(f"instructor-{filters.instructor}")
    if filters.course:
        parts.append(f"course-{filters.course}")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(parts)).strip("-")
    return f"{name}.{extension}"


# --- Views ----------------------------------------------------------------------------------


class ReportAccessMixin:
    """Administrators and instructors only (Wagtail has already refused users without admin
    access); what each sees is narrowed by the selectors."""

    def dispatch(self, request, *args, **kwargs):
        if not selectors.user_can_read_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def form(self) -> ReportFilterForm:
        user = self.request.user
        return ReportFilterForm(
            self.request.GET,
            options=selectors.report_filter_options(user=user),
            courses=selectors.reportable_courses(user=user),
            show_instructor=user_is_administrator(user),
        )

    def filter_query(self, **changes: str) -> str:
        """The current filters as a query string (without search and paging), with changes
        (an empty value removes the filter)."""
        query = QueryDict(mutable=True)
        for key, values in self.request.GET.lists():
            if key not in NOT_FILTERS and key in self.form.fields:
                query.setlist(key, [v for v in values if v])
        for key, value in changes.items():
            if value:
                query[key] = value
            else:
                query.pop(key, None)
        return query.urlencode()


class SatisfactionReportView(ReportAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Satisfaction reports")
    header_icon = "form"
    template_name = "surveys/admin/report.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            filter_fields=[self.form[name] for name in self.form.fields if name != "course"],
            threshold=small_cell_threshold(),
            query=self.search_query,
        )
        if not self.form.is_valid():
            # Bad filters: the errors show at their fields and nothing is computed.
            return context
        filters = self.form.to_filters()
        user = self.request.user
        report = selectors.survey_report(user=user, filters=filters)
        show_all = self.request.GET.get("all_courses") == "1"
        comments, page_note = self.comment_page(filters)
        base = self.filter_query()
        context.update(
            report=report,
            view=report_view(
                report,
                course_limit=None if show_all else COURSE_ROWS_SHOWN,
                link_for=self.drill_down_link,
                show_all_link=f"?{base}{'&' if base else ''}all_courses=1#breakdown-course",
            ),
            as_of=as_of_text(report),
            comments=comments,
            page_note=page_note,
            pages=self.page_links(comments),
            export_query=f"?{base}" if base else "",
            course_filter=self.form.cleaned_data.get("course"),
            clear_course_link=f"?{self.filter_query(course='')}",
        )
        return context

    @property
    def search_query(self) -> str:
        return self.request.GET.get("q", "").strip()[:100]

    def drill_down_link(self, dimension: str, key: str) -> str:
        param = DRILL_DOWN.get(dimension)
        if not param or param not in self.form.fields:
            return ""
        return f"?{self.filter_query(**{param: key})}"

    def comment_page(self, filters: ReportFilters) -> tuple[CommentPage, str]:
        """The requested page of comments. A page past the end shows the last one, with a
        note; a page that is not a number shows the first."""
        try:
            number = max(int(self.request.GET.get("page", "1")), 1)
        except ValueError:
            number = 1
        user, search = self.request.user, self.search_query
        page = selectors.survey_comments(
            user=user, filters=filters, search=search, page=number, per_page=COMMENTS_PER_PAGE
        )
        if page.comments or number == 1:
            return page, ""
        last = 1
        if page.total:
            last = max(math.ceil(page.total / COMMENTS_PER_PAGE), 1)
        page = selectors.survey_comments(
            user=user, filters=filters, search=search, page=last, per_page=COMMENTS_PER_PAGE
        )
        note = _("There is no page %(asked)s of comments; this is the last page, %(last)s.") % {
            "asked": number,
            "last": page.page,
        }
        return page, note

    def page_links(self, comments: CommentPage) -> dict[str, str]:
        def link(number: int) -> str:
            query = self.filter_query(page=str(number))
            if self.search_query:
                query += "&" + urlencode({"q": self.search_query})
            return f"?{query}#comments"

        return {
            "previous": link(comments.page - 1) if comments.page > 1 else "",
            "next": link(comments.page + 1) if comments.has_next else "",
            "last_page": str(math.ceil(comments.total / COMMENTS_PER_PAGE))
            if comments.total
            else "",
        }


class ReportExportView(ReportAccessMixin, View):
    """…/export.csv, …/export.xlsx and …/report.pdf: the dashboard's filters, as files."""

    kind = "csv"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.form.is_valid():
            # Back to the dashboard, which shows what is wrong with the filters.
            return HttpResponseRedirect(f"{url('index')}?{request.GET.urlencode()}")
        filters = self.form.to_filters()
        report = selectors.survey_report(user=request.user, filters=filters)
        applied = self.form.applied()
        if self.kind == "pdf":
            comments = selectors.survey_comments(
                user=request.user, filters=filters, page=1, per_page=PDF_COMMENTS
            )
            content = report_pdf(
                view=report_view(report),
                comments=comments,
                applied=applied,
                generated_at=timezone.now(),
            )
            response = HttpResponse(content, content_type="application/pdf")
        else:
            comments = selectors.survey_comments(
                user=request.user, filters=filters, page=1, per_page=EXPORT_COMMENTS
            )
            sheets = report_sheets(report=report, comments=comments, applied=applied)
            if self.kind == "xlsx":
                response = HttpResponse(xlsx_bytes(sheets=sheets), content_type=XLSX_TYPE)
            else:
                title = _("Satisfaction report")
                response = HttpResponse(
                    report_csv(sheets, title=title), content_type="text/csv; charset=utf-8"
                )
        name = export_filename(filters, extension=self.kind)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# --- The admin home panel -------------------------------------------------------------------


class SatisfactionHomePanel(Component):
    """The latest term's responses, response rate and satisfaction, with a link to the
    dashboard. Administrators see every course; instructors their own."""

    name = "satisfaction_report"
    template_name = "surveys/admin/report_home_panel.html"
    order = 150

    class Media:
        css = {"all": ["surveys/report.css"]}

    def __init__(self, figures: dict[str, str]) -> None:
        self.figures = figures

    def get_context_data(self, parent_context: Any = None) -> dict[str, str]:
        return self.figures


def home_panel_figures(*, user) -> dict[str, str] | None:
    """What the home panel shows (display strings), or None when no course in the user's
    reach has answers. One query finds the latest term with answers, then the report of that
    term (a fixed number of queries, whatever the number of responses)."""
    latest = (
        selectors.reportable_courses(user=user)
        .filter(term__isnull=False)
        .filter(Exists(Response.objects.filter(course=OuterRef("pk"))))
        .order_by("-term__starts_on", "-term_id")
        .first()
    )
    if latest is None:
        return None
    report = selectors.survey_report(user=user, filters=ReportFilters(term=latest.term_id))
    hidden = report.suppressed
    return {
        "term_label": latest.term.display_name,
        "responses": _number(report.responses, suppressed=hidden),
        "response_rate": _share(report.response_rate, suppressed=hidden),
        "satisfied": _share(report.satisfied_share, suppressed=hidden),
        "report_url": f"{url('index')}?{urlencode({'term': latest.term_id})}",
    }


def home_panel(request: HttpRequest) -> SatisfactionHomePanel | None:
    """The panel for this user, or None (not a report reader, or no answers yet). The admin
    home is everyone's first page: the figures are kept for a few minutes per user and
    language, so coming back to it costs no report queries."""
    user = request.user
    if not selectors.user_can_read_reports(user):
        return None
    key = f"surveys:home-panel:{user.pk}:{translation.get_language()}"
    figures = cache.get(key)
    if figures is None:
        figures = home_panel_figures(user=user) or {}
        cache.set(key, figures, HOME_PANEL_CACHE_SECONDS)
    return SatisfactionHomePanel(figures) if figures else None
