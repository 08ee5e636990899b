"""Reads for a citizen's own pages (/my/, the course page's enroll panel). Every query is
limited to the signed-in user's learner, so another learner's enrollment is simply not found
(404). Each read costs a fixed number of queries, however many enrollments there are."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from courses.models import CourseSession

from .models import Enrollment, Learner

Status = Enrollment.Status


def learner_for_user(*, user: AbstractBaseUser) -> Learner | None:
    if not user.is_authenticated:
        return None
    return Learner.objects.filter(user=user).select_related("district").first()


def _with_waitlist_position(queryset: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotate `waitlist_position`, computed exactly as services.waitlist_position (earlier
    waiting rows of the course, ties by id), in the same query."""
    ahead = (
        Enrollment.objects.filter(course_id=OuterRef("course_id"), status=Status.WAITLISTED)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("course_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(
        waitlist_position=Case(
            When(
                status=Status.WAITLISTED,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def _learner_enrollments(user: AbstractBaseUser) -> QuerySet[Enrollment]:
    return _with_waitlist_position(
        Enrollment.objects.filter(learner__user=user)
        .select_related("course__venue__district", "course__seats")
        .prefetch_related(
            Prefetch("course__sessions", queryset=CourseSession.objects.order_by("start"))
        )
    )


def learner_enrollment_list(*, user: AbstractBaseUser) -> list[Enrollment]:
    """The user's enrollments, newest first, with course, venue, sessions and waitlist
    position loaded (three queries)."""
    if not user.is_authenticated:
        return []
    return list(_learner_enrollments(user).order_by("-created_at", "-pk"))


def learner_enrollment_get(*, user: AbstractBaseUser, pk: int) -> Enrollment | None:
    """One of the user's own enrollments, or None (also for another learner's)."""
    if not user.is_authenticated:
        return None
    return _learner_enrollments(user).filter(pk=pk).first()


def learner_course_enrollment(*, user: AbstractBaseUser, course_id: int) -> Enrollment | None:
    """The user's live enrollment in a course, with its waitlist position (one query)."""
    if not user.is_authenticated:
        return None
    return (
        _with_waitlist_position(
            Enrollment.objects.filter(
                learner__user=user, course_id=course_id, status__in=Enrollment.LIVE
            )
        )
        .order_by("-created_at")
        .first()
    )
