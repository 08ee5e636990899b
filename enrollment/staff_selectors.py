"""Reads for the staff screens in the admin: rosters, check-in, the counter and slips.

Who sees what is decided here, never in a template: an instructor reaches the courses they
teach, an administrator every course, counter staff every course for check-in, slips and the
counter (but no roster). Views look objects up inside these querysets, so anything outside
them answers 404, exactly like something that does not exist."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Count,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from courses.models import CoursePage, CourseSession
from courses.roles import user_is_administrator, user_is_counter_staff

from .models import Attendance, Enrollment, Learner

Status = Enrollment.Status
User = AbstractBaseUser | AnonymousUser

# Learners who hold (or held, once completion is decided) a seat: the roster's rows.
ON_ROSTER = (Status.CONFIRMED, Status.COMPLETED, Status.NOT_COMPLETED)


def taipei_date(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def courses_for_roster(*, user: User) -> QuerySet[CoursePage]:
    """Courses whose roster the user may open: an instructor's own, or all for an
    administrator. Counter staff take no roster (they check learners in by code)."""
    if not user.is_authenticated or not user.is_active:
        return CoursePage.objects.none()
    courses = CoursePage.objects.select_related("venue")
    if user_is_administrator(user):
        return courses
    return courses.filter(instructor=user)


def courses_for_check_in(*, user: User) -> QuerySet[CoursePage]:
    """Courses whose learners the user may check in: the roster's courses, and every course
    for counter staff (who help at the door of any class)."""
    if user.is_authenticated and user.is_active and user_is_counter_staff(user):
        return CoursePage.objects.select_related("venue")
    return courses_for_roster(user=user)


def courses_for_slips(*, user: User) -> QuerySet[CoursePage]:
    """Courses whose learners' slips the user may print: as for check-in."""
    return courses_for_check_in(user=user)


def user_may_use_counter(*, user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user_is_administrator(user) or user_is_counter_staff(user))
    )


def roster_course_list(*, user: User, now: datetime | None = None) -> list[CoursePage]:
    """The user's courses for the roster index: running and upcoming first (soonest first),
    then finished ones (most recent first). One query."""
    now = now or timezone.now()
    courses = list(
        courses_for_roster(user=user).annotate(
            first_start=Min("sessions__start"),
            last_end=Max("sessions__end"),
            on_roster=Count(
                "enrollments", filter=Q(enrollments__status__in=ON_ROSTER), distinct=True
            ),
        )
    )
    current = [c for c in courses if c.last_end is None or c.last_end >= now]
    finished = [c for c in courses if c.last_end is not None and c.last_end < now]
    current.sort(key=lambda c: (c.first_start is None, c.first_start or now, c.pk))
    finished.sort(key=lambda c: (c.last_end, c.pk), reverse=True)
    return current + finished


def course_sessions(*, course: CoursePage) -> list[CourseSession]:
    return list(CourseSession.objects.filter(page=course).order_by("start", "pk"))


def session_default(
    *, sessions: list[CourseSession], now: datetime | None = None
) -> CourseSession | None:
    """The session a roster opens on: today's (the one nearest now if there are several),
    else the next one, else the last one."""
    if not sessions:
        return None
    now = now or timezone.now()
    today = session_today(sessions=sessions, now=now)
    if today is not None:
        return today
    upcoming = [s for s in sessions if s.start >= now]
    return upcoming[0] if upcoming else sessions[-1]


def session_today(
    *, sessions: list[CourseSession], now: datetime | None = None
) -> CourseSession | None:
    """The session happening today (Taipei), the one nearest now if there are several."""
    now = now or timezone.now()
    today = taipei_date(now)
    todays = [s for s in sessions if taipei_date(s.start) == today]
    if not todays:
        return None
    return min(todays, key=lambda s: abs((s.start - now).total_seconds()))


@dataclass(frozen=True)
class RosterRow:
    """One learner on a session's roster: a name and attendance, nothing else about them."""

    enrollment_id: int
    name: str
    alternate_name: str
    status: str
    present: bool | None  # None: not marked yet for this session
    attended: int  # sessions marked present, over the whole course

    @property
    def decided(self) -> bool:
        return self.status != Status.CONFIRMED


@dataclass(frozen=True)
class WaitingRow:
    position: int
    name: str


def roster_for_session(*, course: CoursePage, session: CourseSession) -> list[RosterRow]:
    """Learners holding a seat in the course, with their attendance at `session`. One query
    whatever the number of learners; only names are read from the learner row."""
    marked = Attendance.objects.filter(enrollment=OuterRef("pk"), session=session)
    attended = (
        Attendance.objects.filter(enrollment=OuterRef("pk"), present=True)
        .order_by()
        .values("enrollment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Enrollment.objects.filter(course=course, status__in=ON_ROSTER)
        .annotate(
            present_here=Subquery(marked.values("present")[:1]),
            attended_count=Subquery(attended[:1]),
        )
        .order_by("learner__name", "pk")
        .values(
            "pk",
            "status",
            "learner__name",
            "learner__alternate_name",
            "present_here",
            "attended_count",
        )
    )
    return [
        RosterRow(
            enrollment_id=row["pk"],
            name=row["learner__name"],
            alternate_name=row["learner__alternate_name"],
            status=row["status"],
            present=row["present_here"],
            attended=row["attended_count"] or 0,
        )
        for row in rows
    ]


def waitlist_for_course(*, course: CoursePage) -> list[WaitingRow]:
    """Waiting learners in arrival order: position and name only. One query."""
    names = (
        Enrollment.objects.filter(course=course, status=Status.WAITLISTED)
        .order_by("created_at", "pk")
        .values_list("learner__name", flat=True)
    )
    return [WaitingRow(position=n, name=name) for n, name in enumerate(names, start=1)]


def check_in_code_normalise(raw: str) -> str:
    """What staff type, as stored: full-width letters, lower case, spaces and dashes forgiven."""
    text = unicodedata.normalize("NFKC", raw or "").upper()
    return "".join(ch for ch in text if ch.isalnum())


def enrollment_for_check_in(*, user: User, code: str) -> Enrollment | None:
    """The enrollment a check-in code belongs to, if the user may check it in; else None
    (an unknown code and another instructor's learner look the same)."""
    code = check_in_code_normalise(code)
    if not code:
        return None
    return (
        Enrollment.objects.filter(check_in_code=code, course__in=courses_for_check_in(user=user))
        .select_related("learner", "course__venue")
        .first()
    )


def enrollments_for_slip(*, user: User) -> QuerySet[Enrollment]:
    """Enrollments whose slip the user may print."""
    return Enrollment.objects.filter(course__in=courses_for_slips(user=user)).select_related(
        "learner", "course__venue__district"
    )


def courses_open_for_counter(*, now: datetime | None = None) -> QuerySet[CoursePage]:
    """Live courses a citizen can still join at a counter (staff may enroll outside the online
    registration window): those whose last session has not ended. Venue, district and seats
    come with each course for the choice labels."""
    now = now or timezone.now()
    return (
        CoursePage.objects.live()
        .select_related("venue__district", "seats")
        .annotate(first_start=Min("sessions__start"), last_end=Max("sessions__end"))
        .filter(last_end__gt=now)
        .order_by("venue__district__sort_order", "first_start", "title", "pk")
    )


def learner_by_phone(*, phone: str) -> Learner | None:
    """The learner with this (normalised) phone number, if any."""
    if not phone:
        return None
    return Learner.objects.filter(phone=phone).select_related("district").first()


def learners_by_landline(*, landline: str) -> list[Learner]:
    """Learners reached at this (normalised) landline: a household may share one."""
    if not landline:
        return []
    return list(
        Learner.objects.filter(landline=landline)
        .select_related("district")
        .order_by("name", "birth_year", "pk")[:20]
    )


def learner_live_enrollments(*, learner: Learner) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(learner=learner, status__in=Enrollment.LIVE)
        .select_related("course")
        .prefetch_related(
            Prefetch("course__sessions", queryset=CourseSession.objects.order_by("start"))
        )
        .order_by("created_at", "pk")
    )
