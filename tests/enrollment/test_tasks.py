"""Celery beat's work: reminders the day before the first class, reserved seats released on
time. Tasks run through the real Celery app (eager in tests) against the real database."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.utils import timezone

import pytest
from icalendar import Calendar

from courses.models import CourseSeats
from enrollment.models import Enrollment, Notification
from enrollment.notifications import SKIP_STARTED, notifications_send_due, reminders_queue_due
from enrollment.selectors import courses_due_for_reserved_release
from enrollment.services import enrollment_cancel, enrollment_create
from enrollment.tasks import (
    reminders_queue_due as reminders_queue_due_task,
)
from enrollment.tasks import reserved_seats_release_due
from ezlearn.celery import app
from tests.factories import CoursePageFactory, LearnerFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
Status = Enrollment.Status


def at(days: int, hour: int) -> datetime:
    """`days` from today at `hour` o'clock, Taipei time."""
    today = timezone.localtime()
    return (today + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def sessions_from(first, count: int = 2):
    return [(first + timedelta(weeks=i), first + timedelta(weeks=i, hours=3)) for i in range(count)]


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert schedule == settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} <= set(app.tasks)
    assert schedule["notifications-send-due"]["schedule"] == 60.0


# --- Reminders ---


def test_a_reminder_is_queued_once_for_confirmed_learners_of_courses_starting_tomorrow(catalogue):
    now = timezone.now()
    tomorrow = CoursePageFactory(parent=catalogue, sessions=sessions_from(at(1, 10)))
    next_week = CoursePageFactory(parent=catalogue, sessions=sessions_from(at(7, 10)))
    coming = enrollment_create(learner=LearnerFactory(), course=tomorrow)
    enrollment_create(learner=LearnerFactory(), course=next_week)
    left = enrollment_create(learner=LearnerFactory(), course=tomorrow)
    enrollment_cancel(enrollment=left, by_staff=True)

    assert reminders_queue_due(now=now) == 1
    assert reminders_queue_due(now=now) == 0
    reminders_queue_due_task.delay()  # the beat task: queues nothing new, kicks the relay

    [reminder] = Notification.objects.filter(kind=Kind.REMINDER)
    assert reminder.enrollment == coming
    assert reminder.dedupe_key == f"reminder:{coming.pk}"


def test_the_reminder_task_sends_the_reminder_with_the_calendar_once(catalogue):
    course = CoursePageFactory(parent=catalogue, sessions=sessions_from(at(1, 14)))
    learner = LearnerFactory(preferred_language="en")
    enrollment_create(learner=learner, course=course)
    notifications_send_due()  # the confirmation
    mail.outbox.clear()

    reminders_queue_due_task.delay()
    reminders_queue_due_task.delay()  # beat runs hourly: still one reminder

    [message] = mail.outbox
    assert message.subject.startswith("Reminder: your class starts ")
    assert course.title in message.subject
    assert "14:00" in message.subject
    [part] = list(message.message().iter_attachments())
    assert part.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert len(calendar.walk("VEVENT")) == 2


def test_a_reminder_that_would_arrive_after_the_class_started_is_dropped(catalogue):
    first = at(1, 10)
    course = CoursePageFactory(parent=catalogue, sessions=sessions_from(first))
    enrollment_create(learner=LearnerFactory(), course=course)
    notifications_send_due()
    reminders_queue_due()
    mail.outbox.clear()

    # The relay was held up until after the first class began.
    assert notifications_send_due(now=first + timedelta(minutes=5)) == 0

    assert mail.outbox == []
    assert Notification.objects.get(kind=Kind.REMINDER).skipped_reason == SKIP_STARTED


# --- Reserved seats ---


@pytest.fixture
def reserved_course(catalogue):
    """Two seats, one kept for seniors until 7 days before a class 3 days away: the release
    moment passed yesterday plus three days, and the first class is still ahead."""
    return CoursePageFactory(
        parent=catalogue,
        capacity=2,
        reserved_seats=1,
        reserved_release_days=7,
        target_groups=["seniors"],
        registration_opens_at=timezone.now() - timedelta(days=10),
        sessions=sessions_from(at(3, 9)),
    )


def test_the_release_task_promotes_waiting_learners_into_released_seats_once(reserved_course):
    before_release = timezone.now() - timedelta(days=5)
    enrollments = [
        enrollment_create(learner=LearnerFactory(), course=reserved_course, now=before_release)
        for _ in range(3)
    ]
    assert [e.status for e in enrollments] == [
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]

    reserved_seats_release_due.delay()
    reserved_seats_release_due.delay()  # a second run (or a redelivered message) changes nothing

    statuses = [Enrollment.objects.get(pk=e.pk).status for e in enrollments]
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    assert Notification.objects.filter(kind=Kind.PROMOTED).count() == 1
    assert Notification.objects.get(kind=Kind.PROMOTED).enrollment == enrollments[1]
    seats = CourseSeats.objects.get(course=reserved_course)
    assert seats.reserved_released_at is not None
    assert (seats.general_taken, seats.reserved_taken, seats.waitlisted) == (2, 0, 1)
    assert courses_due_for_reserved_release(now=timezone.now()) == []


def test_only_courses_past_their_release_moment_with_the_class_ahead_are_due(catalogue):
    now = timezone.now()

    def course(first, **kwargs):
        options = {"reserved_seats": 2, "reserved_release_days": 7} | kwargs
        return CoursePageFactory(parent=catalogue, sessions=sessions_from(first), **options)

    due = course(at(3, 9))
    no_seat_row_yet = course(at(5, 9))
    course(at(10, 9))  # release moment in 3 days
    course(at(-1, 9))  # already started
    course(at(3, 9), reserved_seats=0)  # nothing reserved
    released = course(at(3, 9))
    for page in (due, released):
        CourseSeats.objects.create(course=page)
    CourseSeats.objects.filter(course=released).update(reserved_released_at=now)

    assert sorted(courses_due_for_reserved_release(now=now)) == sorted([due.pk, no_seat_row_yet.pk])


def test_completion_task_decides_finished_courses_once(catalogue):
    from datetime import timedelta

    from enrollment.models import Attendance
    from enrollment.tasks import course_completion_decide_due

    start = timezone.now() - timedelta(days=2)
    course = CoursePageFactory(parent=catalogue, sessions=[(start, start + timedelta(hours=2))])
    attended = enrollment_create(
        learner=LearnerFactory(),
        course=course,
        now=course.registration_opens_at,
        ignore_window=True,
    )
    absent = enrollment_create(
        learner=LearnerFactory(),
        course=course,
        now=course.registration_opens_at,
        ignore_window=True,
    )
    Attendance.objects.create(enrollment=attended, session=course.sessions.get(), present=True)

    assert course_completion_decide_due.delay().get() == 1
    attended.refresh_from_db()
    absent.refresh_from_db()
    assert (attended.status, absent.status) == ("completed", "not_completed")
    assert course_completion_decide_due.delay().get() == 0
