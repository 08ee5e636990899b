"""Answering from the personal link: token rules, the learner's language, a form that keeps
what was typed, one response however often it is sent."""

import re

from django.conf import settings
from django.utils import translation

import pytest

from enrollment.models import Enrollment
from surveys.models import Invitation, Question, Response
from surveys.services import invitation_create

from .conftest import invite, seat_holder

# These tests read English wording; the default interface is Traditional Chinese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Kind = Question.Kind


def survey_url(token: str) -> str:
    return f"/surveys/{token}/"


def field(survey, kind: str) -> str:
    return f"q{survey.questions.get(kind=kind).pk}"


@pytest.fixture
def invitation_and_token(completed, named_survey):
    return invite(completed, named_survey)


def complete_answers(survey) -> dict:
    return {
        field(survey, Kind.LIKERT): "4",
        field(survey, Kind.SINGLE): "2",
        field(survey, Kind.MULTIPLE): ["1", "3"],
        field(survey, Kind.RECOMMEND): "9",
        field(survey, Kind.TEXT): "謝謝老師",
    }


# --- token rules ----------------------------------------------------------------------------


def test_a_valid_link_shows_the_form_without_signing_in(client, invitation_and_token):
    invitation, token = invitation_and_token
    response = client.get(survey_url(token))
    assert response.status_code == 200
    assert response.templates[0].name == "surveys/answer.html"
    assert invitation.course.title in response.content.decode()
    # A personal link stays out of other sites' Referer headers, caches and search engines.
    # (Not "no-referrer": browsers would then post the form with `Origin: null`, which CSRF
    # protection refuses.)
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize(
    "alter",
    [
        pytest.param(lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), id="one-character-changed"),
        pytest.param(lambda t: t[:-5], id="cut-short"),
        pytest.param(lambda t: "x" * 43, id="unknown"),
        pytest.param(lambda t: t + "%3Cscript%3E", id="junk-appended"),
    ],
)
def test_an_altered_or_unknown_link_gets_a_friendly_not_found_page(
    client, invitation_and_token, alter
):
    _invitation, token = invitation_and_token
    response = client.get(survey_url(alter(token)))
    assert response.status_code == 404
    assert response.templates[0].name == "surveys/link_not_found.html"
    body = response.content.decode()
    assert "We cannot find this survey" in body
    assert _invitation.course.title not in body
    assert client.post(survey_url(alter(token)), {}).status_code == 404


def test_a_used_link_says_it_was_already_answered(client, invitation_and_token, named_survey):
    invitation, token = invitation_and_token
    client.post(survey_url(token), complete_answers(named_survey))

    response = client.get(survey_url(token))
    assert response.status_code == 200
    assert response.templates[0].name == "surveys/already_answered.html"
    assert "這份問卷已經填寫過了" in response.content.decode()  # the learner's language


# --- answering ------------------------------------------------------------------------------


def test_answering_saves_one_response_and_thanks(client, invitation_and_token, named_survey):
    invitation, token = invitation_and_token

    response = client.post(survey_url(token), complete_answers(named_survey))

    assert response.status_code == 302
    assert response["Location"] == f"/surveys/{token}/thanks/"
    thanks = client.get(response["Location"])
    assert thanks.templates[0].name == "surveys/thanks.html"
    saved = Response.objects.get()
    assert saved.invitation == invitation and saved.channel == Response.Channel.ONLINE
    assert sorted(saved.answers.values_list("value", flat=True), key=str) == sorted(
        [4, 2, 1, 3, 9, None], key=str
    )
    assert saved.answers.get(value=None).text == "謝謝老師"


def test_a_second_submit_does_not_create_a_second_response(
    client, invitation_and_token, named_survey
):
    _invitation, token = invitation_and_token
    data = complete_answers(named_survey)
    assert client.post(survey_url(token), data).status_code == 302
    again = client.post(survey_url(token), data)
    assert again.status_code == 200
    assert again.templates[0].name == "surveys/already_answered.html"
    assert Response.objects.count() == 1


def test_thanks_before_answering_goes_back_to_the_form(client, invitation_and_token):
    _invitation, token = invitation_and_token
    response = client.get(f"/surveys/{token}/thanks/")
    assert response.status_code == 302
    assert response["Location"] == survey_url(token)


def test_a_partial_submission_keeps_what_was_typed_and_says_what_is_missing(
    client, invitation_and_token, named_survey
):
    _invitation, token = invitation_and_token
    data = complete_answers(named_survey)
    del data[field(named_survey, Kind.SINGLE)]
    del data[field(named_survey, Kind.MULTIPLE)]

    response = client.post(survey_url(token), data)

    assert response.status_code == 200
    assert not Response.objects.exists()
    html = response.content.decode()
    likert, recommend = field(named_survey, Kind.LIKERT), field(named_survey, Kind.RECOMMEND)
    assert re.search(rf'id="{likert}-4" name="{likert}" value="4" checked', html)
    assert re.search(rf'id="{recommend}-9" name="{recommend}" value="9" checked', html)
    assert ">謝謝老師</textarea>" in html
    assert 'class="error-summary" role="alert"' in html
    assert html.count('class="survey-q__error"') == 2
    assert "請選一個答案。" in html  # "Please choose an answer.", in the learner's language
    assert "請至少勾選一個答案。" in html
    single = field(named_survey, Kind.SINGLE)
    assert f'href="#{single}-1"' in html  # the summary links to the question


def test_the_form_is_accessible_without_script(client, invitation_and_token, named_survey):
    _invitation, token = invitation_and_token
    html = client.get(survey_url(token)).content.decode()
    likert = field(named_survey, Kind.LIKERT)
    # A fieldset named by its legend; each radio inside a label with its word; a face too.
    assert f'<fieldset class="survey-q" id="{likert}">' in html
    main = html.split("<main", 1)[1]
    assert main.count("<legend") == 4  # every question but the free text
    assert f'<label class="survey-option" for="{likert}-5">' in html
    assert "非常滿意" in html and 'class="survey-face survey-face--5"' in html
    assert f'<label class="survey-q__text" for="id_{field(named_survey, Kind.TEXT)}">' in html
    assert "<script" not in main


@pytest.mark.parametrize(
    ("language", "question", "likert_word", "html_lang"),
    [
        ("en", "How did you hear about the course?", "Very satisfied", "en"),
        ("zh-hant", "您怎麼知道這門課？", None, "zh-hant"),
    ],
)
def test_the_form_speaks_the_learners_language(
    client, ended_course, named_survey, language, question, likert_word, html_lang
):
    enrollment = seat_holder(ended_course, Enrollment.Status.COMPLETED, preferred_language=language)
    _invitation, token = invite(enrollment, named_survey)

    response = client.get(survey_url(token))

    html = response.content.decode()
    assert f'<html lang="{html_lang}">' in html
    assert response["Content-Language"] == language
    assert question in html
    with translation.override(language):
        assert translation.gettext("Very satisfied") in html
        assert translation.gettext("Send my answers") in html
    if likert_word:
        assert likert_word in html


def test_errors_are_in_the_learners_language(client, ended_course, named_survey):
    enrollment = seat_holder(
        ended_course, Enrollment.Status.COMPLETED, preferred_language="zh-hant"
    )
    _invitation, token = invite(enrollment, named_survey)
    data = complete_answers(named_survey)
    data[field(named_survey, Kind.SINGLE)] = "9"  # not an answer on the form
    del data[field(named_survey, Kind.LIKERT)]

    html = client.post(survey_url(token), data).content.decode()

    with translation.override("zh-hant"):
        invalid = translation.gettext(
            "Select a valid choice. %(value)s is not one of the available choices."
        ) % {"value": 9}
        missing = translation.gettext("Please choose an answer.")
    assert invalid.startswith("請選擇")  # Django's own catalogue
    assert invalid in html
    assert missing in html
    assert Response.objects.count() == 0


def test_a_visitor_who_switched_language_keeps_their_choice(client, ended_course, named_survey):
    enrollment = seat_holder(
        ended_course, Enrollment.Status.COMPLETED, preferred_language="zh-hant"
    )
    _invitation, token = invite(enrollment, named_survey)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(survey_url(token))

    assert response["Content-Language"] == "en"
    assert "How did you hear about the course?" in response.content.decode()


def test_the_default_survey_answers_anonymously_online(client, completed, default_survey):
    invitation, _created = invitation_create(enrollment=completed)
    from surveys.tokens import invitation_token

    token = invitation_token(invitation.nonce)
    data = {}
    for question in default_survey.questions.all():
        if question.kind == Kind.LIKERT:
            data[f"q{question.pk}"] = "5"
        elif question.kind == Kind.RECOMMEND:
            data[f"q{question.pk}"] = "10"
    assert client.post(survey_url(token), data).status_code == 302
    response = Response.objects.get()
    assert response.invitation is None
    assert Invitation.objects.get(pk=invitation.pk).answered


def test_my_page_tag_lists_the_learners_own_surveys(rf, completed, named_survey, ended_course):
    from django.template import Context, Template

    from tests.factories import UserFactory

    user = UserFactory()
    completed.learner.user = user
    completed.learner.save()
    _invitation, token = invite(completed, named_survey)
    other, other_token = invite(
        seat_holder(ended_course, Enrollment.Status.COMPLETED), named_survey
    )
    request = rf.get("/my/")
    request.user = user

    html = Template("{% load survey_tags %}{% my_survey_invitations %}").render(
        Context({"request": request})
    )

    assert f"/surveys/{token}/" in html
    assert other_token not in html
