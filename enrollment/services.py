"""Every change to seats, enrollments and attendance. Each runs in one transaction that first
locks the course's seat row (CourseSeats), so seats are never oversold, whatever the number of
simultaneous requests; messages are written to the outbox in the same transaction.

Lock order, everywhere: the learner row (when a learner acts), then the course's seat row."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, CourseSeats, TargetGroup

from .choices import SelfIdentification
from .exceptions import (
    CancellationClosed,
    NotLive,
    RegistrationClosed,
    RegistrationNotOpen,
    TermLimitReached,
)
from .models import CONSENT_TEXT, CONSENT_VERSION, ConsentRecord, Enrollment, Learner, Notification

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


# --- Learners: profile and consent ---
# This section was appended to the file, so its imports are here rather than at the top.


SELF_IDENTIFICATION_FIELDS = (
    "indigenous",
    "indigenous_nation",
    "new_immigrant",
    "origin_country",
    "disability",
)
PROFILE_FIELDS = (
    "name",
    "alternate_name",
    "birth_year",
    "district",
    "phone",
    "email",
    "preferred_language",
)
PHONE_TAKEN = _(
    "This mobile number is already registered to another learner. If it is yours and you "
    "registered at a service counter, please ask the staff there to help you."
)


def _clear_self_identification(learner: Learner) -> None:
    for field in SELF_IDENTIFICATION_FIELDS:
        setattr(learner, field, "")


def _save_learner(learner: Learner) -> None:
    """Save, turning a lost race for the same phone number into a form error. A changed
    mobile number is no longer verified (whoever typed it has not proved they hold it)."""
    if learner.pk is not None and learner.phone_verified_at is not None:
        stored = Learner.objects.filter(pk=learner.pk).values_list("phone", flat=True).first()
        if stored != learner.phone:
            learner.phone_verified_at = None
    if (
        learner.phone
        and Learner.objects.filter(phone=learner.phone).exclude(pk=learner.pk).exists()
    ):
        raise ValidationError({"phone": PHONE_TAKEN}, code="phone_taken")
    try:
        with transaction.atomic():
            learner.save()
    except IntegrityError as error:
        if Learner.objects.filter(phone=learner.phone).exclude(pk=learner.pk).exists():
            raise ValidationError({"phone": PHONE_TAKEN}, code="phone_taken") from error
        raise


@transaction.atomic
def learner_consent_give(
    *,
    learner: Learner,
    channel: str = ConsentRecord.Channel.ONLINE,
    actor: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> ConsentRecord:
    """Record that the learner agreed to the current consent text (CONSENT_VERSION), in the
    words they were shown (the active language), and from when."""
    now = now or timezone.now()
    record = ConsentRecord.objects.create(
        learner=learner,
        action=ConsentRecord.Action.GIVEN,
        version=CONSENT_VERSION,
        text=str(CONSENT_TEXT),
        channel=channel,
        recorded_by=actor,
        recorded_at=now,
    )
    learner.consent_version = CONSENT_VERSION
    learner.consent_given_at = now
    learner.save(update_fields=["consent_version", "consent_given_at", "updated_at"])
    return record


@transaction.atomic
def learner_consent_withdraw(
    *,
    learner: Learner,
    channel: str = ConsentRecord.Channel.ONLINE,
    actor: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> ConsentRecord | None:
    """Record the withdrawal and delete every self-identification answer at once. Nothing
    happens (None) when no consent was given."""
    if not learner.has_consent:
        return None
    now = now or timezone.now()
    record = ConsentRecord.objects.create(
        learner=learner,
        action=ConsentRecord.Action.WITHDRAWN,
        version=learner.consent_version or CONSENT_VERSION,
        text=str(CONSENT_TEXT),
        channel=channel,
        recorded_by=actor,
        recorded_at=now,
    )
    _clear_self_identification(learner)
    learner.consent_version = ""
    learner.consent_given_at = None
    learner.save(
        update_fields=[
            *SELF_IDENTIFICATION_FIELDS,
            "consent_version",
            "consent_given_at",
            "updated_at",
        ]
    )
    return record


@transaction.atomic
def learner_profile_save(
    *, user: AbstractBaseUser, data: Mapping[str, Any], now: datetime | None = None
) -> Learner:
    """Create or update the learner of an account from what they typed.

    `data` holds PROFILE_FIELDS (missing keys are left as they are), the self-identification
    answers and `consent`: True gives consent (again, if the version changed), False
    withdraws it and deletes the answers, a missing key leaves it as it is (sign-up). Answers
    are stored only while consent is given. The learner needs a mobile number or an email
    address; a number already used by another learner is refused (ValidationError)."""
    now = now or timezone.now()
    learner = Learner.objects.select_for_update().filter(user=user).first() or Learner(user=user)
    for field in PROFILE_FIELDS:
        if field in data:
            value = data[field]
            setattr(learner, field, value if value is not None or field == "district" else "")
    if not (learner.phone or learner.email):
        raise ValidationError(
            _("Please give a mobile number or an email address, so that we can reach you."),
            code="no_contact",
        )
    _save_learner(learner)

    consent = data.get("consent")
    if consent is True and learner.consent_version != CONSENT_VERSION:
        learner_consent_give(learner=learner, now=now)
    elif consent is False:
        learner_consent_withdraw(learner=learner, now=now)

    if learner.has_consent and any(field in data for field in SELF_IDENTIFICATION_FIELDS):
        for field in SELF_IDENTIFICATION_FIELDS:
            setattr(learner, field, data.get(field) or "")
        # Follow-up answers only where they apply.
        if learner.indigenous != SelfIdentification.YES:
            learner.indigenous_nation = ""
        if learner.new_immigrant != SelfIdentification.YES:
            learner.origin_country = ""
        learner.save(update_fields=[*SELF_IDENTIFICATION_FIELDS, "updated_at"])
    return learner


@transaction.atomic
def learner_phone_set(
    *, learner: Learner, phone: str, verified: bool = False, now: datetime | None = None
) -> Learner:
    """Change the learner's mobile number (E.164; '' removes it if an email remains).
    `verified`: the learner has just typed back a code sent to it."""
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    if learner.phone != phone:
        learner.phone_verified_at = None
    learner.phone = phone
    if verified and phone:
        learner.phone_verified_at = now or timezone.now()
    if not (learner.phone or learner.email):
        raise ValidationError(
            _("Please give a mobile number or an email address, so that we can reach you."),
            code="no_contact",
        )
    _save_learner(learner)
    return learner


@transaction.atomic
def learner_claim(
    *,
    user: AbstractBaseUser,
    phone: str,
    email: str = "",
    preferred_language: str = "",
    now: datetime | None = None,
) -> Learner | None:
    """Give a new account the learner that counter staff registered with `phone`, once the
    account's holder has typed back a code texted to that number (so they hold it). Their
    counter enrollments then appear on /my/. What staff recorded (name, year of birth, paper
    consent) stays; an email address is added if the learner had none. None if the number
    is not (or no longer) an unclaimed learner's, e.g. someone else claimed it first."""
    learner = Learner.objects.select_for_update().filter(phone=phone, user__isnull=True).first()
    if learner is None or Learner.objects.filter(user=user).exists():
        return None
    learner.user = user
    learner.phone_verified_at = now or timezone.now()
    if email and not learner.email:
        learner.email = email
    if preferred_language:
        learner.preferred_language = preferred_language
    learner.save()
    return learner


@transaction.atomic
def learner_name_correct(
    *, learner: Learner, name: str, alternate_name: str = "", actor: AbstractBaseUser | None
) -> bool:
    """Staff correct the name on a learner's record (e.g. against their ID card, before a
    certificate is re-issued): counter-registered learners cannot do it themselves. Returns
    whether anything changed; the change is logged with who made it."""
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    if (learner.name, learner.alternate_name) == (name, alternate_name):
        return False
    logger.info("Learner %s renamed by user %s", learner.pk, getattr(actor, "pk", None))
    learner.name, learner.alternate_name = name, alternate_name
    learner.save(update_fields=["name", "alternate_name", "updated_at"])
    return True
