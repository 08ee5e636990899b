"""Survey data and its invariants: the default survey, one response per invitation, one
answer per question, questions with answers to choose from."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest

from surveys.defaults import DEFAULT_QUESTIONS
from surveys.models import Answer, Question, Response, Survey
from surveys.selectors import survey_for_course, survey_questions
from tests.factories import QuestionFactory, SurveyFactory

from .conftest import invite

pytestmark = pytest.mark.django_db
Topic = Question.Topic


def test_the_default_survey_exists_after_migrations():
    # Not via the default_survey fixture: this is what `migrate` left in the database.
    survey = Survey.objects.get(is_default=True)
    questions = survey_questions(survey=survey)
    assert survey.anonymous
    assert [q.topic for q in questions] == [
        Topic.CONTENT,
        Topic.INSTRUCTOR,
        Topic.PACE,
        Topic.VENUE,
        Topic.USEFULNESS,
        Topic.OVERALL,
        Topic.RECOMMEND,
        Topic.COMMENTS,
    ]
    assert [q.kind for q in questions] == ["likert"] * 6 + ["recommend", "text"]
    assert [q.required for q in questions] == [True] * 7 + [False]
    assert all(q.text_zh_hant and q.text_en for q in questions)
    assert len(questions) == len(DEFAULT_QUESTIONS)


def test_default_survey_ensure_is_idempotent(default_survey):
    from surveys.services import default_survey_ensure

    assert default_survey_ensure() == default_survey
    assert Survey.objects.filter(is_default=True).count() == 1


def test_only_one_survey_can_be_the_default(default_survey):
    other = SurveyFactory.build(is_default=True)
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "is_default" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_a_course_uses_its_own_survey_or_the_default(catalogue, default_survey, ended_course):
    from tests.factories import CoursePageFactory

    own = SurveyFactory()
    own.courses.add(ended_course)
    own.save()
    elsewhere = CoursePageFactory(parent=catalogue)

    assert survey_for_course(course=ended_course) == own
    assert survey_for_course(course=elsewhere) == default_survey


def test_question_texts_follow_the_language_and_fall_back_to_chinese():
    question = QuestionFactory.build(text_zh_hant="您滿意嗎？", text_en="Satisfied?")
    assert question.text_in("en") == "Satisfied?"
    assert question.text_in("zh-hant") == "您滿意嗎？"
    question.text_en = ""
    assert question.text_in("en") == "您滿意嗎？"


def test_choice_questions_need_the_same_answers_in_both_languages(db):
    question = QuestionFactory.build(
        kind=Question.Kind.SINGLE, options_zh_hant="是\n否\n不知道", options_en="Yes\nNo"
    )
    with pytest.raises(ValidationError) as error:
        question.clean()
    assert "options_en" in error.value.message_dict

    question.options_en = "Yes\nNo\nDon't know\n"
    question.clean()
    assert question.allowed_values == range(1, 4)
    assert question.options_in("en") == ["Yes", "No", "Don't know"]


def test_one_response_per_invitation_is_enforced_by_the_database(completed, named_survey):
    invitation, _token = invite(completed, named_survey)
    fields = {
        "survey": named_survey,
        "invitation": invitation,
        "course": completed.course,
        "submitted_at": timezone.now(),
    }
    Response.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(**fields)


def test_one_answer_per_question_and_option(completed, named_survey):
    invitation, _token = invite(completed, named_survey)
    response = Response.objects.create(
        survey=named_survey,
        invitation=invitation,
        course=completed.course,
        submitted_at=timezone.now(),
    )
    likert = named_survey.questions.get(kind="likert")
    Answer.objects.create(response=response, question=likert, value=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, question=likert, value=5)
    multiple = named_survey.questions.get(kind="multiple")
    Answer.objects.create(response=response, question=multiple, option=1, value=1)
    Answer.objects.create(response=response, question=multiple, option=3, value=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, question=multiple, option=3, value=3)


def test_an_answer_has_a_value_or_a_text(completed, named_survey):
    invitation, _token = invite(completed, named_survey)
    response = Response.objects.create(
        survey=named_survey,
        invitation=invitation,
        course=completed.course,
        submitted_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, question=named_survey.questions.first())


def test_only_paper_responses_name_who_keyed_them_in(completed, named_survey):
    from tests.factories import AdministratorFactory

    invitation, _token = invite(completed, named_survey)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            survey=named_survey,
            invitation=invitation,
            course=completed.course,
            submitted_at=timezone.now(),
            channel=Response.Channel.ONLINE,
            keyed_by=AdministratorFactory(),
        )
