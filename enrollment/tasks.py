"""Thin Celery wrappers around enrollment services. Every task takes ids (or nothing), loads
fresh state and may run twice: the work underneath checks what is already done under a lock
or a unique key. Only transient database errors are retried here; the outbox relay keeps its
own record of failed sends. The schedule is CELERY_BEAT_SCHEDULE in ezlearn/settings/base.py."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.utils import timezone

from celery import shared_task

from courses.models import CoursePage

from . import notifications
from .attendance import course_completion_decide, courses_completion_due
from .certificate_selectors import enrollments_for_certificate_sweep
from .certificates import certificate_issue, certificate_issue_queue
from .models import Enrollment
from .selectors import courses_due_for_reserved_release
from .services import reserved_seats_release

logger = logging.getLogger(__name__)

TASK_OPTIONS = {
    "acks_late": True,
    "ignore_result": True,
    # Lost connections and lock timeouts pass; anything else is a bug and should be seen.
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**TASK_OPTIONS)
def notifications_send_due() -> int:
    """Send every message waiting in the outbox (also run by Celery beat every minute)."""
    return notifications.notifications_send_due()


@shared_task(**TASK_OPTIONS)
def reminders_queue_due() -> int:
    """Queue reminders for courses starting today or tomorrow, then send them."""
    queued = notifications.reminders_queue_due()
    if queued:
        _kick_relay()
    return queued


@shared_task(**TASK_OPTIONS)
def reserved_seats_release_due() -> int:
    """Release the reserved seats of every course whose release moment has come: one task
    per course, so one failing course does not hold up the others."""
    course_ids = courses_due_for_reserved_release(now=timezone.now())
    for course_id in course_ids:
        reserved_seats_release_course.delay(course_id)
    return len(course_ids)


@shared_task(**TASK_OPTIONS)
def reserved_seats_release_course(course_id: int) -> int:
    """Move waiting learners into a course's released reserved seats (once: the service
    records the release under the course's seat lock and does nothing the second time)."""
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    return len(reserved_seats_release(course=course))


@shared_task(**TASK_OPTIONS)
def course_completion_decide_due() -> int:
    """Decide completion for every course whose last session has ended: one task per
    course."""
    course_ids = courses_completion_due()
    for course_id in course_ids:
        course_completion_decide_course.delay(course_id)
    return len(course_ids)


@shared_task(**TASK_OPTIONS)
def course_completion_decide_course(course_id: int) -> None:
    """Idempotent: the service decides each enrollment once, under the course's seat lock."""
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is not None:
        course_completion_decide(course=course)


# Rendering writes a file: a full disk or an unreachable media store passes too.
CERTIFICATE_TASK_OPTIONS = {
    **TASK_OPTIONS,
    "autoretry_for": (OperationalError, InterfaceError, OSError),
}


@shared_task(**CERTIFICATE_TASK_OPTIONS)
def certificate_issue_task(enrollment_id: int) -> bool:
    """Render and store the certificate of a completed enrollment. Idempotent: True only on
    the run that issued it; a second run (or a lost ack) finds it and changes nothing."""
    enrollment = Enrollment.objects.filter(
        pk=enrollment_id, status=Enrollment.Status.COMPLETED
    ).first()
    if enrollment is None:
        return False
    return certificate_issue(enrollment=enrollment)[1]


@shared_task(**TASK_OPTIONS)
def certificates_sweep() -> int:
    """Queue the certificates that should exist and do not (a worker died mid-batch, the
    broker was down after completion). Run by beat every 30 minutes."""
    enrollment_ids = enrollments_for_certificate_sweep()
    certificate_issue_queue(enrollment_ids)
    return len(enrollment_ids)


def _kick_relay() -> None:
    """Ask for a relay run now; if the broker is unreachable, beat's next run sends them."""
    try:
        notifications_send_due.delay()
    except Exception:  # any broker failure; the outbox keeps the messages
        logger.warning("Could not reach the task broker; the outbox will retry.", exc_info=True)
