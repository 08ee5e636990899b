"""Reads for the satisfaction reports: the dashboard, its exports and the admin home panel.

Every figure is aggregated by the database (from the `ResponseSummary` rows refreshed by
Celery, see `surveys.services`), never by looping over responses in Python. Who may see what
is decided here: instructors only ever get their own courses. Small demographic cells are
suppressed in one place (`suppress_small_cells`), used by screens and exports alike.

The dashboard costs a fixed number of queries whatever the number of responses: one grouped
query per table over the summary tables (a few rows per course, question and answer value),
joined to the course for its term, venue district, topic and instructor. How the summary is
kept up to date, and what is suppressed when, is written up in docs/surveys.md ("Reports:
data").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import Category, CoursePage, CourseSession, District, TargetGroup, Term
from courses.people import person_name
from courses.roles import user_is_administrator, user_is_instructor
from enrollment.selectors import Suppression, suppress_small_cells

from .models import (
    AUDIENCE_FLAGS,
    Answer,
    AnswerSummary,
    Audience,
    CourseSummary,
    Invitation,
    Question,
    QuestionSummary,
    Response,
    ResponseSummary,
)

User = AbstractBaseUser | AnonymousUser

# Target groups the reports break down by and filter on, from the respondent's snapshot on
# the Response (senior / indigenous / new_immigrant booleans). Keys are TargetGroup.Code values.
TARGET_GROUPS = ("seniors", "indigenous", "new_immigrants")

# Breakdown dimensions, in the order the dashboard shows them.
DIMENSIONS = ("course", "instructor", "district", "category", "target_group")

# Counting every comment that contains a search would read all of them; up to this many are
# counted, beyond it CommentPage.total is None ("more than COMMENTS_COUNT_LIMIT"). Without a
# search the total comes from the report summary instead (see survey_comments).
COMMENTS_COUNT_LIMIT = 1000

Kind = Question.Kind
Topic = Question.Topic


@dataclass(frozen=True)
class ReportFilters:
    """What the dashboard is narrowed to. Empty values mean "all".

    `district` is the venue's district (slug), `category` the course topic (slug),
    `instructor` a user pk, `target_group` one of TARGET_GROUPS (respondents in that group),
    `date_from`/`date_to` select courses whose first session falls in the range (inclusive).
    """

    term: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    district: str = ""
    category: str = ""
    instructor: int | None = None
    target_group: str = ""
    course: int | None = None


@dataclass
class Distribution:
    """One answer value of a question: its label (e.g. "5 Very satisfied", "9", "Facebook"),
    how many gave it and their share of the question's answers (0–100, one decimal). For
    multiple choice the share is of the respondents who answered, so shares add up to more
    than 100."""

    value: int
    label: str
    count: int
    share: float


@dataclass
class QuestionStats:
    """One question (grouped across surveys by the question itself, not by topic)."""

    question_id: int
    text: str  # in the active language
    topic: str
    kind: str
    # How many responses answered it (multiple choice: respondents, not ticks); None when
    # suppressed (a target-group filter and fewer respondents than the threshold).
    answers: int | None
    mean: float | None  # 1–5 or 0–10 scales only, two decimals
    satisfied_share: float | None  # Likert only: share of 4–5 answers, 0–100, one decimal
    distribution: list[Distribution] = field(default_factory=list)
    suppressed: bool = False


@dataclass
class BreakdownRow:
    key: str  # a stable key (pk, slug or code) for links and exports; "none" for "not set"
    label: str
    responses: int | None  # None when suppressed
    satisfied_share: float | None  # share of 4–5 on the "overall" questions, 0–100
    mean: float | None  # mean of the "overall" questions, 1–5
    invited: int | None = None  # None where not meaningful (target groups) or suppressed
    response_rate: float | None = None
    suppressed: bool = False


@dataclass
class Breakdown:
    dimension: str  # one of DIMENSIONS
    title: str
    demographic: bool  # True: rows are subject to small-cell suppression
    rows: list[BreakdownRow] = field(default_factory=list)


@dataclass
class TrendPoint:
    term_id: int | None  # None: courses without a term (last)
    label: str  # the term's name
    responses: int | None  # None when suppressed (only with a target-group filter)
    satisfied_share: float | None
    mean: float | None
    suppressed: bool = False


@dataclass
class SurveyReport:
    filters: ReportFilters
    invited: int | None  # invitations sent for the filtered courses (None if suppressed)
    responses: int | None  # None if suppressed (a target-group filter with too few respondents)
    response_rate: float | None  # 0–100, one decimal
    satisfied_share: float | None  # overall satisfaction: share of 4–5 on "overall" questions
    overall_mean: float | None
    paper_responses: int | None
    questions: list[QuestionStats] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    suppressed: bool = False  # the whole filtered population is a small demographic cell
    as_of: datetime | None = None  # when the summary rows were last refreshed


@dataclass
class Comment:
    text: str
    course_title: str
    term: str
    submitted_on: date
    channel: str  # "online" or "paper"


@dataclass
class CommentPage:
    comments: list[Comment]
    page: int
    has_next: bool
    total: int | None  # None when the count would be costly or reveal a small cell


# --- who may read what ----------------------------------------------------------------------


def user_can_read_reports(user: User) -> bool:
    """Administrators read every course's report; instructors their own courses'."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user_is_administrator(user) or user_is_instructor(user)


def _instructor_scope(user: User) -> tuple[bool, Q | None]:
    """(allowed, condition on CoursePage): None for every course, else the user's own."""
    if not user.is_authenticated or not user.is_active:
        return False, None
    if user_is_administrator(user):
        return True, None
    if user_is_instructor(user):
        return True, Q(instructor=user)
    return False, None


def reportable_courses(*, user: User) -> QuerySet[CoursePage]:
    """The courses whose reports the user may read: every course for administrators, their
    own for instructors, none for anyone else. Newest term first."""
    allowed, own = _instructor_scope(user)
    if not allowed:
        return CoursePage.objects.none()
    courses = CoursePage.objects.all()
    if own is not None:
        courses = courses.filter(own)
    return courses.select_related("term").order_by(
        F("term__starts_on").desc(nulls_last=True), "title", "pk"
    )


def report_filter_options(*, user: User) -> dict[str, Any]:
    """Choices for the filter form, limited to what the user may see: terms (newest first),
    districts of the venues (in the city's order), topics (in their set order), instructors
    (administrators only; by name) and target groups (code, label)."""
    courses = reportable_courses(user=user).order_by().values("pk")
    user_model = get_user_model()
    instructors = user_model.objects.none()
    if user_is_administrator(user):
        instructors = (
            user_model.objects.filter(courses_taught__isnull=False)
            .distinct()
            .order_by("last_name", "first_name", user_model.USERNAME_FIELD)
        )
    labels = dict(TargetGroup.Code.choices)
    return {
        "terms": Term.objects.filter(courses__in=courses).distinct().order_by("-starts_on"),
        "districts": District.objects.filter(venues__courses__in=courses)
        .distinct()
        .order_by("sort_order", "name"),
        "categories": Category.objects.filter(courses__in=courses)
        .distinct()
        .order_by("sort_order", "name"),
        "instructors": instructors,
        "target_groups": [(code, str(labels[code])) for code in TARGET_GROUPS],
    }


# --- the dashboard --------------------------------------------------------------------------


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class _Scope:
    """The courses a report covers: the user's reach (every course, or an instructor's own)
    narrowed by the filters. Role checks run once, when it is made."""

    filters: ReportFilters
    allowed: bool
    own: Q | None  # on CoursePage; None: every course

    @classmethod
    def of(cls, user: User, filters: ReportFilters) -> _Scope:
        allowed, own = _instructor_scope(user)
        return cls(filters=filters, allowed=allowed, own=own)

    def at(self, prefix: str) -> Q:
        """As a condition on rows that reach the course through `prefix` ("course__")."""
        if not self.allowed:
            return Q(pk__in=[])
        condition = _course_condition(self.filters, prefix)
        if self.own is not None:
            condition &= Q(**{f"{prefix}{lookup}": value for lookup, value in self.own.children})
        return condition


def _course_condition(filters: ReportFilters, prefix: str) -> Q:
    """The filters as a condition on rows that reach the course through `prefix`."""
    p = prefix
    condition = Q()
    if filters.course:
        condition &= Q(**{f"{p}pk": filters.course})
    if filters.term:
        condition &= Q(**{f"{p}term_id": filters.term})
    if filters.district:
        condition &= Q(**{f"{p}venue__district__slug": filters.district})
    if filters.category:
        condition &= Q(**{f"{p}category__slug": filters.category})
    if filters.instructor:
        condition &= Q(**{f"{p}instructor_id": filters.instructor})
    if filters.date_from or filters.date_to:
        # The course's first session, as a subquery: one statement however many courses.
        first = CourseSession.objects.values("page").annotate(first=Min("start"))
        if filters.date_from:
            first = first.filter(first__gte=_local_midnight(filters.date_from))
        if filters.date_to:
            first = first.filter(first__lt=_local_midnight(filters.date_to + timedelta(days=1)))
        condition &= Q(**{f"{p}pk__in": first.values("page")})
    return condition


def _audience(filters: ReportFilters) -> str:
    if not filters.target_group:
        return Audience.ALL
    if filters.target_group not in TARGET_GROUPS:
        raise ValueError(f"Unknown target group {filters.target_group!r}.")
    return filters.target_group


def _share(part: int | None, whole: int | None) -> float | None:
    return round(100 * (part or 0) / whole, 1) if whole else None


def _mean(total: int | None, count: int | None) -> float | None:
    return round((total or 0) / count, 2) if count else None


def _bilingual(name: str | None, name_en: str | None) -> str:
    """BilingualNameMixin.display_name for a values() row."""
    if name_en and translation.get_language() == "en":
        return name_en
    return name or ""


OVERALL_SUMS = {
    "o_answers": Sum("answers"),
    "o_satisfied": Sum("answers", filter=Q(value__gte=4)),
    "o_total": Sum(F("value") * F("answers")),
}


@dataclass(frozen=True)
class _Dimension:
    name: str
    key: str  # path from a summary row to the group's key
    labels: tuple[str, ...]  # paths of the fields its label is made of
    order: str  # "responses" (most first), "label", or a path to sort by

    def label(self, row: Mapping[str, Any]) -> str:
        if row.get(self.key) is None:
            return _("Not set") if self.name != "trend" else _("No term")
        values = [row.get(path) for path in self.labels]
        if self.name == "instructor":
            first, last, username = values
            return person_name(
                SimpleNamespace(
                    first_name=first or "", last_name=last or "", get_username=lambda: username
                )
            )
        if len(values) >= 2:
            return _bilingual(values[0], values[1])
        return str(values[0] or "")


INSTRUCTOR_LABELS = (
    "course__instructor__first_name",
    "course__instructor__last_name",
    f"course__instructor__{get_user_model().USERNAME_FIELD}",
)
BREAKDOWN_DIMENSIONS = (
    _Dimension("course", "course_id", ("course__title",), "responses"),
    _Dimension("instructor", "course__instructor_id", INSTRUCTOR_LABELS, "label"),
    _Dimension(
        "district",
        "course__venue__district__slug",
        ("course__venue__district__name", "course__venue__district__name_en"),
        "course__venue__district__sort_order",
    ),
    _Dimension(
        "category",
        "course__category__slug",
        ("course__category__name", "course__category__name_en"),
        "course__category__sort_order",
    ),
)
TREND = _Dimension(
    "trend",
    "course__term_id",
    ("course__term__name", "course__term__name_en"),
    "course__term__starts_on",
)


def _breakdown_titles() -> dict[str, str]:
    return {
        "course": _("By course"),
        "instructor": _("By instructor"),
        "district": _("By district of the venue"),
        "category": _("By topic"),
        "target_group": _("By target group of the respondents"),
    }


@dataclass
class _Group:
    """One group's figures, gathered from the grouped queries before suppression."""

    key: Any
    label: str
    sort: Any = None
    responses: int = 0
    invited: int | None = None
    o_answers: int = 0
    o_satisfied: int = 0
    o_total: int = 0


class _Reader:
    """The grouped queries of one report: a user's scope, the filters and the audience."""

    def __init__(self, scope: _Scope, audience: str):
        self.scope = scope
        self.condition = scope.at("course__")
        self.audience = audience
        # The overall-satisfaction questions, as a list of ids: the summary is then read
        # through its (audience, question) index instead of being joined to every question.
        self.overall = Q(
            question_id__in=list(
                Question.objects.filter(kind=Kind.LIKERT, topic=Topic.OVERALL).values_list(
                    "pk", flat=True
                )
            )
        )

    def responses(self) -> QuerySet[ResponseSummary]:
        return ResponseSummary.objects.filter(self.condition, audience=self.audience)

    def answers(self) -> QuerySet[AnswerSummary]:
        return AnswerSummary.objects.filter(self.condition, audience=self.audience)

    def courses(self) -> QuerySet[CourseSummary]:
        return CourseSummary.objects.filter(self.condition)

    def groups(self, dimension: _Dimension, *, with_invited: bool) -> list[_Group]:
        """Responses, invitations and overall satisfaction per group: three grouped
        queries, merged on the group key."""
        key = dimension.key
        fields = (key, *dimension.labels)
        if dimension.order not in ("responses", "label"):
            fields += (dimension.order,)
        groups: dict[Any, _Group] = {}

        def group(row: Mapping[str, Any]) -> _Group:
            if row[key] not in groups:
                groups[row[key]] = _Group(
                    key=row[key], label=dimension.label(row), sort=row.get(dimension.order)
                )
            return groups[row[key]]

        for row in self.responses().values(*fields).annotate(n=Sum("responses")).order_by():
            group(row).responses = row["n"] or 0
        if with_invited:
            active = self.courses().filter(Q(invited__gt=0) | Q(responses__gt=0))
            for row in active.values(*fields).annotate(n=Sum("invited")).order_by():
                group(row).invited = row["n"] or 0
        overall = (
            self.answers().filter(self.overall).values(key).annotate(**OVERALL_SUMS).order_by()
        )
        for row in overall:
            if row[key] in groups:
                target = groups[row[key]]
                target.o_answers = row["o_answers"] or 0
                target.o_satisfied = row["o_satisfied"] or 0
                target.o_total = row["o_total"] or 0
        return _sorted_groups(list(groups.values()), dimension.order)


def _sorted_groups(groups: list[_Group], order: str) -> list[_Group]:
    """Groups in display order; the "not set" group (key None) last."""
    if order == "responses":

        def rank(g: _Group) -> tuple:
            return (g.key is None, -g.responses, g.label, str(g.key))
    elif order == "label":

        def rank(g: _Group) -> tuple:
            return (g.key is None, g.label, str(g.key))
    else:

        def rank(g: _Group) -> tuple:
            return (g.key is None, g.sort is None, g.sort or 0, g.label, str(g.key))

    return sorted(groups, key=rank)


def _row(group: _Group, *, hidden: bool) -> BreakdownRow:
    key = "none" if group.key is None else str(group.key)
    if hidden:
        return BreakdownRow(
            key=key,
            label=group.label,
            responses=None,
            satisfied_share=None,
            mean=None,
            suppressed=True,
        )
    return BreakdownRow(
        key=key,
        label=group.label,
        responses=group.responses,
        satisfied_share=_share(group.o_satisfied, group.o_answers),
        mean=_mean(group.o_total, group.o_answers),
        invited=group.invited,
        response_rate=_share(group.responses, group.invited),
    )


def _partition_suppression(groups: list[_Group], *, total: int, demographic: bool) -> Suppression:
    """Rows that split the filtered respondents: with a target-group filter every row is a
    count of people in that group, so small rows are hidden together with what would give
    them away."""
    if not demographic:
        return Suppression()
    return suppress_small_cells({g.key: g.responses for g in groups}, total=total)


def _likert_label(value: int) -> str:
    # The words of the answering form (imported here: forms → services → this module).
    from .forms import LIKERT_WORDS

    word = LIKERT_WORDS.get(value)
    return f"{value} {word}" if word else str(value)


def _value_label(question: Question, value: int, options: list[str]) -> str:
    if question.kind == Kind.LIKERT:
        return _likert_label(value)
    if question.kind in Question.CHOICE_KINDS and 1 <= value <= len(options):
        return options[value - 1]
    return str(value)


def _question_stats(
    question: Question, respondents: int, counts: dict[int, int], *, hidden: bool
) -> QuestionStats:
    stats = QuestionStats(
        question_id=question.pk,
        text=question.text,
        topic=question.topic,
        kind=question.kind,
        answers=None if hidden else respondents,
        mean=None,
        satisfied_share=None,
        suppressed=hidden,
    )
    if hidden or question.kind == Kind.TEXT:
        return stats
    options = question.options_in() if question.kind in Question.CHOICE_KINDS else []
    values = list(question.allowed_values)
    values += sorted(value for value in counts if value not in question.allowed_values)
    stats.distribution = [
        Distribution(
            value=value,
            label=_value_label(question, value, options),
            count=counts.get(value, 0),
            share=_share(counts.get(value, 0), respondents) or 0.0,
        )
        for value in values
    ]
    if question.kind in Question.SCALES:
        answered = sum(counts.values())
        stats.mean = _mean(sum(value * n for value, n in counts.items()), answered)
        if question.kind == Kind.LIKERT:
            stats.satisfied_share = _share(counts.get(4, 0) + counts.get(5, 0), answered)
    return stats


def _empty_report(
    filters: ReportFilters, *, suppressed: bool = False, as_of: datetime | None = None
) -> SurveyReport:
    return SurveyReport(
        filters=filters,
        invited=None if suppressed else 0,
        responses=None if suppressed else 0,
        response_rate=None,
        satisfied_share=None,
        overall_mean=None,
        paper_responses=None if suppressed else 0,
        suppressed=suppressed,
        as_of=as_of,
    )


def survey_report(*, user: User, filters: ReportFilters) -> SurveyReport:
    """Everything the dashboard shows, for the courses the user may see narrowed by
    `filters`, in a fixed number of queries (about twenty, whatever the number of responses).

    Instructors are silently limited to their own courses. With a target-group filter only
    that group's answers count, response rates are not given (invitations are not per group),
    the whole report is suppressed when the group has fewer respondents than the threshold,
    and every row and question with too few respondents is suppressed with whatever would
    give it away."""
    audience = _audience(filters)
    scope = _Scope.of(user, filters)
    if not scope.allowed:
        return _empty_report(filters)
    reader = _Reader(scope, audience)
    demographic = audience != Audience.ALL

    courses = reader.courses().aggregate(invited=Sum("invited"), as_of=Max("refreshed_at"))
    totals = reader.responses().aggregate(
        n=Sum("responses"), paper=Sum("responses", filter=Q(channel=Response.Channel.PAPER))
    )
    responses, paper = totals["n"] or 0, totals["paper"] or 0
    as_of = courses["as_of"]
    if demographic and suppress_small_cells({audience: responses}).hides(audience):
        return _empty_report(filters, suppressed=True, as_of=as_of)

    overall = reader.answers().filter(reader.overall).aggregate(**OVERALL_SUMS)
    invited = None if demographic else courses["invited"] or 0
    if demographic:
        channels = {"paper": paper, "online": responses - paper}
        if suppress_small_cells(channels, total=responses).hides("paper"):
            paper = None
    report = SurveyReport(
        filters=filters,
        invited=invited,
        responses=responses,
        response_rate=_share(responses, invited),
        satisfied_share=_share(overall["o_satisfied"], overall["o_answers"]),
        overall_mean=_mean(overall["o_total"], overall["o_answers"]),
        paper_responses=paper,
        as_of=as_of,
    )
    report.questions = _questions(reader, demographic=demographic)
    report.trend = _trend(reader, total=responses, demographic=demographic)
    titles = _breakdown_titles()
    for dimension in BREAKDOWN_DIMENSIONS:
        groups = reader.groups(dimension, with_invited=not demographic)
        hidden = _partition_suppression(groups, total=responses, demographic=demographic)
        report.breakdowns.append(
            Breakdown(
                dimension=dimension.name,
                title=titles[dimension.name],
                demographic=demographic,
                rows=[_row(g, hidden=hidden.hides(g.key)) for g in groups],
            )
        )
    report.breakdowns.append(
        Breakdown(
            dimension="target_group",
            title=titles["target_group"],
            demographic=True,
            rows=_target_group_rows(reader),
        )
    )
    return report


def _questions(reader: _Reader, *, demographic: bool) -> list[QuestionStats]:
    """Every question answered in scope (across surveys, default survey first, in the
    survey's order) with its distribution: one query for the questions and their
    respondents, one for the answer values."""
    rows = (
        Question.objects.filter(
            reader.scope.at("report_summaries__course__"),
            report_summaries__audience=reader.audience,
        )
        .annotate(respondents=Sum("report_summaries__respondents"))
        .select_related("survey")
        .order_by("-survey__is_default", "survey_id", "sort_order", "pk")
    )
    counts: dict[int, dict[int, int]] = {}
    for row in reader.answers().values("question_id", "value").annotate(n=Sum("answers")):
        counts.setdefault(row["question_id"], {})[row["value"]] = row["n"]
    questions = list(rows)
    hidden = (
        suppress_small_cells({q.pk: q.respondents for q in questions})
        if demographic
        else Suppression()
    )
    return [
        _question_stats(q, q.respondents, counts.get(q.pk, {}), hidden=hidden.hides(q.pk))
        for q in questions
    ]


def _trend(reader: _Reader, *, total: int, demographic: bool) -> list[TrendPoint]:
    groups = reader.groups(TREND, with_invited=False)
    hidden = _partition_suppression(groups, total=total, demographic=demographic)
    points = []
    for group in groups:
        row = _row(group, hidden=hidden.hides(group.key))
        points.append(
            TrendPoint(
                term_id=group.key,
                label=group.label,
                responses=row.responses,
                satisfied_share=row.satisfied_share,
                mean=row.mean,
                suppressed=row.suppressed,
            )
        )
    return points


def _target_group_rows(reader: _Reader) -> list[BreakdownRow]:
    """One row per target group (only the chosen one with a target-group filter: the others
    would be its intersections, which the summary does not keep). Groups overlap, so no
    subtraction recovers a hidden one: primary suppression only."""
    condition, audience = reader.condition, reader.audience
    audiences = list(TARGET_GROUPS) if audience == Audience.ALL else [audience]
    responses = {
        row["audience"]: row["n"]
        for row in ResponseSummary.objects.filter(condition, audience__in=audiences)
        .values("audience")
        .annotate(n=Sum("responses"))
        .order_by()
    }
    overall = {
        row["audience"]: row
        for row in AnswerSummary.objects.filter(condition, reader.overall, audience__in=audiences)
        .values("audience")
        .annotate(**OVERALL_SUMS)
        .order_by()
    }
    counts = {code: responses.get(code) or 0 for code in audiences}
    hidden = suppress_small_cells(counts)
    labels = dict(TargetGroup.Code.choices)
    rows = []
    for code in audiences:
        sums = overall.get(code, {})
        group = _Group(
            key=code,
            label=str(labels[code]),
            responses=counts[code],
            o_answers=sums.get("o_answers") or 0,
            o_satisfied=sums.get("o_satisfied") or 0,
            o_total=sums.get("o_total") or 0,
        )
        rows.append(_row(group, hidden=hidden.hides(code)))
    return rows


# --- comments -------------------------------------------------------------------------------


def survey_comments(
    *, user: User, filters: ReportFilters, search: str = "", page: int = 1, per_page: int = 50
) -> CommentPage:
    """Free-text answers in scope, newest first, optionally containing `search` (any case;
    on SQLite only ASCII letters fold case).

    Read live (the summary keeps no text), in two queries that stay cheap however many
    responses there are: the responses that carry a matching comment, walked newest first
    down the `submitted_at` index with one index probe each and stopped after `per_page` + 1,
    then their comments. A page holds the comments of `per_page` responses (one each on a
    survey with one free-text question).

    `total` is how many such responses there are. A page that is not full ends the list, so
    it gives the total itself. Otherwise, without a search, the total is the report
    summary's count of respondents who wrote something (one small grouped query, whatever
    the number of responses; as of the last refresh, and never less than the pages already
    seen). Counting live would read every matching response, up to COMMENTS_COUNT_LIMIT of
    them, so the cost would grow with the responses until the limit. With a search, or
    where a survey in scope has more than one free-text question (a respondent could be
    counted twice), the matching responses are counted live up to COMMENTS_COUNT_LIMIT and
    `total` is None beyond. No name, invitation or exact time ever leaves here. With a
    target-group filter whose group is a small cell: no comments and no total."""
    page = max(int(page or 1), 1)
    per_page = max(int(per_page or 1), 1)
    audience = _audience(filters)
    scope = _Scope.of(user, filters)
    if not scope.allowed:
        return CommentPage(comments=[], page=page, has_next=False, total=0)
    if audience != Audience.ALL:
        population = (
            ResponseSummary.objects.filter(scope.at("course__"), audience=audience).aggregate(
                n=Sum("responses")
            )["n"]
            or 0
        )
        if suppress_small_cells({audience: population}).hides(audience):
            return CommentPage(comments=[], page=page, has_next=False, total=None)
    comments = Answer.objects.filter(question__kind=Kind.TEXT).exclude(text="")
    search = search.strip()
    if search:
        comments = comments.filter(text__icontains=search)
    responses = Response.objects.filter(
        scope.at("course__"), Exists(comments.filter(response=OuterRef("pk")))
    )
    if audience != Audience.ALL:
        responses = responses.filter(**{AUDIENCE_FLAGS[audience]: True})
    start = (page - 1) * per_page
    ids = list(
        responses.order_by("-submitted_at", "-pk").values_list("pk", flat=True)[
            start : start + per_page + 1
        ]
    )
    has_next = len(ids) > per_page
    ids = ids[:per_page]
    total: int | None = None
    if not has_next and (ids or page == 1):
        total = start + len(ids)
    elif not search:
        total = _comments_summarised(scope, audience)
        if total is not None and ids:
            # The summary may lag behind the live list by the latest responses.
            total = max(total, start + len(ids) + (1 if has_next else 0))
    if total is None:
        counted = responses.order_by()[: COMMENTS_COUNT_LIMIT + 1].count()
        total = counted if counted <= COMMENTS_COUNT_LIMIT else None
    rows = (
        comments.filter(response_id__in=ids)
        .order_by("-response__submitted_at", "-response_id", "question__sort_order", "pk")
        .values(
            "text",
            "response__course__title",
            "response__course__term__name",
            "response__course__term__name_en",
            "response__submitted_at",
            "response__channel",
        )
        if ids
        else []
    )
    return CommentPage(
        comments=[
            Comment(
                text=row["text"],
                course_title=row["response__course__title"],
                term=_bilingual(
                    row["response__course__term__name"], row["response__course__term__name_en"]
                ),
                submitted_on=timezone.localdate(row["response__submitted_at"]),
                channel=row["response__channel"],
            )
            for row in rows
        ],
        page=page,
        has_next=has_next,
        total=total,
    )


def _comments_summarised(scope: _Scope, audience: str) -> int | None:
    """Respondents in scope who wrote something, from the report summary; None where that
    is not the number of responses with a comment (a survey with two free-text questions)."""
    row = QuestionSummary.objects.filter(
        scope.at("course__"), audience=audience, question__kind=Kind.TEXT
    ).aggregate(
        respondents=Sum("respondents"),
        questions=Count("question", distinct=True),
        surveys=Count("question__survey", distinct=True),
    )
    if row["questions"] != row["surveys"]:
        return None
    return row["respondents"] or 0


# --- keeping the summary fresh --------------------------------------------------------------


def report_summary_stale_course_ids(*, course_ids: Iterable[int] | None = None) -> list[int]:
    """Courses whose summary disagrees with the live rows (responses or invitations counted
    per course: two grouped index scans), including courses with no summary yet. The beat
    safety net refreshes these; responses are never edited, so counts tell."""
    responses = Response.objects.all()
    invitations = Invitation.objects.all()
    summaries = CourseSummary.objects.all()
    if course_ids is not None:
        course_ids = list(course_ids)
        responses = responses.filter(course_id__in=course_ids)
        invitations = invitations.filter(course_id__in=course_ids)
        summaries = summaries.filter(course_id__in=course_ids)
    live_responses = dict(
        responses.values_list("course_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("course_id", "n")
    )
    live_invited = dict(
        invitations.values_list("course_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("course_id", "n")
    )
    stored = {
        course_id: (invited, responses)
        for course_id, invited, responses in summaries.values_list(
            "course_id", "invited", "responses"
        )
    }
    courses = set(live_responses) | set(live_invited) | set(stored)
    return sorted(
        course_id
        for course_id in courses
        if stored.get(course_id)
        != (live_invited.get(course_id, 0), live_responses.get(course_id, 0))
    )
