"""The demo's survey answers: made through the real services for finished courses, after the
enrollment demo, once, without sending mail."""

from datetime import timedelta

from django.utils import timezone

import pytest

from courses.demo import SeedReport, demo_data_seeded
from enrollment.demo import DEMO_PHONE_PREFIX, demo_enrollment_seed
from enrollment.models import Enrollment
from surveys.demo import demo_surveys_seed
from surveys.models import Answer, Invitation, Response
from tests.enrollment.staff import course_with_sessions
from tests.factories import AdministratorFactory, LearnerFactory

from .conftest import mark_present, seat_holder

pytestmark = pytest.mark.django_db


def test_the_survey_seeder_runs_after_the_enrollment_seeder():
    receivers = [receiver() for _key, receiver, *_rest in demo_data_seeded.receivers]
    assert receivers.index(demo_enrollment_seed) < receivers.index(demo_surveys_seed)


def test_demo_answers_are_made_once_without_mail(catalogue, default_survey, mailoutbox):
    AdministratorFactory(username="admin")
    last = timezone.now().replace(microsecond=0) - timedelta(days=10)
    course = course_with_sessions(catalogue, starts=[last - timedelta(weeks=1), last])
    for n in range(12):
        enrollment = seat_holder(
            course,
            learner=LearnerFactory(
                phone=f"{DEMO_PHONE_PREFIX}{n:03d}", email="" if n % 3 == 0 else f"d{n}@x.test"
            ),
        )
        mark_present(enrollment, course.last_session, present=n != 5)
    mailoutbox.clear()

    report = SeedReport()
    demo_surveys_seed(report=report)

    assert Invitation.objects.count() == 11  # the one absent from the last class is not asked
    responses = Response.objects.filter(course=course)
    assert report.created["responses"] == responses.count() > 0
    assert set(responses.values_list("channel", flat=True)) <= {"online", "paper"}
    assert not responses.filter(invitation__isnull=False).exists()  # the default is anonymous
    assert Answer.objects.filter(response__in=responses, value__isnull=False).exists()
    # Recorded as sent, so no sweep emails the demo learners later; no mail now.
    assert not Invitation.objects.filter(
        sent_at__isnull=True, enrollment__learner__email__gt=""
    ).exists()
    assert mailoutbox == []

    demo_surveys_seed(report=SeedReport())
    assert Response.objects.count() == responses.count()
    assert Enrollment.objects.count() == 12
