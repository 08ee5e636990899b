"""Attendance, check-in by code and the completion decision (services)."""

from datetime import timedelta

from django.utils import timezone

import pytest

from courses.models import CourseSeats
from enrollment.attendance import (
    AttendanceClosed,
    AttendanceNotOpen,
    CheckInCodeUnknown,
    CheckInWrongCourse,
    CompletionNotDue,
    NoSessionToday,
    NotAttending,
    attendance_check_in_by_code,
    attendance_meets_rule,
    attendance_record,
    course_completion_decide,
    courses_completion_due,
    enrollment_check_in_url,
)
from enrollment.models import Attendance, Enrollment
from enrollment.services import enrollment_cancel
from enrollment.signals import course_completed
from tests.enrollment.staff import (
    counter_staff_user,
    course_running_today,
    course_with_sessions,
    enroll,
)
from tests.factories import AdministratorFactory, InstructorFactory, LearnerFactory
from tests.factories.courses import taipei

# These tests read English wording; the default interface is Traditional Chinese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Enrollment.Status
Method = Attendance.Method


@pytest.fixture
def instructor(catalogue):
    return InstructorFactory()


@pytest.fixture
def course(catalogue, instructor):
    return course_running_today(catalogue, instructor=instructor)


def test_attendance_record_marks_present_then_absent_in_one_row(course, instructor):
    enrollment = enroll(course)
    session = course.session_list[1]

    attendance_record(enrollment=enrollment, session=session, present=True, actor=instructor)
    attendance_record(enrollment=enrollment, session=session, present=False, actor=instructor)

    attendance = Attendance.objects.get(enrollment=enrollment, session=session)
    assert attendance.present is False
    assert attendance.method == Method.ROSTER
    assert attendance.recorded_by == instructor


def test_attendance_cannot_be_taken_before_the_day_of_the_session(course, instructor):
    enrollment = enroll(course)
    next_week = course.session_list[2]
    with pytest.raises(AttendanceNotOpen):
        attendance_record(enrollment=enrollment, session=next_week, present=True)
    assert not Attendance.objects.exists()


def test_attendance_is_only_for_learners_holding_a_seat(catalogue, instructor):
    course = course_running_today(catalogue, instructor=instructor, capacity=1)
    enroll(course)
    waiting = enroll(course)
    assert waiting.status == Status.WAITLISTED
    session = course.session_list[1]
    with pytest.raises(NotAttending):
        attendance_record(enrollment=waiting, session=session, present=True)

    cancelled = enrollment_cancel(enrollment=waiting, by_staff=True)
    with pytest.raises(NotAttending):
        attendance_record(enrollment=cancelled, session=session, present=True)
    assert not Attendance.objects.exists()


def test_attendance_refuses_a_session_of_another_course(catalogue, course):
    other = course_running_today(catalogue)
    with pytest.raises(CheckInWrongCourse):
        attendance_record(enrollment=enroll(course), session=other.session_list[1], present=True)


def test_check_in_by_code_records_todays_session(course, instructor):
    enrollment = enroll(course)
    # Typed with spaces, in lower case and with full-width letters: still the same code.
    code = enrollment.check_in_code
    typed = f" {code[:4].lower()} {chr(ord(code[4]) + 0xFEE0)}{code[5:]} "

    check_in = attendance_check_in_by_code(code=typed, actor=instructor)

    assert check_in.session == course.session_list[1]
    assert not check_in.already
    attendance = Attendance.objects.get()
    assert (attendance.enrollment, attendance.present, attendance.method) == (
        enrollment,
        True,
        Method.CODE,
    )


def test_checking_in_twice_changes_nothing(course, instructor):
    enrollment = enroll(course)
    first = attendance_check_in_by_code(
        code=enrollment.check_in_code, actor=instructor, method=Method.QR
    )
    again = attendance_check_in_by_code(code=enrollment.check_in_code, actor=instructor)
    assert again.already
    assert Attendance.objects.get().method == Method.QR
    assert again.attendance.pk == first.attendance.pk


def test_check_in_with_a_wrong_code_records_nothing(course, instructor):
    enroll(course)
    with pytest.raises(CheckInCodeUnknown) as error:
        attendance_check_in_by_code(code="ZZZZ2222", actor=instructor)
    assert "check-in code" in str(error.value.message)
    assert not Attendance.objects.exists()


def test_another_instructors_code_is_unknown_to_an_instructor(catalogue, course):
    other_instructor = InstructorFactory()
    enrollment = enroll(course)
    with pytest.raises(CheckInCodeUnknown):
        attendance_check_in_by_code(code=enrollment.check_in_code, actor=other_instructor)
    assert not Attendance.objects.exists()


def test_counter_staff_and_administrators_check_in_any_course(course):
    first, second = enroll(course), enroll(course)
    attendance_check_in_by_code(code=first.check_in_code, actor=counter_staff_user())
    attendance_check_in_by_code(code=second.check_in_code, actor=AdministratorFactory())
    assert Attendance.objects.filter(present=True).count() == 2


def test_check_in_needs_a_session_today(catalogue, instructor):
    now = timezone.now()
    course = course_with_sessions(
        catalogue, instructor=instructor, starts=[now + timedelta(days=2)]
    )
    enrollment = enroll(course)
    with pytest.raises(NoSessionToday):
        attendance_check_in_by_code(code=enrollment.check_in_code, actor=instructor)


def test_check_in_for_a_given_session_refuses_another_courses_code(catalogue, course):
    administrator = AdministratorFactory()
    other = course_running_today(catalogue)
    enrollment = enroll(other)
    with pytest.raises(CheckInWrongCourse):
        attendance_check_in_by_code(
            code=enrollment.check_in_code, actor=administrator, session=course.session_list[1]
        )


def test_check_in_url_points_at_the_admin_check_in_page(course, settings):
    settings.SITE_URL = "https://ezlearn.example/"
    enrollment = enroll(course)
    assert enrollment_check_in_url(enrollment=enrollment) == (
        f"https://ezlearn.example/admin/enrollment/check-in/{enrollment.check_in_code}/"
    )


# --- completion -----------------------------------------------------------------------------

FOUR_SESSIONS = [taipei(2026, 10, day) for day in (5, 12, 19, 26)]
AFTER = taipei(2026, 10, 27)


@pytest.fixture
def finished_course(catalogue, instructor):
    return course_with_sessions(
        catalogue, instructor=instructor, starts=FOUR_SESSIONS, completion_percent=75
    )


def attend(enrollment, sessions, *, count: int) -> None:
    for session in sessions[:count]:
        attendance_record(enrollment=enrollment, session=session, present=True, now=AFTER)
    for session in sessions[count:]:
        attendance_record(enrollment=enrollment, session=session, present=False, now=AFTER)


@pytest.mark.parametrize(
    ("attended", "total", "percent", "met"),
    [(3, 4, 75, True), (2, 4, 75, False), (2, 3, 67, False), (2, 3, 66, True), (0, 0, 1, False)],
)
def test_completion_rule_at_the_boundary(attended, total, percent, met):
    assert attendance_meets_rule(attended=attended, total=total, percent=percent) is met


def test_completion_decides_three_of_four_completed_and_two_of_four_not(finished_course):
    three, two = enroll(finished_course), enroll(finished_course)
    sessions = finished_course.session_list
    attend(three, sessions, count=3)
    attend(two, sessions, count=2)

    decision = course_completion_decide(course=finished_course, now=AFTER)

    assert decision.completed == [three.pk]
    assert decision.not_completed == [two.pk]
    three.refresh_from_db()
    two.refresh_from_db()
    assert (three.status, three.decided_at) == (Status.COMPLETED, AFTER)
    assert (two.status, two.decided_at) == (Status.NOT_COMPLETED, AFTER)
    assert CourseSeats.objects.get(course=finished_course).completion_decided_at == AFTER


def test_completion_is_not_decided_before_the_last_session_ends(finished_course):
    enroll(finished_course)
    last = finished_course.session_list[-1]
    with pytest.raises(CompletionNotDue):
        course_completion_decide(course=finished_course, now=last.end - timedelta(minutes=1))
    assert Enrollment.objects.get().status == Status.CONFIRMED


def test_completion_is_decided_once(finished_course):
    learner = enroll(finished_course)
    attend(learner, finished_course.session_list, count=4)
    course_completion_decide(course=finished_course, now=AFTER)

    later = AFTER + timedelta(days=3)
    again = course_completion_decide(course=finished_course, now=later)

    assert again.already_decided
    assert (again.completed, again.not_completed) == ([], [])
    learner.refresh_from_db()
    assert learner.decided_at == AFTER
    assert CourseSeats.objects.get(course=finished_course).completion_decided_at == AFTER


def test_completion_leaves_waiting_and_cancelled_enrollments_alone(catalogue):
    course = course_with_sessions(catalogue, starts=FOUR_SESSIONS, capacity=1)
    seated, waiting = enroll(course), enroll(course)
    leaving = enroll(course)
    enrollment_cancel(enrollment=leaving, by_staff=True)
    course_completion_decide(course=course, now=AFTER)
    statuses = dict(Enrollment.objects.values_list("pk", "status"))
    assert statuses == {
        seated.pk: Status.NOT_COMPLETED,
        waiting.pk: Status.WAITLISTED,
        leaving.pk: Status.CANCELLED,
    }


def test_attendance_is_closed_once_completion_is_decided(finished_course):
    enrollment = enroll(finished_course)
    course_completion_decide(course=finished_course, now=AFTER)
    with pytest.raises(AttendanceClosed):
        attendance_record(
            enrollment=enrollment,
            session=finished_course.session_list[0],
            present=True,
            now=AFTER,
        )


def test_course_completed_is_sent_once_per_completed_enrollment_after_commit(
    finished_course, django_capture_on_commit_callbacks
):
    completed = [enroll(finished_course) for _ in range(2)]
    not_completed = enroll(finished_course)
    for enrollment in completed:
        attend(enrollment, finished_course.session_list, count=3)
    attend(not_completed, finished_course.session_list, count=1)
    received = []

    def receiver(sender, enrollment, course, **kwargs):
        received.append((enrollment.pk, enrollment.status, course.pk))

    course_completed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            course_completion_decide(course=finished_course, now=AFTER)
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            course_completion_decide(course=finished_course, now=AFTER + timedelta(hours=1))
    finally:
        course_completed.disconnect(receiver)

    assert sorted(received) == sorted(
        (e.pk, Status.COMPLETED, finished_course.pk) for e in completed
    )


def test_a_failing_listener_does_not_stop_the_others(
    finished_course, django_capture_on_commit_callbacks
):
    enrollment = enroll(finished_course)
    attend(enrollment, finished_course.session_list, count=4)
    received = []

    def broken(sender, **kwargs):
        raise RuntimeError("certificate renderer down")

    def working(sender, enrollment, **kwargs):
        received.append(enrollment.pk)

    course_completed.connect(broken)
    course_completed.connect(working)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            course_completion_decide(course=finished_course, now=AFTER)
    finally:
        course_completed.disconnect(broken)
        course_completed.disconnect(working)
    assert received == [enrollment.pk]


def test_courses_completion_due_lists_ended_undecided_courses(catalogue, finished_course):
    running = course_running_today(catalogue)
    decided = course_with_sessions(catalogue, starts=FOUR_SESSIONS)
    course_completion_decide(course=decided, now=AFTER)
    never_enrolled = course_with_sessions(catalogue, starts=FOUR_SESSIONS)

    due = courses_completion_due(now=timezone.now())

    assert set(due) == {finished_course.pk, never_enrolled.pk}
    assert running.pk not in due
    assert courses_completion_due(now=FOUR_SESSIONS[-1]) == []


def test_learners_other_than_the_enrolled_one_do_not_count(finished_course):
    """Attendance of one learner never counts for another (per-enrollment counting)."""
    busy, idle = enroll(finished_course), enroll(finished_course, LearnerFactory())
    attend(busy, finished_course.session_list, count=4)
    decision = course_completion_decide(course=finished_course, now=AFTER)
    assert decision.completed == [busy.pk]
    assert decision.not_completed == [idle.pk]
