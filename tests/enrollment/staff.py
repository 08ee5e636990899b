"""Helpers for the staff-side tests (rosters, check-in, the counter, slips)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from courses.models import CoursePage
from courses.roles import COUNTER_STAFF
from enrollment.models import Enrollment
from enrollment.services import enrollment_create
from tests.factories import CoursePageFactory, LearnerFactory, UserFactory


def counter_staff_user(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=COUNTER_STAFF))
    return user


def course_with_sessions(
    catalogue, *, starts: list[datetime], hours: int = 2, **kwargs
) -> CoursePage:
    return CoursePageFactory(
        parent=catalogue,
        sessions=[(start, start + timedelta(hours=hours)) for start in starts],
        **kwargs,
    )


def course_running_today(catalogue, **kwargs) -> CoursePage:
    """Sessions a week ago, today (starting now) and next week."""
    now = timezone.now().replace(microsecond=0)
    return course_with_sessions(
        catalogue, starts=[now - timedelta(weeks=1), now, now + timedelta(weeks=1)], **kwargs
    )


def enroll(course: CoursePage, learner=None, **learner_kwargs) -> Enrollment:
    return enrollment_create(
        learner=learner or LearnerFactory(**learner_kwargs), course=course, ignore_window=True
    )
