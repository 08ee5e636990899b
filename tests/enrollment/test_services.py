from datetime import timedelta

from django.db import IntegrityError
from django.utils import timezone

import pytest

from courses.models import CourseSeats
from enrollment.exceptions import (
    CancellationClosed,
    NotLive,
    RegistrationClosed,
    RegistrationNotOpen,
    TermLimitReached,
)
from enrollment.models import Enrollment, Learner, Notification
from enrollment.services import (
    enrollment_cancel,
    enrollment_create,
    reserved_seats_release,
    waitlist_position,
)
from tests.factories import CoursePageFactory, LearnerFactory, TermFactory

# These tests read English wording; the default interface is Traditional Chinese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Enrollment.Status


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, capacity=2)


def seats(course) -> CourseSeats:
    return CourseSeats.objects.get(course=course)


def test_enrollment_create_confirms_while_seats_are_free(course):
    enrollment = enrollment_create(learner=LearnerFactory(), course=course)
    assert enrollment.status == Status.CONFIRMED
    assert enrollment.seat_kind == Enrollment.SeatKind.GENERAL
    assert seats(course).general_taken == 1
    assert len(enrollment.check_in_code) == 8


def test_enrollment_create_waitlists_when_course_is_full(course):
    for _ in range(2):
        enrollment_create(learner=LearnerFactory(), course=course)
    third = enrollment_create(learner=LearnerFactory(), course=course)
    fourth = enrollment_create(learner=LearnerFactory(), course=course)
    assert third.status == fourth.status == Status.WAITLISTED
    assert third.seat_kind == Enrollment.SeatKind.NONE
    assert (waitlist_position(enrollment=third), waitlist_position(enrollment=fourth)) == (1, 2)
    assert seats(course).waitlisted == 2


def test_enrolling_twice_returns_the_same_enrollment(course):
    learner = LearnerFactory()
    first = enrollment_create(learner=learner, course=course)
    again = enrollment_create(learner=learner, course=course)
    assert again.pk == first.pk
    assert Enrollment.objects.count() == 1
    assert seats(course).general_taken == 1


def test_database_refuses_a_second_live_enrollment(course):
    learner = LearnerFactory()
    enrollment_create(learner=learner, course=course)
    with pytest.raises(IntegrityError):
        Enrollment.objects.create(learner=learner, course=course, status=Status.WAITLISTED)


def test_registration_window_is_enforced(course):
    learner = LearnerFactory()
    with pytest.raises(RegistrationNotOpen):
        enrollment_create(
            learner=learner, course=course, now=course.registration_opens_at - timedelta(1)
        )
    with pytest.raises(RegistrationClosed) as error:
        enrollment_create(
            learner=learner, course=course, now=course.registration_closes_at + timedelta(1)
        )
    assert "closed" in str(error.value.message)
    assert not Enrollment.objects.exists()


def test_counter_staff_may_enroll_outside_the_window(course):
    late = course.registration_closes_at + timedelta(hours=1)
    enrollment = enrollment_create(
        learner=LearnerFactory(), course=course, now=late, ignore_window=True
    )
    assert enrollment.status == Status.CONFIRMED


def test_term_limit_counts_live_enrollments(catalogue):
    term = TermFactory(max_enrollments_per_learner=1)
    first = CoursePageFactory(parent=catalogue, term=term)
    second = CoursePageFactory(parent=catalogue, term=term)
    learner = LearnerFactory()
    enrollment = enrollment_create(learner=learner, course=first)
    with pytest.raises(TermLimitReached):
        enrollment_create(learner=learner, course=second)
    enrollment_cancel(enrollment=enrollment)
    assert enrollment_create(learner=learner, course=second).status == Status.CONFIRMED


def test_cancel_promotes_the_first_waiting_learner_and_notifies_both(course):
    confirmed = [enrollment_create(learner=LearnerFactory(), course=course) for _ in range(2)]
    first_waiting = enrollment_create(learner=LearnerFactory(), course=course)
    second_waiting = enrollment_create(learner=LearnerFactory(), course=course)

    enrollment_cancel(enrollment=confirmed[0])

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == Status.CONFIRMED
    assert waitlist_position(enrollment=second_waiting) == 1
    assert seats(course).general_taken == 2 and seats(course).waitlisted == 1
    kinds = set(Notification.objects.values_list("enrollment_id", "kind"))
    assert (confirmed[0].pk, "cancelled") in kinds
    assert (first_waiting.pk, "promoted") in kinds


def test_learner_can_leave_the_waiting_list(course):
    for _ in range(2):
        enrollment_create(learner=LearnerFactory(), course=course)
    waiting = enrollment_create(learner=LearnerFactory(), course=course)
    behind = enrollment_create(learner=LearnerFactory(), course=course)
    enrollment_cancel(enrollment=waiting)
    assert waitlist_position(enrollment=behind) == 1
    assert seats(course).waitlisted == 1


def test_cancelling_twice_is_refused(course):
    enrollment = enrollment_create(learner=LearnerFactory(), course=course)
    enrollment_cancel(enrollment=enrollment)
    with pytest.raises(NotLive):
        enrollment_cancel(enrollment=enrollment)


def test_learners_cannot_cancel_a_seat_after_the_deadline_but_staff_can(course):
    enrollment = enrollment_create(learner=LearnerFactory(), course=course)
    too_late = course.cancellation_closes_at() + timedelta(minutes=1)
    with pytest.raises(CancellationClosed):
        enrollment_cancel(enrollment=enrollment, now=too_late)
    enrollment_cancel(enrollment=enrollment, now=too_late, by_staff=True)
    assert seats(course).general_taken == 0


@pytest.fixture
def senior_course(catalogue):
    """Four seats, two reserved for seniors until 7 days before the first class (in 30 days,
    so the reserved seats are still held whatever the time of day the tests run)."""
    first = timezone.now() + timedelta(days=30)
    return CoursePageFactory(
        parent=catalogue,
        capacity=4,
        reserved_seats=2,
        target_groups=["seniors"],
        registration_closes_at=first - timedelta(days=1),
        sessions=[(first, first + timedelta(hours=2))],
    )


def test_reserved_seats_go_only_to_the_courses_target_groups(senior_course):
    young = [enrollment_create(learner=LearnerFactory(), course=senior_course) for _ in range(3)]
    assert [e.status for e in young] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    senior = enrollment_create(learner=LearnerFactory(senior=True), course=senior_course)
    assert (senior.status, senior.seat_kind) == (Status.CONFIRMED, Enrollment.SeatKind.RESERVED)


def test_senior_takes_a_general_seat_first_when_no_reserved_one_is_left(senior_course):
    for _ in range(2):
        enrollment_create(learner=LearnerFactory(senior=True), course=senior_course)
    third = enrollment_create(learner=LearnerFactory(senior=True), course=senior_course)
    assert (third.status, third.seat_kind) == (Status.CONFIRMED, Enrollment.SeatKind.GENERAL)


def test_indigenous_elders_count_as_seniors_from_55(senior_course):
    today = timezone.localdate()
    elder = LearnerFactory(indigenous_person=True, birth_year=today.year - 56)
    assert elder.is_senior()
    assert not LearnerFactory(birth_year=today.year - 56).is_senior()


def test_unused_reserved_seats_open_to_everyone_before_the_class(senior_course):
    waiting = []
    for _ in range(4):
        waiting.append(enrollment_create(learner=LearnerFactory(), course=senior_course))
    assert [e.status for e in waiting].count(Status.WAITLISTED) == 2

    release_at = senior_course.reserved_release_at()
    assert reserved_seats_release(course=senior_course, now=release_at - timedelta(1)) == []
    promoted = reserved_seats_release(course=senior_course, now=release_at)
    assert [e.pk for e in promoted] == [waiting[2].pk, waiting[3].pk]
    assert reserved_seats_release(course=senior_course, now=release_at) == []  # once

    late = enrollment_create(learner=LearnerFactory(), course=senior_course, now=release_at)
    assert late.status == Status.WAITLISTED


def test_a_freed_reserved_seat_waits_for_an_eligible_learner(senior_course):
    seniors = [
        enrollment_create(learner=LearnerFactory(senior=True), course=senior_course)
        for _ in range(2)
    ]
    young = [enrollment_create(learner=LearnerFactory(), course=senior_course) for _ in range(3)]
    assert young[2].status == Status.WAITLISTED
    enrollment_cancel(enrollment=seniors[0])
    young[2].refresh_from_db()
    assert young[2].status == Status.WAITLISTED  # the reserved seat is kept for a senior
    senior = enrollment_create(learner=LearnerFactory(senior=True), course=senior_course)
    assert senior.seat_kind == Enrollment.SeatKind.RESERVED


def test_demographics_cannot_be_stored_without_consent():
    with pytest.raises(IntegrityError):
        Learner.objects.create(
            name="王小明", birth_year=1950, phone="+886912000001", indigenous="yes"
        )


def test_learner_needs_a_phone_or_an_email():
    with pytest.raises(IntegrityError):
        Learner.objects.create(name="王小明", birth_year=1950)
