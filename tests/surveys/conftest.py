"""Fixtures for the survey tests: a course whose classes are over, learners who held a seat,
the default survey and invitations with their personal tokens."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

import pytest

from enrollment.models import Attendance, Enrollment
from surveys.services import default_survey_ensure
from surveys.tokens import invitation_token
from tests.enrollment.staff import course_with_sessions, enroll
from tests.factories import InvitationFactory, QuestionFactory, SurveyFactory


@pytest.fixture
def default_survey(db):
    """The default course-satisfaction survey (made by the migration; ensured here so the
    tests do not depend on migration data surviving other tests' flushes)."""
    return default_survey_ensure()


@pytest.fixture
def ended_course(catalogue, default_survey):
    """Three weekly classes, the last one ended yesterday."""
    last = timezone.now().replace(microsecond=0) - timedelta(days=1, hours=3)
    return course_with_sessions(
        catalogue, starts=[last - timedelta(weeks=2), last - timedelta(weeks=1), last]
    )


def seat_holder(course, status=Enrollment.Status.CONFIRMED, **learner_kwargs) -> Enrollment:
    """A learner who held a seat, with the given status (set directly: the completion
    decision is enrollment's business and tested there)."""
    enrollment = enroll(course, **learner_kwargs)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=status)
    enrollment.refresh_from_db()
    return enrollment


def mark_present(enrollment: Enrollment, session, present: bool = True) -> None:
    Attendance.objects.create(enrollment=enrollment, session=session, present=present)


@pytest.fixture
def completed(ended_course):
    return seat_holder(ended_course, Enrollment.Status.COMPLETED)


@pytest.fixture
def named_survey(ended_course):
    """A survey of the course's own, not anonymous, one question of each kind."""
    from surveys.models import Question

    survey = SurveyFactory(anonymous=False)
    survey.courses.add(ended_course)
    survey.save()
    QuestionFactory(survey=survey, kind=Question.Kind.LIKERT, topic="overall")
    QuestionFactory(
        survey=survey,
        kind=Question.Kind.SINGLE,
        text_zh_hant="您怎麼知道這門課？",
        text_en="How did you hear about the course?",
        options_zh_hant="里長廣播\n家人朋友\n網路",
        options_en="Community announcement\nFamily or friends\nInternet",
    )
    QuestionFactory(
        survey=survey,
        kind=Question.Kind.MULTIPLE,
        options_zh_hant="LINE 視訊\n拍照\n查公車",
        options_en="LINE video calls\nPhotos\nBus times",
    )
    QuestionFactory(survey=survey, kind=Question.Kind.RECOMMEND)
    QuestionFactory(survey=survey, kind=Question.Kind.TEXT, required=False)
    return survey


def invite(enrollment, survey) -> tuple:
    """An invitation and its personal token."""
    invitation = InvitationFactory(enrollment=enrollment, survey=survey)
    return invitation, invitation_token(invitation.nonce)
