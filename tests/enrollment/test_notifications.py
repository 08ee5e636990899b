"""Emails to learners through the outbox: one per event, in the learner's language, sent once
however often or however many relays run, and never lost to a dead broker or mail server.

Real database, real Celery app and real mail messages; only the mail server is fake: Django's
locmem backend, or the small backends below that refuse messages the way SMTP servers do."""

import smtplib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connections
from django.utils import dateformat, timezone, translation

import kombu.pools
import pytest
from icalendar import Calendar

from enrollment.models import Enrollment, Notification
from enrollment.notifications import (
    CONSECUTIVE_FAILURES_TO_STOP,
    MAX_ATTEMPTS,
    SKIP_NO_EMAIL,
    SKIP_NOT_WAITING,
    SUBJECTS,
    notifications_send_due,
    retry_due_after,
)
from enrollment.services import enrollment_cancel, enrollment_create
from enrollment.tasks import notifications_send_due as notifications_send_due_task
from tests.factories import CoursePageFactory, LearnerFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
Status = Enrollment.Status
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


class RefusingEmailBackend(LocmemBackend):
    """A mail server that refuses messages to the addresses in `refused` (all if None)."""

    refused: set[str] | None = set()

    def send_messages(self, messages):
        for message in messages:
            if self.refused is None or set(message.to) & self.refused:
                raise smtplib.SMTPException("451 4.3.0 Mail server temporarily unavailable")
        return super().send_messages(messages)


def use_backend(settings, backend: type, refused: set[str] | None) -> None:
    RefusingEmailBackend.refused = refused
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.{backend.__name__}"}}


@pytest.fixture(autouse=True)
def _reset_refusals():
    yield
    RefusingEmailBackend.refused = set()


@pytest.fixture
def course(catalogue):
    course = CoursePageFactory(
        parent=catalogue, capacity=1, what_to_bring="Your own smartphone, charged."
    )
    course.venue.phone = "(02) 2960-3456"
    course.venue.save()
    return course


def english_learner(**kwargs):
    # An Atayal name with an apostrophe: plain text must show it as written.
    return LearnerFactory(preferred_language="en", name="Yagu' Nomin", **kwargs)


def only_message_to(learner):
    messages = [m for m in mail.outbox if m.to == [learner.email]]
    assert len(messages) == 1, [m.subject for m in messages]
    return messages[0]


def html_of(message) -> str:
    [alternative] = message.alternatives
    assert alternative.mimetype == "text/html"
    return alternative.content


def calendars_of(message) -> list:
    parts = [
        p for p in message.message().iter_attachments() if p.get_content_type() == "text/calendar"
    ]
    for part in parts:
        assert part.get_param("method") == "PUBLISH"
        assert part.get_filename() == "course.ics"
    return [Calendar.from_ical(part.get_payload(decode=True)) for part in parts]


def in_language(language: str, text, **values) -> str:
    """`text` (a msgid or a lazy translation) in `language`, with its placeholders filled."""
    with translation.override(language):
        return str(translation.gettext(text) if isinstance(text, str) else text) % values


def taipei_date(value, language: str) -> str:
    with translation.override(language):
        return dateformat.format(timezone.localtime(value), "Y/m/d (l)")


# --- Each kind of message ---


def test_confirmation_is_sent_once_in_english_with_html_text_and_calendar(course):
    learner = english_learner()
    enrollment = enrollment_create(learner=learner, course=course)

    assert notifications_send_due() == 1

    message = only_message_to(learner)
    assert message.subject == f"You have a seat: {course.title}"
    assert message.extra_headers["Content-Language"] == "en"
    sessions = course.session_list
    text, html = message.body, html_of(message)
    assert "Hello Yagu' Nomin," in text  # not Yagu&#x27; Nomin
    for session in sessions:
        assert f"{taipei_date(session.start, 'en')} 09:00–12:00" in text
        assert taipei_date(session.start, "en") in html
    venue = course.venue
    for expected in (venue.name_en, venue.address, "Your own smartphone, charged.", venue.phone):
        assert expected in text
        assert expected in html
    assert enrollment.check_in_code in text
    assert "http://testserver/my/" in text
    assert 'href="http://testserver/my/"' in html
    assert '<html lang="en">' in html

    [calendar] = calendars_of(message)
    events = calendar.walk("VEVENT")
    assert sorted(event.decoded("dtstart") for event in events) == [s.start for s in sessions]
    assert all(venue.address in str(event["location"]) for event in events)

    row = Notification.objects.get(enrollment=enrollment)
    assert (row.kind, row.attempts, row.skipped_reason) == (Kind.CONFIRMED, 1, "")
    assert row.sent_at is not None


def test_waiting_list_message_is_in_chinese_by_default_and_gives_the_position(course):
    enrollment_create(learner=english_learner(), course=course)
    first, second = LearnerFactory(), LearnerFactory()
    enrollment_create(learner=first, course=course)
    enrollment_create(learner=second, course=course)

    assert notifications_send_due() == 3

    message = only_message_to(second)
    assert first.preferred_language == "zh-hant"
    assert message.extra_headers["Content-Language"] == "zh-hant"
    assert message.subject == in_language("zh-hant", SUBJECTS[Kind.WAITLISTED], course=course.title)
    position = "You are number %(position)s on the waiting list."
    assert in_language("zh-hant", position, position=2) in message.body
    assert in_language("zh-hant", position, position=1) in only_message_to(first).body
    first_session = course.session_list[0].start
    assert taipei_date(first_session, "zh-hant") in message.body  # e.g. 2026/11/29 (星期日)
    assert "星期" in message.body
    assert course.venue.name in message.body  # the Chinese name of the venue
    assert '<html lang="zh-hant">' in html_of(message)
    assert calendars_of(message) == []  # no seat yet, nothing for the calendar


def test_cancelling_notifies_the_learner_and_the_promoted_one_gets_a_seat_message(course):
    holder, waiting = english_learner(), LearnerFactory()
    seat = enrollment_create(learner=holder, course=course)
    enrollment_create(learner=waiting, course=course)
    assert notifications_send_due() == 2
    mail.outbox.clear()

    enrollment_cancel(enrollment=seat)
    assert notifications_send_due() == 2

    cancelled = only_message_to(holder)
    assert cancelled.subject == f"Your enrollment is cancelled: {course.title}"
    assert "http://testserver/courses/" in cancelled.body
    assert calendars_of(cancelled) == []
    promoted = only_message_to(waiting)
    assert promoted.subject == in_language("zh-hant", SUBJECTS[Kind.PROMOTED], course=course.title)
    [calendar] = calendars_of(promoted)
    assert len(calendar.walk("VEVENT")) == 3
    assert "text/html" in {a.mimetype for a in promoted.alternatives}


def test_leaving_the_waiting_list_is_confirmed_in_those_words(course):
    enrollment_create(learner=LearnerFactory(), course=course)
    learner = english_learner()
    waiting = enrollment_create(learner=learner, course=course)
    notifications_send_due()
    mail.outbox.clear()

    enrollment_cancel(enrollment=waiting)
    notifications_send_due()

    assert only_message_to(learner).subject == f"You have left the waiting list: {course.title}"


def test_learner_without_email_gets_no_email_and_the_row_says_why(course):
    learner = LearnerFactory(email="")  # enrolled at a counter; has the printed slip
    enrollment = enrollment_create(
        learner=learner, course=course, channel=Enrollment.Channel.ASSISTED
    )

    assert notifications_send_due() == 0

    assert mail.outbox == []
    row = Notification.objects.get(enrollment=enrollment)
    assert row.skipped_reason == SKIP_NO_EMAIL
    assert row.sent_at is not None  # handled: the relay will not look at it again
    assert notifications_send_due() == 0
    assert Notification.objects.get(pk=row.pk).attempts == 1


def test_a_waiting_list_message_overtaken_by_a_promotion_is_not_sent(course):
    # The relay was held up (say, the broker was down) while a seat came free.
    holder, waiting = LearnerFactory(), english_learner()
    seat = enrollment_create(learner=holder, course=course)
    enrollment_create(learner=waiting, course=course)
    enrollment_cancel(enrollment=seat)

    notifications_send_due()

    assert only_message_to(waiting).subject == f"A seat is now yours: {course.title}"
    assert Notification.objects.get(kind=Kind.WAITLISTED).skipped_reason == SKIP_NOT_WAITING


# --- Exactly once ---


def test_running_the_relay_twice_sends_each_message_once(catalogue):
    course = CoursePageFactory(parent=catalogue, capacity=10)
    learners = [LearnerFactory() for _ in range(3)]
    for learner in learners:
        enrollment_create(learner=learner, course=course)

    assert notifications_send_due() == 3
    assert notifications_send_due() == 0
    notifications_send_due_task.delay()  # the Celery task, run eagerly in tests

    assert sorted(m.to[0] for m in mail.outbox) == sorted(learner.email for learner in learners)


def test_the_message_is_sent_right_after_the_enrollment_commits(
    course, django_capture_on_commit_callbacks
):
    learner = LearnerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_create(learner=learner, course=course)
    # The kick after commit ran the relay (eagerly here; on a worker in production).
    assert len(mail.outbox) == 1
    assert notifications_send_due() == 0


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL row locks (SKIP LOCKED)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_relays_running_at_the_same_time_send_each_message_once(catalogue, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SlowEmailBackend"}}
    course = CoursePageFactory(parent=catalogue, capacity=50)
    learners = [LearnerFactory() for _ in range(30)]
    # Rows written directly: enrolling here would run the relay on each commit (eager Celery).
    for learner in learners:
        enrollment = Enrollment.objects.create(
            learner=learner, course=course, status=Status.CONFIRMED, seat_kind="general"
        )
        Notification.objects.create(
            enrollment=enrollment, kind=Kind.CONFIRMED, dedupe_key=f"confirmed:{enrollment.pk}"
        )
    relays = 4
    barrier = threading.Barrier(relays)

    def relay() -> int:
        try:
            barrier.wait(timeout=10)
            return notifications_send_due()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=relays) as pool:
        counts = list(pool.map(lambda _: relay(), range(relays)))

    assert sum(counts) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(learner.email for learner in learners)
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


class SlowEmailBackend(LocmemBackend):
    """A mail server that takes a moment per message, so relays overlap."""

    def send_messages(self, messages):
        threading.Event().wait(0.01)
        return super().send_messages(messages)


# --- Failures: the mail server, the broker ---


def test_a_refused_message_does_not_hold_up_the_others_and_goes_out_later(course, settings):
    course.capacity = 5
    course.save()
    unlucky, lucky = LearnerFactory(), LearnerFactory()
    use_backend(settings, RefusingEmailBackend, refused={unlucky.email})
    first = enrollment_create(learner=unlucky, course=course)
    enrollment_create(learner=lucky, course=course)

    assert notifications_send_due() == 1

    assert [m.to for m in mail.outbox] == [[lucky.email]]
    row = Notification.objects.get(enrollment=first)
    assert row.sent_at is None
    assert row.attempts == 1
    assert "SMTPException" in row.last_error
    assert "temporarily unavailable" in row.last_error

    # The mail server recovers; the row waits for its pause before the next attempt.
    RefusingEmailBackend.refused = set()
    assert notifications_send_due() == 0
    later = row.created_at + retry_due_after(1) + timedelta(seconds=1)
    assert notifications_send_due(now=later) == 1
    assert notifications_send_due(now=later) == 0

    only_message_to(unlucky)
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.attempts == 2


def test_a_mail_server_that_is_down_stops_the_run_without_using_up_every_row(catalogue, settings):
    course = CoursePageFactory(parent=catalogue, capacity=10)
    use_backend(settings, RefusingEmailBackend, refused=None)
    for _ in range(CONSECUTIVE_FAILURES_TO_STOP + 2):
        enrollment_create(learner=LearnerFactory(), course=course)

    assert notifications_send_due() == 0

    attempts = sorted(Notification.objects.values_list("attempts", flat=True))
    assert attempts == [0, 0] + [1] * CONSECUTIVE_FAILURES_TO_STOP


def test_pauses_between_attempts_grow_and_the_relay_gives_up_after_two_days(course):
    assert [retry_due_after(n) for n in range(5)] == [
        timedelta(minutes=minutes) for minutes in (0, 1, 3, 7, 15)
    ]
    assert retry_due_after(20) - retry_due_after(19) == timedelta(hours=1)
    assert timedelta(days=1) < retry_due_after(MAX_ATTEMPTS - 1) < timedelta(days=3)

    enrollment = enrollment_create(learner=LearnerFactory(), course=course)
    Notification.objects.filter(enrollment=enrollment).update(attempts=MAX_ATTEMPTS)
    assert notifications_send_due(now=timezone.now() + timedelta(days=30)) == 0
    assert mail.outbox == []


@pytest.fixture
def broker_down(settings):
    """The Celery app, not eager, pointed at a closed port; restored afterwards. Everything
    else (connection and publish retries, socket timeouts) is the production configuration."""
    from ezlearn.celery import app

    changes = {"task_always_eager": False, "broker_url": "redis://127.0.0.1:1/0"}
    saved = {key: app.conf[key] for key in changes}
    settings.CELERY_BROKER_URL = changes["broker_url"]
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def forget_connections() -> None:
        # The app and kombu cache broker connection pools; a new URL needs new pools.
        kombu.pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    forget_connections()
    app.conf.update(changes)
    try:
        yield app
    finally:
        forget_connections()
        app.conf.update(saved)


def test_enrollment_succeeds_with_the_broker_down_and_the_relay_sends_the_message_later(
    course, broker_down, django_capture_on_commit_callbacks, caplog
):
    learner = LearnerFactory()

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enrollment = enrollment_create(learner=learner, course=course)

    assert time.monotonic() - started < 3  # the citizen is not kept waiting
    assert len(callbacks) == 1  # the kick ran, and failed quietly
    assert "Could not reach the task broker" in caplog.text
    [record] = [r for r in caplog.records if "task broker" in r.getMessage()]
    assert record.exc_info[0].__module__.split(".")[0] in {"kombu", "redis"}
    assert Enrollment.objects.get(pk=enrollment.pk).status == Status.CONFIRMED
    row = Notification.objects.get(enrollment=enrollment)
    assert (row.sent_at, row.attempts) == (None, 0)
    assert mail.outbox == []

    # Later: beat's relay (or anyone) runs it; still exactly one email, however often.
    assert notifications_send_due() == 1
    assert notifications_send_due() == 0
    assert [m.to for m in mail.outbox] == [[learner.email]]
