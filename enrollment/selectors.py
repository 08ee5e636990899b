"""Reads of enrollment data: participation reports. Aggregates are computed by the database
(one grouped query per table), never by looping over enrollments in Python."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, TargetGroup

from .choices import SelfIdentification
from .models import Attendance, Enrollment

Status = Enrollment.Status
TAKING_PART = Q(status__in=[Status.CONFIRMED, Status.COMPLETED, Status.NOT_COMPLETED])
DECIDED = Q(status__in=[Status.COMPLETED, Status.NOT_COMPLETED])


def small_cell_threshold() -> int:
    return getattr(settings, "EZLEARN_SMALL_CELL_THRESHOLD", 10)


@dataclass(frozen=True)
class Suppression:
    """What a table must hide: some of its cells and, rarely, its total."""

    cells: frozenset = frozenset()
    total: bool = False

    def hides(self, key: Hashable) -> bool:
        return key in self.cells


def suppress_small_cells(
    counts: Mapping[Hashable, int],
    *,
    total: int | None = None,
    threshold: int | None = None,
) -> Suppression:
    """The one rule for publishing counts of people (EZLEARN_SMALL_CELL_THRESHOLD, 10).

    `counts` are the cells of one table: how many respondents each row stands for. A cell
    with fewer than `threshold` is hidden (primary suppression; an empty cell is hidden too,
    so a hidden cell never stands out as the non-empty one).

    Pass `total` when the cells split a population that is shown (each person in exactly one
    cell; cells missing from `counts` are taken as unshown). Then a hidden cell could be
    recomputed as the total minus the shown cells, so the hidden cells together must hold no
    one or at least `threshold` people: the smallest shown cells are hidden as well until
    they do (complementary suppression), and if no cell is left to hide, the total too.

    Leave `total` out for cells that overlap (target groups: an indigenous senior is in two)
    or that do not add up to anything shown: no subtraction recovers one of them."""
    if threshold is None:
        threshold = small_cell_threshold()
    hidden = {key for key, count in counts.items() if count < threshold}
    if total is None:
        return Suppression(frozenset(hidden))
    unshown = total - sum(counts.values())
    if unshown < 0:
        raise ValueError("The cells hold more people than the total.")
    shown = sorted(
        (key for key in counts if key not in hidden), key=lambda key: (counts[key], str(key))
    )
    while 0 < unshown + sum(counts[key] for key in hidden) < threshold:
        if not shown:
            return Suppression(frozenset(hidden), total=True)
        hidden.add(shown.pop(0))
    return Suppression(frozenset(hidden))


@dataclass(frozen=True)
class ParticipationFilters:
    term: int | None = None
    district: str = ""
    category: str = ""


@dataclass
class ParticipationRow:
    key: str
    label: str
    learners: int = 0
    enrollments: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    decided: int = 0
    completed: int = 0
    present: int = 0
    marked: int = 0
    suppressed: bool = False

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed / self.decided, 1) if self.decided else None

    @property
    def attendance_rate(self) -> float | None:
        return round(100 * self.present / self.marked, 1) if self.marked else None


@dataclass
class ParticipationTable:
    dimension: str
    title: str
    rows: list[ParticipationRow] = field(default_factory=list)
    demographic: bool = False


def _enrollments(filters: ParticipationFilters) -> QuerySet[Enrollment]:
    enrollments = Enrollment.objects.all()
    if filters.term:
        enrollments = enrollments.filter(course__term_id=filters.term)
    if filters.district:
        enrollments = enrollments.filter(course__venue__district__slug=filters.district)
    if filters.category:
        enrollments = enrollments.filter(course__category__slug=filters.category)
    return enrollments


def _counts(extra: Q | None = None) -> dict:
    """Conditional counts over enrollments, optionally narrowed by `extra`."""

    def q(condition: Q) -> Q:
        return condition & extra if extra is not None else condition

    return {
        "learners": Count("learner", filter=q(TAKING_PART), distinct=True),
        "enrollments": Count("pk", filter=q(TAKING_PART)),
        "waitlisted": Count("pk", filter=q(Q(status=Status.WAITLISTED))),
        "cancelled": Count("pk", filter=q(Q(status=Status.CANCELLED))),
        "decided": Count("pk", filter=q(DECIDED)),
        "completed": Count("pk", filter=q(Q(status=Status.COMPLETED))),
    }


def _attendance(filters: ParticipationFilters) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        enrollment__in=_enrollments(filters).filter(TAKING_PART).values("pk")
    )


ATTENDANCE_COUNTS = {
    "present": Count("pk", filter=Q(present=True)),
    "marked": Count("pk"),
}


def _grouped_table(
    *, filters: ParticipationFilters, dimension: str, title, key: str, labels: dict
) -> ParticipationTable:
    """One grouped query for enrollments and one for attendance, joined on the group key."""
    table = ParticipationTable(dimension=dimension, title=title)
    grouped = _enrollments(filters).values(key).annotate(**_counts()).order_by(key)
    attendance = {
        row[f"enrollment__{key}"]: row
        for row in _attendance(filters)
        .values(f"enrollment__{key}")
        .annotate(**ATTENDANCE_COUNTS)
        .order_by()
    }
    # Rows in the order of the labels (district order, term order), unknown groups last.
    rank = {group: position for position, group in enumerate(labels)}
    for row in sorted(grouped, key=lambda row: rank.get(row[key], len(rank))):
        group = row[key]
        marks = attendance.get(group, {})
        table.rows.append(
            ParticipationRow(
                key=str(group),
                label=str(labels.get(group, group if group is not None else _("Not set"))),
                learners=row["learners"],
                enrollments=row["enrollments"],
                waitlisted=row["waitlisted"],
                cancelled=row["cancelled"],
                decided=row["decided"],
                completed=row["completed"],
                present=marks.get("present", 0),
                marked=marks.get("marked", 0),
            )
        )
    return table


def target_group_conditions(today: date | None = None, prefix: str = "") -> dict[str, Q]:
    """Who counts in each target group, as database conditions on a learner. Seniors derive
    from the year of birth (indigenous elders from the lower age). Self-identification only
    exists with consent, so counting it never reads data a learner did not agree to give."""
    year = (today or timezone.localdate()).year
    p = prefix
    senior = Q(**{f"{p}birth_year__lte": year - settings.EZLEARN_SENIOR_AGE}) | Q(
        **{
            f"{p}indigenous": SelfIdentification.YES,
            f"{p}birth_year__lte": year - settings.EZLEARN_INDIGENOUS_SENIOR_AGE,
        }
    )
    return {
        TargetGroup.Code.SENIORS: senior,
        TargetGroup.Code.INDIGENOUS: Q(**{f"{p}indigenous": SelfIdentification.YES}),
        TargetGroup.Code.NEW_IMMIGRANTS: Q(**{f"{p}new_immigrant": SelfIdentification.YES}),
    }


def _target_group_table(filters: ParticipationFilters, today: date | None) -> ParticipationTable:
    """Groups overlap (an indigenous senior counts in both), so each is a filtered aggregate;
    all of them come from one query, and attendance from one more."""
    table = ParticipationTable(
        dimension="target_group", title=_("By target group"), demographic=True
    )
    groups = target_group_conditions(today, prefix="learner__")
    groups_for_attendance = target_group_conditions(today, prefix="enrollment__learner__")
    aggregates = {}
    for code, condition in groups.items():
        for name, count in _counts(extra=condition).items():
            aggregates[f"{code}__{name}"] = count
    totals = _enrollments(filters).aggregate(**aggregates)
    marks_aggregates = {}
    for code, condition in groups_for_attendance.items():
        marks_aggregates[f"{code}__present"] = Count("pk", filter=Q(present=True) & condition)
        marks_aggregates[f"{code}__marked"] = Count("pk", filter=condition)
    marks = _attendance(filters).aggregate(**marks_aggregates)
    labels = dict(TargetGroup.Code.choices)
    # Groups overlap (an indigenous senior is in two): no total, see suppress_small_cells.
    suppression = suppress_small_cells({code: totals[f"{code}__learners"] for code in groups})
    for code in groups:
        row = ParticipationRow(
            key=code,
            label=str(labels[code]),
            present=marks[f"{code}__present"],
            marked=marks[f"{code}__marked"],
            **{name: totals[f"{code}__{name}"] for name in _counts()},
        )
        if suppression.hides(code):
            row = ParticipationRow(key=code, label=row.label, suppressed=True)
        table.rows.append(row)
    return table


@dataclass
class ParticipationSummary:
    filters: ParticipationFilters
    total: ParticipationRow
    tables: list[ParticipationTable]


def participation_summary(
    *, filters: ParticipationFilters, today: date | None = None
) -> ParticipationSummary:
    """Enrollments, attendance and completion by term, district, category and target group.
    Target-group cells with fewer learners than the small-cell threshold are suppressed."""
    from courses.models import Category, District, Term

    totals = _enrollments(filters).aggregate(**_counts())
    marks = _attendance(filters).aggregate(**ATTENDANCE_COUNTS)
    total = ParticipationRow(key="all", label=str(_("All learners")), **totals, **marks)
    tables = [
        _grouped_table(
            filters=filters,
            dimension="term",
            title=_("By term"),
            key="course__term_id",
            labels={t.pk: t.display_name for t in Term.objects.all()},
        ),
        _grouped_table(
            filters=filters,
            dimension="district",
            title=_("By district of the venue"),
            key="course__venue__district__slug",
            labels={d.slug: d.display_name for d in District.objects.all()},
        ),
        _grouped_table(
            filters=filters,
            dimension="category",
            title=_("By topic"),
            key="course__category__slug",
            labels={c.slug: c.display_name for c in Category.objects.all()},
        ),
        _target_group_table(filters, today),
    ]
    return ParticipationSummary(filters=filters, total=total, tables=tables)


def courses_due_for_reserved_release(*, now: datetime) -> list[int]:
    """Ids of courses with reserved seats not yet released, whose release moment (first
    session minus `reserved_release_days`) has passed while the first session is still ahead.

    The day arithmetic is done here rather than in SQL (no portable "integer days" interval
    for SQLite and PostgreSQL); the candidates are only upcoming courses with reserved seats."""
    candidates = (
        CoursePage.objects.filter(reserved_seats__gt=0)
        # A LEFT JOIN: a course without its seat row yet has released nothing either.
        .filter(seats__reserved_released_at__isnull=True)
        .annotate(first_start=Min("sessions__start"))
        .filter(first_start__gt=now)
        .values_list("pk", "first_start", "reserved_release_days")
    )
    return [pk for pk, first_start, days in candidates if first_start - timedelta(days=days) <= now]
