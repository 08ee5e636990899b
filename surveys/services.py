"""Every change to surveys: the default survey, invitations, their emails, and responses.

Invitations are rows first and emails second: a row is created idempotently (one per
enrollment, a unique key makes a second impossible), and its email is sent by whoever gets to
it first (a task queued after commit, or the periodic sweep), under a row lock, with `sent_at`
written in the transaction that sends. Running a sender twice sends once."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import mailers
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from enrollment.choices import SelfIdentification
from enrollment.models import Enrollment

from .defaults import default_survey_create
from .emails import invitation_email_compose
from .exceptions import AlreadyAnswered, AnswersInvalid
from .models import (
    AUDIENCE_FLAGS,
    Answer,
    AnswerSummary,
    Audience,
    CourseSummary,
    Invitation,
    Question,
    QuestionSummary,
    Response,
    ResponseSummary,
    Survey,
)
from .report_selectors import report_summary_stale_course_ids
from .selectors import enrollments_to_invite, survey_for_course, survey_questions
from .tokens import invitation_token, new_nonce, token_hash

logger = logging.getLogger(__name__)

Kind = Question.Kind
Channel = Response.Channel

# A paper form or a text box: long enough for a real comment, short enough to stay readable.
MAX_TEXT_LENGTH = 2000

# The sweep invites for courses that ended at most this long ago…
SWEEP_COURSES_ENDED_WITHIN = timedelta(days=30)
# …and sends invitations created at most this long ago (a late email about an old course
# would confuse more than help).
SEND_WITHIN = timedelta(days=14)
# After this many failed sends, the sweep leaves an invitation alone (its last_error says why).
MAX_SEND_ATTEMPTS = 5
RUN_LIMIT = 200

SENT, SKIPPED, FAILED = "sent", "skipped", "failed"

AnswerValue = int | str | list[int] | None


def reminder_after() -> timedelta:
    """How long after the invitation the one reminder goes (SURVEYS_REMINDER_AFTER_DAYS)."""
    return timedelta(days=getattr(settings, "SURVEYS_REMINDER_AFTER_DAYS", 4))


def default_survey_ensure() -> Survey:
    """The default course-satisfaction survey, created if no survey is the default.
    Idempotent (the data migration creates it the same way)."""
    with transaction.atomic():
        return default_survey_create(Survey, Question)


# --- invitations ----------------------------------------------------------------------------


def _new_invitation(enrollment: Enrollment, survey: Survey, now: datetime) -> Invitation:
    nonce = new_nonce()
    return Invitation(
        enrollment=enrollment,
        course_id=enrollment.course_id,
        survey=survey,
        nonce=nonce,
        token_hash=token_hash(invitation_token(nonce)),
        created_at=now,
    )


def invitation_create(
    *, enrollment: Enrollment, now: datetime | None = None
) -> tuple[Invitation | None, bool]:
    """The enrollment's invitation and whether it is new; None if no survey applies to the
    course. Idempotent: a second call, even a concurrent one, returns the first invitation."""
    existing = Invitation.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing, False
    survey = survey_for_course(course=enrollment.course)
    if survey is None:
        logger.warning(
            "No survey for course %s: make one survey the default.", enrollment.course_id
        )
        return None, False
    invitation = _new_invitation(enrollment, survey, now or timezone.now())
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        return Invitation.objects.get(enrollment=enrollment), False
    return invitation, True


def invitations_for_course(*, course: CoursePage, now: datetime | None = None) -> list[Invitation]:
    """Invite everyone who completed the course or came to its last session and has no
    invitation yet; return the new invitations. Idempotent and safe to run concurrently."""
    now = now or timezone.now()
    survey = survey_for_course(course=course)
    if survey is None:
        return []
    enrollments = list(
        enrollments_to_invite(course=course)
        .filter(survey_invitation__isnull=True)
        .only("pk", "course_id")
    )
    if not enrollments:
        return []
    invitations = [_new_invitation(enrollment, survey, now) for enrollment in enrollments]
    Invitation.objects.bulk_create(invitations, ignore_conflicts=True)
    # With ignore_conflicts the primary keys are not returned: read back what was written.
    return list(
        Invitation.objects.filter(token_hash__in=[i.token_hash for i in invitations]).order_by("pk")
    )


def invitation_email_send(
    *, invitation_id: int, reminder: bool = False, now: datetime | None = None
) -> str:
    """Email the invitation (or its one reminder) if it is still due; return SENT, SKIPPED or
    FAILED. The row is locked (SKIP LOCKED: a concurrent sender passes by) and `sent_at` /
    `reminded_at` is written in the transaction that sends, so a repeat finds it done. One
    email could go twice only if the process died between the mail server's "accepted" and
    the commit; its fixed Message-ID lets mail clients drop the copy."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("survey", "course", "enrollment__learner")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.answered:
            return SKIPPED
        if (invitation.reminded_at or not invitation.sent_at) if reminder else invitation.sent_at:
            return SKIPPED
        if not invitation.enrollment.learner.email:
            # Nobody to write to: the invitation waits on /my/ and for a paper form.
            return SKIPPED
        try:
            # A savepoint: a failed query while composing leaves the row writable.
            with transaction.atomic():
                message = invitation_email_compose(invitation=invitation, reminder=reminder)
            if mailers.default.send_messages([message]) != 1:
                raise RuntimeError("the mail backend accepted no message")
        except Exception as error:  # any failure: record it; the sweep tries again later
            invitation.send_attempts += 1
            invitation.last_error = f"{type(error).__name__}: {error}"[:2000]
            invitation.save(update_fields=["send_attempts", "last_error"])
            logger.warning("Survey invitation %s: sending failed.", invitation_id, exc_info=True)
            return FAILED
        if reminder:
            invitation.reminded_at = now
        else:
            invitation.sent_at = now
        invitation.save(update_fields=["sent_at", "reminded_at"])
    return SENT


def invitations_sweep(*, now: datetime | None = None, limit: int = RUN_LIMIT) -> tuple[int, int]:
    """The periodic catch-up: invite for every course that ended recently (completers and
    those at the last session, including learners who got no completion signal), then send
    the invitations still unsent (a broker was down, a mail server failed). Returns (created,
    sent)."""
    now = now or timezone.now()
    courses = (
        CoursePage.objects.annotate(last_end=Max("sessions__end"))
        .filter(last_end__lte=now, last_end__gte=now - SWEEP_COURSES_ENDED_WITHIN)
        .order_by("last_end", "pk")
    )
    created = sum(len(invitations_for_course(course=course, now=now)) for course in courses)
    due = list(
        Invitation.objects.filter(
            sent_at__isnull=True,
            answered=False,
            created_at__gte=now - SEND_WITHIN,
            send_attempts__lt=MAX_SEND_ATTEMPTS,
        )
        .exclude(enrollment__learner__email="")
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = sum(invitation_email_send(invitation_id=pk, now=now) == SENT for pk in due)
    return created, sent


def invitation_reminders_send_due(*, now: datetime | None = None, limit: int = RUN_LIMIT) -> int:
    """Remind, once, those who were emailed SURVEYS_REMINDER_AFTER_DAYS ago or more and have
    not answered (at most two weeks late, should beat have stopped for a while)."""
    now = now or timezone.now()
    due_before = now - reminder_after()
    due = list(
        Invitation.objects.filter(
            answered=False,
            reminded_at__isnull=True,
            sent_at__lte=due_before,
            sent_at__gte=due_before - SEND_WITHIN,
        )
        .exclude(enrollment__learner__email="")
        .order_by("sent_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(
        invitation_email_send(invitation_id=pk, reminder=True, now=now) == SENT for pk in due
    )


# --- responses ------------------------------------------------------------------------------

REQUIRED_MESSAGES = {
    Kind.TEXT: _("Please write an answer."),
    Kind.MULTIPLE: _("Please tick at least one answer."),
}
REQUIRED_MESSAGE = _("Please choose an answer.")
NOT_POSSIBLE_MESSAGE = _("Please choose one of the answers shown.")
PAPER_EMPTY_MESSAGE = _("Please answer at least one question.")


def _is_empty(raw: AnswerValue) -> bool:
    return raw is None or (isinstance(raw, str | list | tuple | set) and not raw)


def answers_check(
    *, questions: list[Question], answers: dict[int, AnswerValue], paper: bool = False
) -> dict[int | None, str]:
    """What is missing or impossible in these answers: a message per question id (None: the
    answers as a whole). Empty when response_submit would accept them."""
    rows, errors = _answer_rows(questions, answers, blanks_allowed=paper)
    if not errors and not rows:
        errors[None] = PAPER_EMPTY_MESSAGE
    return errors


def _answer_rows(
    questions: list[Question], answers: dict[int, AnswerValue], *, blanks_allowed: bool
) -> tuple[list[dict], dict[int | None, str]]:
    """Answer rows for the questions, and a message per question that cannot be stored."""
    rows: list[dict] = []
    errors: dict[int | None, str] = {}
    for question in questions:
        raw = answers.get(question.pk)
        if isinstance(raw, str):
            raw = raw.strip()
        if _is_empty(raw):
            if question.required and not blanks_allowed:
                errors[question.pk] = REQUIRED_MESSAGES.get(question.kind, REQUIRED_MESSAGE)
            continue
        if question.kind == Kind.TEXT:
            rows.append({"question": question, "text": str(raw)[:MAX_TEXT_LENGTH]})
            continue
        try:
            values = sorted({int(v) for v in raw}) if isinstance(raw, list | tuple | set) else None
            if values is None:
                values = [int(raw)]
        except (TypeError, ValueError):
            errors[question.pk] = NOT_POSSIBLE_MESSAGE
            continue
        allowed = question.allowed_values
        if any(value not in allowed for value in values) or (
            len(values) > 1 and question.kind != Kind.MULTIPLE
        ):
            errors[question.pk] = NOT_POSSIBLE_MESSAGE
            continue
        if question.kind == Kind.MULTIPLE:
            rows.extend({"question": question, "option": v, "value": v} for v in values)
        else:
            rows.append({"question": question, "value": values[0]})
    return rows, errors


def _day_start(moment: datetime) -> datetime:
    taipei = ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(timezone.localdate(moment, taipei), time.min, tzinfo=taipei)


@transaction.atomic
def response_submit(
    *,
    invitation: Invitation,
    answers: dict[int, AnswerValue],
    channel: str = Channel.ONLINE,
    keyed_by=None,
    now: datetime | None = None,
) -> Response:
    """Store a learner's answers: one response per invitation, whoever submits how often.

    `answers` maps question ids to a number (1–5, 0–10, the chosen answer's number), a list of
    numbers (multiple choice) or text. The invitation is locked first, so a double submit
    waits and then gets AlreadyAnswered; AnswersInvalid lists what is missing or impossible.
    Online, required questions must be answered; a paper form (keyed in by staff) keeps the
    blanks the learner left. For an anonymous survey the response is not linked to the
    invitation and keeps only the day it was given."""
    if channel == Channel.PAPER and keyed_by is None:
        raise ValueError("A paper form needs the staff member who keyed it in.")
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("survey", "enrollment__learner")
        .get(pk=invitation.pk)
    )
    if invitation.answered:
        raise AlreadyAnswered
    survey = invitation.survey
    questions = survey_questions(survey=survey)
    paper = channel == Channel.PAPER
    rows, errors = _answer_rows(questions, answers, blanks_allowed=paper)
    if not errors and not rows:
        errors[None] = PAPER_EMPTY_MESSAGE
    if errors:
        raise AnswersInvalid(errors)

    learner = invitation.enrollment.learner
    response = Response.objects.create(
        survey=survey,
        invitation=None if survey.anonymous else invitation,
        course_id=invitation.course_id,
        channel=channel,
        keyed_by=keyed_by if paper else None,
        submitted_at=_day_start(now) if survey.anonymous else now,
        district_id=learner.district_id,
        senior=learner.is_senior(timezone.localdate(now)),
        indigenous=learner.indigenous == SelfIdentification.YES,
        new_immigrant=learner.new_immigrant == SelfIdentification.YES,
    )
    Answer.objects.bulk_create(Answer(response=response, **row) for row in rows)
    invitation.answered = True
    invitation.answered_at = None if survey.anonymous else now
    invitation.save(update_fields=["answered", "answered_at"])
    report_summary_refresh_queue(course_id=response.course_id)
    return response


# --- report summaries -----------------------------------------------------------------------


def _audience_counts(field: str, *, flags_at: str, distinct: bool = False) -> dict:
    """Count `field` for every respondent and for each target group (the respondent's flag
    on the Response, reached through `flags_at`): one aggregate per audience."""
    counts = {f"n_{Audience.ALL}": Count(field, distinct=distinct)}
    for audience, flag in AUDIENCE_FLAGS.items():
        counts[f"n_{audience}"] = Count(
            field, distinct=distinct, filter=Q(**{f"{flags_at}{flag}": True})
        )
    return counts


def _per_audience(row: dict) -> list[tuple[str, int]]:
    """(audience, count) of a grouped row, leaving out audiences nobody is in."""
    return [
        (audience, row[f"n_{audience}"]) for audience in Audience.values if row[f"n_{audience}"]
    ]


def _course_summary_rebuild(course_id: int, now: datetime) -> None:
    """Replace one course's summary rows with a fresh count, in one transaction, holding the
    lock on the course's CourseSummary row: a concurrent refresh of the same course waits
    and then recounts from what is committed, so nothing is counted twice."""
    with transaction.atomic():
        CourseSummary.objects.bulk_create(
            [CourseSummary(course_id=course_id)], ignore_conflicts=True
        )
        summary = CourseSummary.objects.select_for_update().get(course_id=course_id)
        ResponseSummary.objects.filter(course_id=course_id).delete()
        QuestionSummary.objects.filter(course_id=course_id).delete()
        AnswerSummary.objects.filter(course_id=course_id).delete()

        responses = Response.objects.filter(course_id=course_id)
        answers = Answer.objects.filter(response__course_id=course_id)
        response_rows = [
            ResponseSummary(
                course_id=course_id, audience=audience, channel=row["channel"], responses=count
            )
            for row in responses.values("channel")
            .annotate(**_audience_counts("pk", flags_at=""))
            .order_by()
            for audience, count in _per_audience(row)
        ]
        question_rows = [
            QuestionSummary(
                course_id=course_id,
                question_id=row["question_id"],
                audience=audience,
                respondents=count,
            )
            for row in answers.values("question_id")
            .annotate(**_audience_counts("response", flags_at="response__", distinct=True))
            .order_by()
            for audience, count in _per_audience(row)
        ]
        answer_rows = [
            AnswerSummary(
                course_id=course_id,
                question_id=row["question_id"],
                audience=audience,
                value=row["value"],
                answers=count,
            )
            for row in answers.filter(value__isnull=False)
            .values("question_id", "value")
            .annotate(**_audience_counts("pk", flags_at="response__"))
            .order_by()
            for audience, count in _per_audience(row)
        ]
        ResponseSummary.objects.bulk_create(response_rows)
        QuestionSummary.objects.bulk_create(question_rows)
        AnswerSummary.objects.bulk_create(answer_rows, batch_size=2000)
        summary.invited = Invitation.objects.filter(course_id=course_id).count()
        summary.responses = sum(
            row.responses for row in response_rows if row.audience == Audience.ALL
        )
        summary.refreshed_at = now
        summary.save(update_fields=["invited", "responses", "refreshed_at"])


def report_summary_refresh(
    *, course_ids: list[int] | None = None, now: datetime | None = None
) -> int:
    """Recount the report summary of these courses (None: every course with invitations,
    responses or a summary) and return how many were refreshed. Each course is replaced in
    a transaction of its own under its own lock, so a long run never holds many locks and
    running it twice, or concurrently, gives the same rows."""
    if course_ids is None:
        ids = (
            set(Invitation.objects.values_list("course_id", flat=True).distinct())
            | set(Response.objects.values_list("course_id", flat=True).distinct())
            | set(CourseSummary.objects.values_list("course_id", flat=True))
        )
    else:
        ids = set(course_ids)
    # A course deleted in the meantime has nothing left to count.
    existing = sorted(CoursePage.objects.filter(pk__in=ids).values_list("pk", flat=True))
    for course_id in existing:
        _course_summary_rebuild(course_id, now or timezone.now())
    return len(existing)


def report_summary_refresh_stale(*, now: datetime | None = None) -> int:
    """The safety net run by Celery beat: refresh every course whose summary disagrees with
    its live responses or invitations (a lost task, a broker that was down)."""
    return report_summary_refresh(course_ids=report_summary_stale_course_ids(), now=now)


class _SummaryRefreshAfterCommit:
    """The courses that got responses in a transaction; after commit, one task refreshes
    their summaries. A broker that cannot be reached is logged, never shown to the learner:
    beat's stale-summary sweep picks the courses up."""

    def __init__(self) -> None:
        self.course_ids: set[int] = set()

    def __call__(self) -> None:
        from .tasks import report_summary_refresh_courses

        try:
            report_summary_refresh_courses.delay(sorted(self.course_ids))
        except Exception:  # any broker failure (or, run eagerly, any refresh failure)
            logger.warning(
                "Could not refresh the report summary of courses %s; beat will.",
                sorted(self.course_ids),
                exc_info=True,
            )


def report_summary_refresh_queue(*, course_id: int) -> None:
    """Refresh the course's report summary after this transaction commits: one task per
    transaction, however many responses it stored."""
    connection = transaction.get_connection()
    for _sids, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _SummaryRefreshAfterCommit):
            callback.course_ids.add(course_id)
            return
    callback = _SummaryRefreshAfterCommit()
    callback.course_ids.add(course_id)
    transaction.on_commit(callback)
