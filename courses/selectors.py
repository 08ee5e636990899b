"""Reads of the catalogue. Every listing here costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from .models import Category, CoursePage, CourseSession, District, Language, Level, TargetGroup
from .search import cjk_query_text

# Hours (Taipei time) that split a day for the "time of day" filter.
TIME_OF_DAY_HOURS = {
    "morning": (0, 12),
    "afternoon": (12, 18),
    "evening": (18, 24),
}


@dataclass(frozen=True)
class CatalogueFilters:
    """What a citizen asked the catalogue for; every field optional."""

    q: str = ""
    district: str = ""
    venue: int | None = None
    category: str = ""
    target_group: str = ""
    level: str = ""
    language: str = ""
    weekdays: tuple[int, ...] = ()
    time_of_day: str = ""
    date_from: date | None = None
    date_to: date | None = None
    open_only: bool = False
    include_past: bool = False
    term: int | None = None

    @property
    def is_narrowed(self) -> bool:
        return any(
            [
                self.q,
                self.district,
                self.venue,
                self.category,
                self.target_group,
                self.level,
                self.language,
                self.weekdays,
                self.time_of_day,
                self.date_from,
                self.date_to,
                self.open_only,
                self.term,
            ]
        )


def _course_base_queryset() -> QuerySet[CoursePage]:
    sessions = CourseSession.objects.filter(page=OuterRef("pk"))
    return (
        CoursePage.objects.live()
        .public()
        .select_related("venue__district", "category", "term", "instructor", "seats")
        .prefetch_related(
            Prefetch("sessions", queryset=CourseSession.objects.order_by("start")),
            "target_groups",
        )
        .annotate(
            first_start=Subquery(sessions.order_by("start").values("start")[:1]),
        )
    )


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def course_catalogue(*, filters: CatalogueFilters, now: datetime | None = None) -> QuerySet:
    """Live course pages matching the filters, soonest first (best match first when searching)."""
    now = now or timezone.now()
    courses = _course_base_queryset()

    if not filters.include_past:
        courses = courses.filter(
            Exists(CourseSession.objects.filter(page=OuterRef("pk"), end__gte=now))
        )
    if filters.district:
        courses = courses.filter(venue__district__slug=filters.district)
    if filters.venue:
        courses = courses.filter(venue_id=filters.venue)
    if filters.category:
        courses = courses.filter(category__slug=filters.category)
    if filters.target_group:
        courses = courses.filter(target_groups__code=filters.target_group)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.language:
        courses = courses.filter(language=filters.language)
    if filters.term:
        courses = courses.filter(term_id=filters.term)
    if filters.open_only:
        courses = courses.filter(
            registration_opens_at__lte=now, registration_closes_at__gte=now, first_start__gte=now
        )

    # Weekday, time of day and dates must all hold for the same session.
    session_filter = Q()
    if filters.weekdays:
        session_filter &= Q(weekday__in=filters.weekdays)
    if filters.time_of_day in TIME_OF_DAY_HOURS:
        low, high = TIME_OF_DAY_HOURS[filters.time_of_day]
        session_filter &= Q(start_hour__gte=low, start_hour__lt=high)
    if filters.date_from:
        session_filter &= Q(start__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        session_filter &= Q(start__lt=_local_midnight(filters.date_to) + timezone.timedelta(days=1))
    if session_filter:
        courses = courses.filter(
            Exists(CourseSession.objects.filter(session_filter, page=OuterRef("pk")))
        )

    if filters.q:
        matches = CoursePage.objects.live().search(cjk_query_text(filters.q), operator="and")
        # Only membership matters here (the catalogue has its own order): drop the ranking.
        courses = courses.filter(pk__in=matches.get_queryset().order_by().values("pk"))

    # Courses a citizen can still join come first (soonest first), then those already running.
    already_started = Case(When(first_start__lt=now, then=Value(1)), default=Value(0))
    return courses.order_by(already_started, "first_start", "title", "pk")


def course_upcoming_list(*, limit: int = 6, now: datetime | None = None) -> list[CoursePage]:
    """The next courses still open for registration, for the home page."""
    filters = CatalogueFilters(open_only=True)
    return list(course_catalogue(filters=filters, now=now)[:limit])


def course_detail(*, course: CoursePage) -> CoursePage:
    """A course with everything its page shows, loaded in a fixed number of queries."""
    return _course_base_queryset().get(pk=course.pk)


@dataclass(frozen=True)
class CatalogueFacets:
    districts: list[District]
    categories: list[Category]
    target_groups: list[TargetGroup]
    levels: list[tuple[str, str]]
    languages: list[tuple[str, str]]


def catalogue_facets() -> CatalogueFacets:
    """Choices for the catalogue's filters: districts that have venues, every category."""
    return CatalogueFacets(
        districts=list(District.objects.filter(venues__isnull=False).distinct()),
        categories=list(Category.objects.all()),
        target_groups=list(TargetGroup.objects.all()),
        levels=list(Level.choices),
        languages=list(Language.choices),
    )
