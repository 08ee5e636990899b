"""Attendance, check-in, completion and enrollment at a counter: the staff side of enrollment.

Every change runs in one transaction. Lock order, as in services.py: the learner row, then the
course's seat row (CourseSeats), then enrollment rows. Attendance locks only its enrollment row;
the completion decision locks the seat row and then the course's enrollments, so attendance
cannot change under a decision being taken, and is refused once it is taken."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, CourseSeats, CourseSession, District

from .exceptions import EnrollmentError
from .models import (
    CONSENT_VERSION,
    PAPER_CONSENT_TEXT,
    Attendance,
    ConsentRecord,
    Enrollment,
    Learner,
)
from .phone import landline_normalise, phone_normalise
from .services import course_seats_ensure, enrollment_create
from .signals import course_completed
from .staff_selectors import (
    course_sessions,
    enrollment_for_check_in,
    session_today,
    taipei_date,
)

logger = logging.getLogger(__name__)

Status = Enrollment.Status
Method = Attendance.Method


class CheckInCodeUnknown(EnrollmentError):
    message = _("No enrollment has this check-in code. Check the code on the slip and try again.")


class CheckInWrongCourse(EnrollmentError):
    message = _("This check-in code belongs to another course.")


class NoSessionToday(EnrollmentError):
    message = _("This course has no session today, so nobody can be checked in for it now.")


class AttendanceNotOpen(EnrollmentError):
    message = _("Attendance can be taken from the day of the session.")


class NotAttending(EnrollmentError):
    message = _("This learner does not hold a seat in the course.")


class AttendanceClosed(EnrollmentError):
    message = _("Completion of this course has been decided; attendance can no longer change.")


class CompletionNotDue(EnrollmentError):
    message = _("Completion is decided only after the last session has ended.")


class ConsentMissing(EnrollmentError):
    message = _(
        "Self-identification is stored only with the learner's signed paper consent. Tick the "
        "consent box, or leave these answers empty."
    )


class InvalidPhone(EnrollmentError):
    message = _("Enter a Taiwanese mobile number, e.g. 0912-345-678.")


class NoContact(EnrollmentError):
    message = _("Give a mobile number, a landline or an email address, so that we can reach them.")


# --- check-in codes and their QR ----------------------------------------------------------


def enrollment_check_in_url(*, enrollment: Enrollment) -> str:
    """The absolute URL a slip's (and My courses') QR code carries: staff scan it with a
    phone's camera and land on the admin's check-in page for this enrollment."""
    path = reverse("enrollment_admin:check_in_qr", kwargs={"code": enrollment.check_in_code})
    return settings.SITE_URL.rstrip("/") + path


# --- attendance -----------------------------------------------------------------------------


def _attending_enrollment(enrollment: Enrollment) -> Enrollment:
    """The enrollment, locked, if its learner holds a seat whose attendance may change."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status in (Status.COMPLETED, Status.NOT_COMPLETED):
        raise AttendanceClosed
    if enrollment.status == Status.WAITLISTED:
        raise NotAttending(_("This learner is on the waiting list, not in the class."))
    if enrollment.status == Status.CANCELLED:
        raise NotAttending(_("This enrollment was cancelled."))
    return enrollment


@transaction.atomic
def attendance_record(
    *,
    enrollment: Enrollment,
    session: CourseSession,
    present: bool,
    method: str = Method.ROSTER,
    actor: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> Attendance:
    """Mark a learner present or absent at one session of their course. Marking again
    overwrites (a mistaken tap is undone by tapping the other button)."""
    now = now or timezone.now()
    if session.page_id != enrollment.course_id:
        raise CheckInWrongCourse(_("This session belongs to another course."))
    if taipei_date(session.start) > taipei_date(now):
        raise AttendanceNotOpen
    enrollment = _attending_enrollment(enrollment)
    attendance, _created = Attendance.objects.update_or_create(
        enrollment=enrollment,
        session=session,
        defaults={"present": present, "method": method, "recorded_at": now, "recorded_by": actor},
    )
    return attendance


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    enrollment: Enrollment
    session: CourseSession
    already: bool  # the learner had already been checked in for this session


@transaction.atomic
def attendance_check_in_by_code(
    *,
    code: str,
    actor: AbstractBaseUser | None,
    method: str = Method.CODE,
    session: CourseSession | None = None,
    now: datetime | None = None,
) -> CheckIn:
    """Check a learner in by the code on their slip (typed) or its QR code (scanned).

    Without `session`, the course's session happening today is used (the nearest to now if
    there are several). Only the course's instructor, counter staff and administrators may
    check in; for anyone else the code is unknown. A second check-in changes nothing."""
    now = now or timezone.now()
    enrollment = enrollment_for_check_in(user=actor, code=code)
    if enrollment is None:
        raise CheckInCodeUnknown
    if session is None:
        session = session_today(sessions=course_sessions(course=enrollment.course), now=now)
        if session is None:
            raise NoSessionToday
    elif session.page_id != enrollment.course_id:
        raise CheckInWrongCourse
    existing = Attendance.objects.filter(enrollment=enrollment, session=session, present=True)
    if attendance := existing.first():
        _attending_enrollment(enrollment)  # still refuse a cancelled or decided enrollment
        return CheckIn(attendance=attendance, enrollment=enrollment, session=session, already=True)
    attendance = attendance_record(
        enrollment=enrollment, session=session, present=True, method=method, actor=actor, now=now
    )
    return CheckIn(attendance=attendance, enrollment=enrollment, session=session, already=False)


# --- completion -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionDecision:
    completed: list[int] = field(default_factory=list)  # enrollment ids
    not_completed: list[int] = field(default_factory=list)
    already_decided: bool = False


def attendance_meets_rule(*, attended: int, total: int, percent: int) -> bool:
    """attended / total ≥ percent / 100, in integers (no rounding surprises at the boundary)."""
    return total > 0 and attended * 100 >= percent * total


def _send_completed(enrollment_ids: list[int]) -> None:
    for enrollment in (
        Enrollment.objects.filter(pk__in=enrollment_ids)
        .select_related("learner", "course")
        .order_by("pk")
    ):
        for receiver, response in course_completed.send_robust(
            sender=Enrollment, enrollment=enrollment, course=enrollment.course
        ):
            if isinstance(response, Exception):
                logger.error(
                    "course_completed receiver %r failed for enrollment %s",
                    receiver,
                    enrollment.pk,
                    exc_info=response,
                )


@transaction.atomic
def course_completion_decide(
    *, course: CoursePage, now: datetime | None = None
) -> CompletionDecision:
    """After the last session, decide for each confirmed enrollment: COMPLETED if the learner
    attended at least the course's share of sessions, else NOT_COMPLETED.

    Idempotent: once decided (CourseSeats.completion_decided_at), running it again changes
    nothing and sends nothing. `course_completed` is sent once per completed enrollment after
    the transaction commits."""
    now = now or timezone.now()
    course_seats_ensure(course=course)
    seats = CourseSeats.objects.select_for_update().get(course=course)
    if seats.completion_decided_at is not None:
        return CompletionDecision(already_decided=True)

    sessions = CourseSession.objects.filter(page=course)
    total = sessions.count()
    last_end = sessions.aggregate(last=Max("end"))["last"]
    if last_end is None or last_end > now:
        raise CompletionNotDue

    # Locked first (FOR UPDATE cannot carry GROUP BY), then counted.
    confirmed = list(
        Enrollment.objects.select_for_update()
        .filter(course=course, status=Status.CONFIRMED)
        .values_list("pk", flat=True)
    )
    attended = dict(
        Attendance.objects.filter(enrollment__in=confirmed, present=True, session__page=course)
        .values("enrollment")
        .annotate(n=Count("pk"))
        .values_list("enrollment", "n")
    )
    decision = CompletionDecision()
    for pk in confirmed:
        rule_met = attendance_meets_rule(
            attended=attended.get(pk, 0), total=total, percent=course.completion_percent
        )
        (decision.completed if rule_met else decision.not_completed).append(pk)

    Enrollment.objects.filter(pk__in=decision.completed).update(
        status=Status.COMPLETED, decided_at=now
    )
    Enrollment.objects.filter(pk__in=decision.not_completed).update(
        status=Status.NOT_COMPLETED, decided_at=now
    )
    seats.completion_decided_at = now
    seats.save(update_fields=["completion_decided_at"])
    if decision.completed:
        completed = list(decision.completed)
        transaction.on_commit(lambda: _send_completed(completed))
    return decision


def courses_completion_due(*, now: datetime | None = None) -> list[int]:
    """Ids of courses whose last session has ended and whose completion is not decided yet
    (for a periodic task that calls course_completion_decide on each)."""
    now = now or timezone.now()
    return list(
        CoursePage.objects.annotate(last_end=Max("sessions__end"))
        .filter(last_end__lte=now)
        .filter(Q(seats__isnull=True) | Q(seats__completion_decided_at__isnull=True))
        .order_by("last_end", "pk")
        .values_list("pk", flat=True)
    )


# --- enrollment at a counter ----------------------------------------------------------------


def _learner_phone(raw: str) -> str:
    """A mobile number as stored on learners (E.164), or InvalidPhone with phone_normalise's
    message (which says what is wrong: a landline, letters, too few digits)."""
    try:
        return phone_normalise(raw)
    except ValidationError as error:
        raise InvalidPhone(error.messages[0]) from error


def _learner_landline(raw: str) -> str:
    try:
        return landline_normalise(raw)
    except ValidationError as error:
        raise InvalidPhone(error.messages[0]) from error


@dataclass(frozen=True)
class SelfIdentificationAnswers:
    """Optional self-identification, copied from the learner's paper form."""

    indigenous: str = ""
    indigenous_nation: str = ""
    new_immigrant: str = ""
    origin_country: str = ""
    disability: str = ""

    def is_empty(self) -> bool:
        return not any(
            (
                self.indigenous,
                self.indigenous_nation,
                self.new_immigrant,
                self.origin_country,
                self.disability,
            )
        )


@dataclass(frozen=True)
class NewLearner:
    """What counter staff ask a citizen who is not registered yet."""

    name: str
    birth_year: int
    phone: str = ""  # a mobile number
    district: District | None = None
    landline: str = ""  # for citizens without a mobile phone
    email: str = ""
    alternate_name: str = ""
    preferred_language: str = "zh-hant"
    self_identification: SelfIdentificationAnswers = field(
        default_factory=SelfIdentificationAnswers
    )
    paper_consent: bool = False


def learner_consent_record_paper(
    *,
    learner: Learner,
    answers: SelfIdentificationAnswers,
    actor: AbstractBaseUser | None,
    now: datetime | None = None,
) -> ConsentRecord:
    """Record consent the learner gave on paper at a counter, and store their answers.
    The record keeps the wording, its version, when, and who keyed it in."""
    now = now or timezone.now()
    with transaction.atomic():
        with translation.override(learner.preferred_language):
            text = str(PAPER_CONSENT_TEXT) % {"version": CONSENT_VERSION}
        record = ConsentRecord.objects.create(
            learner=learner,
            action=ConsentRecord.Action.GIVEN,
            version=CONSENT_VERSION,
            text=text,
            channel=ConsentRecord.Channel.PAPER,
            recorded_by=actor,
            recorded_at=now,
        )
        learner.consent_version = CONSENT_VERSION
        learner.consent_given_at = now
        learner.indigenous = answers.indigenous
        learner.indigenous_nation = answers.indigenous_nation
        learner.new_immigrant = answers.new_immigrant
        learner.origin_country = answers.origin_country
        learner.disability = answers.disability
        learner.save(
            update_fields=[
                "consent_version",
                "consent_given_at",
                "indigenous",
                "indigenous_nation",
                "new_immigrant",
                "origin_country",
                "disability",
                "updated_at",
            ]
        )
    return record


def learner_find_or_create_for_counter(
    *, new_learner: NewLearner, actor: AbstractBaseUser | None, now: datetime | None = None
) -> tuple[Learner, bool]:
    """The learner with this mobile number, or a new one registered by `actor`.

    Without a mobile number: a landline or an email address reaches them (a landline is
    shared in a household, so the same landline, name and year of birth is the same person).
    Self-identification is stored only with paper consent (ConsentRecord, channel paper);
    answers without it are refused. An existing learner is returned unchanged: their profile
    is theirs to edit."""
    if not new_learner.self_identification.is_empty() and not new_learner.paper_consent:
        raise ConsentMissing
    phone = _learner_phone(new_learner.phone) if new_learner.phone else ""
    landline = _learner_landline(new_learner.landline) if new_learner.landline else ""
    if not (phone or landline or new_learner.email):
        raise NoContact
    with transaction.atomic():
        if phone:
            existing = Learner.objects.filter(phone=phone).first()
        else:
            same_person = Q(name=new_learner.name, birth_year=new_learner.birth_year)
            existing = (
                Learner.objects.filter(same_person, landline=landline).first()
                if landline
                else Learner.objects.filter(same_person, email=new_learner.email, phone="").first()
            )
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                learner = Learner.objects.create(
                    name=new_learner.name,
                    alternate_name=new_learner.alternate_name,
                    birth_year=new_learner.birth_year,
                    district=new_learner.district,
                    phone=phone,
                    landline=landline,
                    email=new_learner.email,
                    preferred_language=new_learner.preferred_language,
                    registered_by=actor,
                )
        except IntegrityError:
            # Another counter registered the same number a moment ago.
            return Learner.objects.get(phone=phone), False
        if new_learner.paper_consent:
            learner_consent_record_paper(
                learner=learner,
                answers=new_learner.self_identification,
                actor=actor,
                now=now,
            )
    return learner, True


@transaction.atomic
def counter_enroll(
    *,
    course: CoursePage,
    actor: AbstractBaseUser | None,
    learner: Learner | None = None,
    new_learner: NewLearner | None = None,
    now: datetime | None = None,
) -> Enrollment:
    """Enroll a citizen at a counter: an existing learner, or a new one registered on the
    spot, in one transaction (if the enrollment is refused, no learner is left behind).
    Staff may enroll outside the online registration window."""
    if (learner is None) == (new_learner is None):
        raise ValueError("Pass either learner or new_learner.")
    if learner is None:
        learner, _created = learner_find_or_create_for_counter(
            new_learner=new_learner, actor=actor, now=now
        )
    return enrollment_create(
        learner=learner,
        course=course,
        channel=Enrollment.Channel.ASSISTED,
        actor=actor,
        now=now,
        ignore_window=True,
    )
