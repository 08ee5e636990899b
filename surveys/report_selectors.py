"""Reads for the satisfaction reports: the dashboard, its exports and the admin home panel.

Every figure is aggregated by the database (from the `ResponseSummary` rows refreshed by
Celery, see `surveys.services`), never by looping over responses in Python. Who may see what
is decided here: instructors only ever get their own courses. Small demographic cells are
suppressed in one place (`suppress_small_cells`), used by screens and exports alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

User = AbstractBaseUser | AnonymousUser

# Target groups the reports break down by and filter on, from the respondent's snapshot on
# the Response (senior / indigenous / new_immigrant booleans). Keys are TargetGroup.Code values.
TARGET_GROUPS = ("seniors", "indigenous", "new_immigrants")

# Breakdown dimensions, in the order the dashboard shows them.
DIMENSIONS = ("course", "instructor", "district", "category", "target_group")


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
    how many gave it and their share of the question's answers (0–100, one decimal)."""

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
    answers: int  # how many responses answered it (multiple choice: respondents, not ticks)
    mean: float | None  # 1–5 or 0–10 scales only, two decimals
    satisfied_share: float | None  # Likert only: share of 4–5 answers, 0–100, one decimal
    distribution: list[Distribution] = field(default_factory=list)
    suppressed: bool = False


@dataclass
class BreakdownRow:
    key: str  # a stable key (pk, slug or code) for links and exports
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
    term_id: int
    label: str  # the term's name
    responses: int
    satisfied_share: float | None
    mean: float | None


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
