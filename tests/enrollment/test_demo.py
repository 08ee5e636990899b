from io import StringIO

from django.core.management import call_command

import pytest

from courses.models import CourseSeats
from enrollment.models import Enrollment, Learner, Notification

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_learners_and_enrollments_once_without_sending_mail(mailoutbox):
    call_command("seed_demo", "--scale", "15", stdout=StringIO())
    learners, enrollments = Learner.objects.count(), Enrollment.objects.count()
    assert learners >= 400
    assert enrollments > 0
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert mailoutbox == []
    # Seat rows agree with the enrollments the services wrote.
    for seats in CourseSeats.objects.all():
        live = Enrollment.objects.filter(course_id=seats.course_id)
        seated = live.filter(status__in=["confirmed", "completed", "not_completed"])
        assert seats.taken == seated.count()
        assert seats.waitlisted == live.filter(status="waitlisted").count()
        assert seats.taken <= seats.course.capacity
    # No one stored self-identification without consent.
    assert not Learner.objects.filter(consent_given_at__isnull=True).exclude(indigenous="").exists()

    call_command("seed_demo", "--scale", "15", stdout=StringIO())
    assert (Learner.objects.count(), Enrollment.objects.count()) == (learners, enrollments)
