from django.utils import timezone

import factory

from surveys.models import Answer, Invitation, Question, Response, Survey
from surveys.tokens import invitation_token, new_nonce, token_hash


class SurveyFactory(factory.django.DjangoModelFactory):
    """A survey that is not the default (the default one comes from the migration, or
    surveys.services.default_survey_ensure)."""

    class Meta:
        model = Survey

    title_zh_hant = factory.Sequence(lambda n: f"問卷{n}")
    title_en = factory.Sequence(lambda n: f"Survey {n}")
    anonymous = False


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    sort_order = factory.Sequence(int)
    kind = Question.Kind.LIKERT
    text_zh_hant = factory.Sequence(lambda n: f"第{n}題您滿意嗎？")
    text_en = factory.Sequence(lambda n: f"Question {n}: are you satisfied?")


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation for `enrollment` (required). Its personal token is
    surveys.tokens.invitation_token(invitation.nonce)."""

    class Meta:
        model = Invitation

    course = factory.SelfAttribute("enrollment.course")
    survey = factory.SubFactory(SurveyFactory)
    nonce = factory.LazyFunction(new_nonce)
    token_hash = factory.LazyAttribute(lambda o: token_hash(invitation_token(o.nonce)))


class ResponseFactory(factory.django.DjangoModelFactory):
    """A stored response (as response_submit leaves it) for `course` and `survey`, without
    an invitation (as for an anonymous survey). Answers are added with AnswerFactory."""

    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    channel = Response.Channel.ONLINE
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)
    option = 0
