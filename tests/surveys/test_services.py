"""Invitations (who, once), their emails (once, in the learner's language) and responses
(one per invitation, anonymous ones unlinked)."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest

from enrollment.models import Enrollment
from enrollment.signals import course_completed
from surveys import tasks
from surveys.exceptions import AlreadyAnswered, AnswersInvalid
from surveys.models import Answer, Invitation, Question, Response
from surveys.selectors import invitation_by_token, invitation_url
from surveys.services import (
    invitation_create,
    invitation_email_send,
    invitation_reminders_send_due,
    invitations_for_course,
    invitations_sweep,
    response_submit,
)
from surveys.tokens import invitation_token, token_hash
from tests.factories import AdministratorFactory

from .conftest import invite, mark_present, seat_holder

# These tests read English wording; the default interface is Traditional Chinese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Enrollment.Status
Kind = Question.Kind


def answers_for(survey, **by_kind):
    return {q.pk: by_kind[q.kind] for q in survey.questions.all() if q.kind in by_kind}


# --- who is invited -------------------------------------------------------------------------


def test_completers_and_those_at_the_last_session_are_invited_once(ended_course):
    last = ended_course.last_session
    completed = seat_holder(ended_course, Status.COMPLETED)
    at_last = seat_holder(ended_course, Status.NOT_COMPLETED)
    mark_present(at_last, last)
    absent_at_last = seat_holder(ended_course, Status.NOT_COMPLETED)
    mark_present(absent_at_last, last, present=False)
    still_confirmed_at_last = seat_holder(ended_course, Status.CONFIRMED)
    mark_present(still_confirmed_at_last, last)
    cancelled = seat_holder(ended_course, Status.CANCELLED)

    created = invitations_for_course(course=ended_course)

    invited = {i.enrollment_id for i in created}
    assert invited == {completed.pk, at_last.pk, still_confirmed_at_last.pk}
    assert cancelled.pk not in invited
    assert invitations_for_course(course=ended_course) == []
    assert Invitation.objects.count() == 3
    assert {i.course_id for i in created} == {ended_course.pk}


def test_invitation_create_is_idempotent(completed, default_survey):
    first, created = invitation_create(enrollment=completed)
    again, created_again = invitation_create(enrollment=completed)
    assert (created, created_again) == (True, False)
    assert first == again
    assert first.survey == default_survey


def test_the_token_is_unguessable_and_only_its_hash_is_stored(completed):
    invitation, _created = invitation_create(enrollment=completed)
    token = invitation_token(invitation.nonce)
    assert len(token) == 43  # 256 bits
    assert token not in {invitation.nonce, invitation.token_hash}
    assert invitation.token_hash == token_hash(token)
    assert invitation_by_token(token=token) == invitation
    assert invitation_url(invitation=invitation) == f"http://testserver/surveys/{token}/"


def test_course_completed_signal_invites_and_emails_once(
    completed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        course_completed.send(sender=Enrollment, enrollment=completed, course=completed.course)
    with django_capture_on_commit_callbacks(execute=True):
        course_completed.send(sender=Enrollment, enrollment=completed, course=completed.course)

    invitation = Invitation.objects.get(enrollment=completed)
    assert invitation.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [completed.learner.email]
    assert invitation_url(invitation=invitation) in mail.outbox[0].body


# --- emails ---------------------------------------------------------------------------------


def test_the_email_task_sends_once_when_run_twice(completed):
    invitation, _created = invitation_create(enrollment=completed)
    assert tasks.invitation_send.delay(invitation.pk).get() == "sent"
    assert tasks.invitation_send.delay(invitation.pk).get() == "skipped"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.extra_headers["Message-ID"] == f"<survey-invitation-{invitation.pk}@testserver>"


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Answer the survey"), ("zh-hant", "EZ-Learn")]
)
def test_the_email_is_in_the_learners_language(ended_course, language, expected):
    enrollment = seat_holder(ended_course, Status.COMPLETED, preferred_language=language)
    invitation, _created = invitation_create(enrollment=enrollment)
    invitation_email_send(invitation_id=invitation.pk)
    message = mail.outbox[0]
    assert message.extra_headers["Content-Language"] == language
    assert expected in message.body
    assert ended_course.title in message.subject
    html = message.alternatives[0].content
    assert f'lang="{language}"' in html
    assert invitation_url(invitation=invitation) in html


def test_learners_without_email_get_no_email_but_keep_the_invitation(ended_course):
    enrollment = seat_holder(ended_course, Status.COMPLETED, email="")
    invitation, _created = invitation_create(enrollment=enrollment)
    assert invitation_email_send(invitation_id=invitation.pk) == "skipped"
    assert mail.outbox == []
    invitation.refresh_from_db()
    assert invitation.sent_at is None


def test_a_failed_send_is_recorded_and_retried_by_the_sweep(completed, settings):
    invitation, _created = invitation_create(enrollment=completed)
    settings.MAILERS = {"default": {"BACKEND": "tests.surveys.broken_mail.BrokenBackend"}}
    assert invitation_email_send(invitation_id=invitation.pk) == "failed"
    invitation.refresh_from_db()
    assert (invitation.sent_at, invitation.send_attempts) == (None, 1)
    assert "mail server down" in invitation.last_error

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    created, sent = invitations_sweep()
    assert (created, sent) == (0, 1)
    assert len(mail.outbox) == 1


def test_the_sweep_invites_last_session_attendees_and_sends(ended_course):
    at_last = seat_holder(ended_course, Status.CONFIRMED)
    mark_present(at_last, ended_course.last_session)
    assert invitations_sweep() == (1, 1)
    assert invitations_sweep() == (0, 0)
    assert len(mail.outbox) == 1


def test_one_reminder_to_those_who_have_not_answered(ended_course, settings):
    settings.SURVEYS_REMINDER_AFTER_DAYS = 4
    waiting = seat_holder(ended_course, Status.COMPLETED)
    answered = seat_holder(ended_course, Status.COMPLETED)
    sent_at = timezone.now() - timedelta(days=5)
    for enrollment in (waiting, answered):
        invitation, _created = invitation_create(enrollment=enrollment)
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=sent_at)
    Invitation.objects.filter(enrollment=answered).update(answered=True)
    too_early = seat_holder(ended_course, Status.COMPLETED)
    invitation, _created = invitation_create(enrollment=too_early)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=1))

    assert invitation_reminders_send_due() == 1
    assert invitation_reminders_send_due() == 0
    assert [m.to for m in mail.outbox] == [[waiting.learner.email]]
    assert "提醒" in mail.outbox[0].subject  # in the learner's language (zh-hant)
    assert Invitation.objects.get(enrollment=waiting).reminded_at is not None


# --- responses ------------------------------------------------------------------------------


def test_response_submit_stores_one_row_per_answer(completed, named_survey):
    invitation, _token = invite(completed, named_survey)
    answers = answers_for(
        named_survey, likert=4, single=2, multiple=[3, 1], recommend=9, text="  很好！ "
    )

    response = response_submit(invitation=invitation, answers=answers)

    assert response.invitation == invitation
    assert response.channel == Response.Channel.ONLINE
    assert response.course == completed.course
    rows = sorted(
        Answer.objects.filter(response=response).values_list(
            "question__kind", "option", "value", "text"
        )
    )
    assert rows == [
        ("likert", 0, 4, ""),
        ("multiple", 1, 1, ""),
        ("multiple", 3, 3, ""),
        ("recommend", 0, 9, ""),
        ("single", 0, 2, ""),
        ("text", 0, None, "很好！"),
    ]
    invitation.refresh_from_db()
    assert invitation.answered and invitation.answered_at is not None


def test_response_submit_keeps_a_snapshot_of_the_respondent(ended_course, named_survey):
    enrollment = seat_holder(ended_course, Status.COMPLETED, senior=True)
    invitation, _token = invite(enrollment, named_survey)
    response = response_submit(
        invitation=invitation,
        answers=answers_for(named_survey, likert=5, single=1, multiple=[1], recommend=10),
    )
    assert response.senior is True
    assert (response.indigenous, response.new_immigrant) == (False, False)
    assert response.district_id == enrollment.learner.district_id


def test_a_second_submit_is_refused(completed, named_survey):
    invitation, _token = invite(completed, named_survey)
    answers = answers_for(named_survey, likert=4, single=1, multiple=[2], recommend=8)
    response_submit(invitation=invitation, answers=answers)
    with pytest.raises(AlreadyAnswered):
        response_submit(invitation=invitation, answers=answers)
    assert Response.objects.count() == 1


def test_missing_required_answers_and_impossible_values_are_refused(completed, named_survey):
    invitation, _token = invite(completed, named_survey)
    answers = answers_for(named_survey, likert=6, single=None, multiple=[], recommend=11)
    with pytest.raises(AnswersInvalid) as error:
        response_submit(invitation=invitation, answers=answers)
    by_kind = {
        named_survey.questions.get(pk=pk).kind: str(m) for pk, m in error.value.errors.items()
    }
    assert by_kind == {
        "likert": "Please choose one of the answers shown.",
        "single": "Please choose an answer.",
        "multiple": "Please tick at least one answer.",
        "recommend": "Please choose one of the answers shown.",
    }
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.answered


def test_a_paper_form_keeps_the_blanks_the_learner_left(completed, named_survey):
    invitation, _token = invite(completed, named_survey)
    staff = AdministratorFactory()
    with pytest.raises(AnswersInvalid):
        response_submit(
            invitation=invitation, answers={}, channel=Response.Channel.PAPER, keyed_by=staff
        )
    response = response_submit(
        invitation=invitation,
        answers=answers_for(named_survey, likert=3),
        channel=Response.Channel.PAPER,
        keyed_by=staff,
    )
    assert response.is_paper and response.keyed_by == staff
    assert response.answers.count() == 1


def test_anonymous_responses_are_not_linked_to_the_invitation_or_its_time(
    completed, default_survey
):
    invitation, _created = invitation_create(enrollment=completed)
    questions = list(default_survey.questions.order_by("sort_order"))
    answers = {q.pk: 4 for q in questions if q.kind == Kind.LIKERT}
    answers[questions[6].pk] = 8

    response = response_submit(invitation=invitation, answers=answers)

    response.refresh_from_db()
    invitation.refresh_from_db()
    assert response.invitation is None
    assert (
        not hasattr(invitation, "response")
        or Response.objects.filter(invitation=invitation).count() == 0
    )
    assert invitation.answered and invitation.answered_at is None
    local = timezone.localtime(response.submitted_at)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert response.respondent == "Anonymous"
    # Still counted for the course.
    assert response.course == completed.course
    with pytest.raises(AlreadyAnswered):
        response_submit(invitation=invitation, answers=answers)
