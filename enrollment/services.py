"""Every change to seats, enrollments and attendance. Each runs in one transaction that first
locks the course's seat row (CourseSeats), so seats are never oversold, whatever the number of
simultaneous requests; messages are written to the outbox in the same transaction.

Lock order, everywhere: the learner row (when a learner acts), then the course's seat row."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from courses.models import CoursePage, CourseSeats, TargetGroup

from .exceptions import (
    CancellationClosed,
    NotLive,
    RegistrationClosed,
    RegistrationNotOpen,
    TermLimitReached,
)
from .models import Enrollment, Learner, Notification

logger = logging.getLogger(__name__)

Status = Enrollment.Status
SeatKind = Enrollment.SeatKind


def course_seats_ensure(*, course: CoursePage) -> None:
    """Make sure the course has its seat row (race-free: concurrent inserts are ignored)."""
    CourseSeats.objects.bulk_create([CourseSeats(course=course)], ignore_conflicts=True)


def _lock_seats(course: CoursePage) -> CourseSeats:
    course_seats_ensure(course=course)
    return CourseSeats.objects.select_for_update().get(course=course)


@dataclass(frozen=True)
class SeatPools:
    """Free seats of a course at a moment: reserved seats only before their release."""

    reserved_free: int
    general_free: int

    @classmethod
    def of(cls, *, course: CoursePage, seats: CourseSeats, now: datetime) -> SeatPools:
        release_at = course.reserved_release_at()
        reserved = course.reserved_seats if release_at and now < release_at else 0
        # Seats taken from the reserved pool before its release still count after it.
        total_free = max(course.capacity - seats.taken, 0)
        reserved_free = min(max(reserved - seats.reserved_taken, 0), total_free)
        general_free = min(
            max(course.capacity - reserved - seats.general_taken, 0), total_free - reserved_free
        )
        return cls(reserved_free=reserved_free, general_free=general_free)


def _eligible_for_reserved(*, learner: Learner, course: CoursePage) -> bool:
    course_groups = {g.code for g in course.target_groups.all()} - {TargetGroup.Code.EVERYONE}
    return bool(course_groups & learner.target_group_codes())


def _seat_for(*, learner: Learner, course: CoursePage, pools: SeatPools) -> str:
    if pools.reserved_free and _eligible_for_reserved(learner=learner, course=course):
        return SeatKind.RESERVED
    if pools.general_free:
        return SeatKind.GENERAL
    return SeatKind.NONE


def _take(seats: CourseSeats, seat_kind: str) -> None:
    if seat_kind == SeatKind.RESERVED:
        seats.reserved_taken += 1
    else:
        seats.general_taken += 1


def _free(seats: CourseSeats, seat_kind: str) -> None:
    if seat_kind == SeatKind.RESERVED:
        seats.reserved_taken -= 1
    elif seat_kind == SeatKind.GENERAL:
        seats.general_taken -= 1


def _notify(enrollment: Enrollment, kind: str) -> None:
    """Queue a message in the outbox (one per enrollment and kind)."""
    Notification.objects.create(
        enrollment=enrollment, kind=kind, dedupe_key=f"{kind}:{enrollment.pk}"
    )


def _send_due_now() -> None:
    from .tasks import notifications_send_due

    try:
        notifications_send_due.delay()
    except Exception:  # any broker failure; the outbox keeps the message
        logger.warning("Could not reach the task broker; the outbox will retry.", exc_info=True)


def _kick_outbox() -> None:
    """After commit, ask a worker to send due messages now (once per transaction). If the
    broker is down the citizen must not notice: the rows stay due and Celery beat's relay
    sends them later."""
    connection = transaction.get_connection()
    if any(callback is _send_due_now for _sids, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_send_due_now)


def waitlist_position(*, enrollment: Enrollment) -> int | None:
    """1 for the first learner waiting. Derived from arrival order, so it has no gaps."""
    if enrollment.status != Status.WAITLISTED:
        return None
    ahead = Enrollment.objects.filter(
        Q(created_at__lt=enrollment.created_at)
        | Q(created_at=enrollment.created_at, pk__lt=enrollment.pk),
        course_id=enrollment.course_id,
        status=Status.WAITLISTED,
    )
    return ahead.count() + 1


@transaction.atomic
def enrollment_create(
    *,
    learner: Learner,
    course: CoursePage,
    channel: str = Enrollment.Channel.ONLINE,
    actor=None,
    now: datetime | None = None,
    ignore_window: bool = False,
) -> Enrollment:
    """Enroll a learner: a seat if one is free for them, else the waiting list.

    Idempotent: a learner who already holds a live enrollment for the course gets it back
    (double clicks, retries, the back button). Counter staff may enroll outside the online
    registration window (`ignore_window`)."""
    now = now or timezone.now()
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    seats = _lock_seats(course)

    existing = Enrollment.objects.filter(learner=learner, course=course, status__in=Enrollment.LIVE)
    if enrollment := existing.first():
        return enrollment

    if not ignore_window:
        if now < course.registration_opens_at:
            raise RegistrationNotOpen
        if now > course.registration_closes_at:
            raise RegistrationClosed
    limit = course.term.max_enrollments_per_learner if course.term_id else None
    if limit:
        held = Enrollment.objects.filter(
            learner=learner, course__term_id=course.term_id, status__in=Enrollment.LIVE
        ).count()
        if held >= limit:
            raise TermLimitReached

    pools = SeatPools.of(course=course, seats=seats, now=now)
    seat_kind = _seat_for(learner=learner, course=course, pools=pools)
    enrollment = Enrollment(
        learner=learner, course=course, channel=channel, created_at=now, created_by=actor
    )
    if seat_kind == SeatKind.NONE:
        enrollment.status = Status.WAITLISTED
        seats.waitlisted += 1
    else:
        enrollment.status = Status.CONFIRMED
        enrollment.seat_kind = seat_kind
        enrollment.confirmed_at = now
        _take(seats, seat_kind)
    enrollment.save()
    seats.save()
    _notify(enrollment, enrollment.status)
    _kick_outbox()
    return enrollment


def _fill_free_seats(*, course: CoursePage, seats: CourseSeats, now: datetime) -> list[Enrollment]:
    """Give free seats to waiting learners in arrival order, each the kind of seat they fit.
    The caller holds the seat lock."""
    promoted: list[Enrollment] = []
    waiting = (
        Enrollment.objects.filter(course=course, status=Status.WAITLISTED)
        .select_related("learner")
        .order_by("created_at", "pk")
    )
    for enrollment in waiting:
        pools = SeatPools.of(course=course, seats=seats, now=now)
        if not (pools.reserved_free or pools.general_free):
            break
        seat_kind = _seat_for(learner=enrollment.learner, course=course, pools=pools)
        if seat_kind == SeatKind.NONE:
            continue  # a reserved seat this learner does not qualify for
        enrollment.status = Status.CONFIRMED
        enrollment.seat_kind = seat_kind
        enrollment.confirmed_at = now
        enrollment.save(update_fields=["status", "seat_kind", "confirmed_at"])
        _take(seats, seat_kind)
        seats.waitlisted -= 1
        _notify(enrollment, Notification.Kind.PROMOTED)
        promoted.append(enrollment)
    return promoted


@transaction.atomic
def enrollment_cancel(
    *, enrollment: Enrollment, actor=None, now: datetime | None = None, by_staff: bool = False
) -> Enrollment:
    """Cancel a seat or leave the waiting list; a freed seat goes to the first waiting learner
    who fits it. Learners cancel online until the course's deadline; staff at any time."""
    now = now or timezone.now()
    course = enrollment.course
    seats = _lock_seats(course)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if not enrollment.is_live:
        raise NotLive
    deadline = course.cancellation_closes_at()
    if (
        enrollment.status == Status.CONFIRMED
        and not by_staff
        and deadline is not None
        and now > deadline
    ):
        raise CancellationClosed

    if enrollment.status == Status.WAITLISTED:
        seats.waitlisted -= 1
    else:
        _free(seats, enrollment.seat_kind)
    enrollment.status = Status.CANCELLED
    enrollment.cancelled_at = now
    enrollment.save(update_fields=["status", "cancelled_at"])
    _notify(enrollment, Notification.Kind.CANCELLED)
    _fill_free_seats(course=course, seats=seats, now=now)
    seats.save()
    _kick_outbox()
    return enrollment


@transaction.atomic
def reserved_seats_release(*, course: CoursePage, now: datetime | None = None) -> list[Enrollment]:
    """Once reserved seats open to everyone, waiting learners move into them."""
    now = now or timezone.now()
    seats = _lock_seats(course)
    release_at = course.reserved_release_at()
    if seats.reserved_released_at or release_at is None or now < release_at:
        return []
    promoted = _fill_free_seats(course=course, seats=seats, now=now)
    seats.reserved_released_at = now
    seats.save()
    if promoted:
        _kick_outbox()
    return promoted
