"""Answering a survey from the personal link: /surveys/<token>/, no sign-in.

The page speaks the learner's language (their preferred language) unless the visitor chose
another with the language switcher. A used link says thank you; an altered or unknown one gets
the same friendly "not found" page whatever was wrong with it. Personal links stay out of
caches, search engines and other sites' Referer headers ("same-origin", not "no-referrer":
with no-referrer browsers send `Origin: null` with the form, which CSRF protection refuses)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from .exceptions import AlreadyAnswered, AnswersInvalid
from .forms import SurveyAnswerForm
from .models import Invitation, Response
from .selectors import invitation_by_token, survey_questions
from .services import response_submit

PRIVATE_HEADERS = {
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store, private",
    "X-Robots-Tag": "noindex, nofollow",
}


def _private(response: HttpResponse) -> HttpResponse:
    for header, value in PRIVATE_HEADERS.items():
        response.headers[header] = value
    return response


def page_language(request: HttpRequest, invitation: Invitation) -> str:
    """The visitor's own choice (the language switcher's cookie), else the learner's."""
    languages = dict(settings.LANGUAGES)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in languages:
        return chosen
    preferred = invitation.enrollment.learner.preferred_language
    return preferred if preferred in languages else settings.LANGUAGE_CODE


def _render(
    request: HttpRequest, template: str, context: dict, *, language: str, status: int = 200
) -> HttpResponse:
    with translation.override(language):
        response = render(request, template, context, status=status)
    response.headers["Content-Language"] = language
    return _private(response)


def _link_not_found(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "surveys/link_not_found.html", status=404))


def _already_answered(request: HttpRequest, invitation: Invitation, language: str):
    context = {"invitation": invitation, "course": invitation.course}
    return _render(request, "surveys/already_answered.html", context, language=language)


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token=token)
    if invitation is None:
        return _link_not_found(request)
    language = page_language(request, invitation)
    if invitation.answered:
        return _already_answered(request, invitation, language)

    questions = survey_questions(survey=invitation.survey)
    with translation.override(language):
        data = request.POST if request.method == "POST" else None
        form = SurveyAnswerForm(data, questions=questions, language=language)
        if data is not None and form.is_valid():
            try:
                response_submit(
                    invitation=invitation, answers=form.answers(), channel=Response.Channel.ONLINE
                )
            except AlreadyAnswered:
                # A double click, or the form sent again from another tab.
                return _already_answered(request, invitation, language)
            except AnswersInvalid as error:
                form.add_answer_errors(error.errors)
            else:
                return _private(redirect("surveys:thanks", token=token))
        context = {
            "invitation": invitation,
            "survey": invitation.survey,
            "course": invitation.course,
            "form": form,
            "rows": form.rows(),
        }
    return _render(request, "surveys/answer.html", context, language=language)


@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token=token)
    if invitation is None:
        return _link_not_found(request)
    if not invitation.answered:
        return _private(redirect("surveys:answer", token=token))
    context = {"invitation": invitation, "course": invitation.course}
    language = page_language(request, invitation)
    return _render(request, "surveys/thanks.html", context, language=language)
