"""The outbox relay: sends queued messages once, whoever runs it and how often.

Services write a `Notification` row in the same transaction as the change it reports (see
`services._notify`). This module turns due rows into emails: one row per transaction, locked
with SKIP LOCKED and marked done in that transaction, so two relays running at once, or one
running twice, send each message once. A failed send is recorded on the row and retried later
with growing pauses; it never holds up the rows behind it. See docs/notifications.md."""

from __future__ import annotations

import logging
import re
from datetime import datetime, time, timedelta
from email.message import MIMEPart
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext_lazy as _

from courses.ics import course_sessions_ics
from courses.models import CourseSession

from .models import Enrollment, Notification
from .services import waitlist_position

logger = logging.getLogger(__name__)

Kind = Notification.Kind
Status = Enrollment.Status

# Emails one relay run sends at most; Celery beat starts another run every minute.
RUN_LIMIT = 200
# A run stops after this many failed sends in a row: the mail server is probably down, and
# trying every due row against it would only burn their attempts.
CONSECUTIVE_FAILURES_TO_STOP = 3

# Pauses between attempts: 1, 2, 4 … minutes, at most an hour. The schedule is anchored at the
# row's created_at, so "attempts" alone says when the next try is due (no extra column).
FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=1)
# After this many attempts (about two days) the relay leaves the row alone; its last_error
# says why. Reset `attempts` to 0 to try again (docs/notifications.md).
MAX_ATTEMPTS = 48

# Messages whose calendar file helps the learner: they hold (or hold again) a seat.
WITH_CALENDAR = {Kind.CONFIRMED, Kind.PROMOTED, Kind.REMINDER}

SUBJECTS = {
    Kind.CONFIRMED: _("You have a seat: %(course)s"),
    Kind.WAITLISTED: _("You are on the waiting list: %(course)s"),
    Kind.PROMOTED: _("A seat is now yours: %(course)s"),
    Kind.CANCELLED: _("Your enrollment is cancelled: %(course)s"),
    Kind.REMINDER: _("Reminder: your class starts %(when)s: %(course)s"),
}
SUBJECT_LEFT_WAITLIST = _("You have left the waiting list: %(course)s")

SENT, SKIPPED, FAILED = "sent", "skipped", "failed"  # what became of a row

SKIP_NO_EMAIL = "no email address"
SKIP_NOT_WAITING = "superseded: no longer on the waiting list"
SKIP_NOT_CONFIRMED = "superseded: no longer confirmed"
SKIP_STARTED = "too late: the course has started"


def retry_due_after(attempts: int) -> timedelta:
    """How long after the row was created attempt number `attempts + 1` may run."""
    total, pause = timedelta(0), FIRST_PAUSE
    for _attempt in range(attempts):
        total += pause
        pause = min(pause * 2, LONGEST_PAUSE)
    return total


def _due(now: datetime) -> Q:
    due = Q(attempts=0)
    for attempts in range(1, MAX_ATTEMPTS):
        due |= Q(attempts=attempts, created_at__lte=now - retry_due_after(attempts))
    return Q(sent_at__isnull=True) & due


def notifications_send_due(*, now: datetime | None = None, limit: int = RUN_LIMIT) -> int:
    """Send the messages that are due; return how many emails went out.

    Each row is taken with SELECT … FOR UPDATE SKIP LOCKED and marked sent (or skipped, or
    failed) in the transaction that sends it: a second relay skips it while it is being sent
    and finds it done afterwards. One email may go twice only if the process dies between the
    mail server's "accepted" and the commit; the fixed Message-ID lets mail clients drop it."""
    sent = failures_in_a_row = 0
    mailer = mailers.default  # one connection for the run, opened at the first send
    try:
        for _row in range(limit):
            outcome = _send_next(mailer=mailer, now=now or timezone.now())
            if outcome is None:
                break
            if outcome == SENT:
                sent += 1
            failures_in_a_row = failures_in_a_row + 1 if outcome == FAILED else 0
            if failures_in_a_row >= CONSECUTIVE_FAILURES_TO_STOP:
                logger.warning("Outbox: %s sends failed in a row; stopping.", failures_in_a_row)
                break
    finally:
        mailer.close()
    return sent


def _send_next(*, mailer, now: datetime) -> str | None:
    """Handle the oldest due row and say what became of it; None when nothing is due."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_due(now))
            .select_related("enrollment__learner", "enrollment__course")
            .prefetch_related("enrollment__course__sessions")
            .order_by("created_at", "pk")
            .first()
        )
        if notification is None:
            return None
        notification.attempts += 1
        try:
            # A savepoint, so a failed query while composing leaves the row writable.
            with transaction.atomic():
                message, skipped_reason = notification_compose(notification=notification, now=now)
            if message is None:
                notification.skipped_reason = skipped_reason
                notification.sent_at = now
                outcome = SKIPPED
            else:
                mailer.open()  # no-op when already open
                if mailer.send_messages([message]) != 1:
                    raise RuntimeError("the mail backend accepted no message")
                notification.sent_at = timezone.now()
                outcome = SENT
        except Exception as error:  # any failure: keep the row due, record why, retry later
            mailer.close()  # a broken SMTP connection is reopened for the next row
            notification.last_error = f"{type(error).__name__}: {error}"[:2000]
            logger.warning(
                "Outbox: sending %s failed (attempt %s of %s).",
                notification,
                notification.attempts,
                MAX_ATTEMPTS,
                exc_info=True,
            )
            if notification.attempts >= MAX_ATTEMPTS:
                logger.error("Outbox: gave up on %s: %s", notification, notification.last_error)
            outcome = FAILED
        notification.save(update_fields=["attempts", "sent_at", "skipped_reason", "last_error"])
    return outcome


def _skip_reason(notification: Notification, now: datetime) -> str:
    """Why a message would now mislead, or "". Messages kept while the relay was held up can
    be overtaken by later events; the later message tells the learner what is true."""
    enrollment, kind = notification.enrollment, notification.kind
    if not enrollment.learner.email:
        # Assisted enrollment at a counter: the printed slip is their confirmation. (SMS is
        # not built yet; such rows stay in the outbox as a record.)
        return SKIP_NO_EMAIL
    if kind == Kind.WAITLISTED and enrollment.status != Status.WAITLISTED:
        return SKIP_NOT_WAITING
    if kind in WITH_CALENDAR and enrollment.status != Status.CONFIRMED:
        return SKIP_NOT_CONFIRMED
    if kind == Kind.REMINDER:
        first = enrollment.course.first_session
        if first is None or first.start <= now:
            return SKIP_STARTED
    return ""


def notification_compose(
    *, notification: Notification, now: datetime | None = None
) -> tuple[EmailMultiAlternatives | None, str]:
    """The email for an outbox row, in the learner's language and Taipei time, or None and the
    reason it should not be sent."""
    now = now or timezone.now()
    if reason := _skip_reason(notification, now):
        return None, reason
    enrollment = notification.enrollment
    learner, course = enrollment.learner, enrollment.course
    language = learner.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(ZoneInfo(settings.TIME_ZONE)):
        sessions = course.upcoming_sessions(now)
        site = settings.SITE_URL.rstrip("/")
        course_url = course.get_url() or ""
        if course_url.startswith("/"):
            course_url = site + course_url
        cancel_until = course.cancellation_closes_at()
        left_waitlist = (
            notification.kind == Kind.CANCELLED and enrollment.seat_kind == Enrollment.SeatKind.NONE
        )
        context = {
            "kind": notification.kind,
            "language": language,
            "learner": learner,
            "enrollment": enrollment,
            "course": course,
            "course_url": course_url,
            "sessions": sessions,
            "first": sessions[0] if sessions else None,
            "venue": course.venue,
            "position": waitlist_position(enrollment=enrollment),
            "cancel_until": cancel_until if cancel_until and cancel_until > now else None,
            "left_waitlist": left_waitlist,
            "with_calendar": notification.kind in WITH_CALENDAR and bool(sessions),
            "my_url": f"{site}/my/",
            "catalogue_url": f"{site}/courses/",
        }
        subject = SUBJECT_LEFT_WAITLIST if left_waitlist else SUBJECTS[notification.kind]
        first_start = timezone.localtime(sessions[0].start) if sessions else None
        when = dateformat.format(first_start, "Y/m/d (l) H:i") if first_start else ""
        subject = str(subject) % {"course": course.title, "when": when}
        text = _tidy(render_to_string(f"enrollment/email/{notification.kind}.txt", context))
        html = render_to_string(f"enrollment/email/{notification.kind}.html", context)

    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[learner.email],
        headers={
            "Message-ID": f"<notification-{notification.pk}@{_mail_domain()}>",
            "Content-Language": language,
            # RFC 3834: no out-of-office replies to an automatic message.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    if context["with_calendar"]:
        message.attach(_calendar_part(course=course, sessions=sessions))
    return message, ""


def _calendar_part(*, course, sessions: list[CourseSession]) -> MIMEPart:
    part = MIMEPart()
    # Bytes as they are: iCalendar lines end in CRLF, which text re-encoding would change.
    part.set_content(
        course_sessions_ics(course=course, sessions=sessions),
        maintype="text",
        subtype="calendar",
        params={"charset": "utf-8", "method": "PUBLISH"},
        disposition="attachment",
        filename="course.ics",
    )
    return part


def _mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "ezlearn"


def _tidy(text: str) -> str:
    """Plain-text templates leave blank lines where tags stood: at most one blank line."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def reminders_queue_due(*, now: datetime | None = None) -> int:
    """Queue one reminder per confirmed enrollment whose course starts later today or
    tomorrow (Taipei dates). Run hourly in the daytime, so most reminders leave the morning
    before the first class. The unique dedupe key makes a second reminder impossible, however
    often this runs and however many run at once. Returns how many rows were new."""
    now = now or timezone.now()
    taipei = ZoneInfo(settings.TIME_ZONE)
    day_after_tomorrow = timezone.localdate(now, taipei) + timedelta(days=2)
    until = datetime.combine(day_after_tomorrow, time.min, tzinfo=taipei)
    first_start = (
        CourseSession.objects.filter(page_id=OuterRef("course_id"))
        .order_by("start")
        .values("start")[:1]
    )
    enrollment_ids = list(
        Enrollment.objects.filter(status=Status.CONFIRMED)
        .annotate(first_start=Subquery(first_start))
        .filter(first_start__gt=now, first_start__lt=until)
        .exclude(notifications__kind=Kind.REMINDER)
        .values_list("pk", flat=True)
    )
    Notification.objects.bulk_create(
        [
            Notification(
                enrollment_id=pk, kind=Kind.REMINDER, dedupe_key=f"reminder:{pk}", created_at=now
            )
            for pk in enrollment_ids
        ],
        ignore_conflicts=True,
    )
    return len(enrollment_ids)
