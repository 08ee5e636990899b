"""The outbox relay: sends queued messages exactly once, whoever runs it and how often."""

from __future__ import annotations

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)
BATCH = 50


def _message(notification: Notification) -> EmailMultiAlternatives | None:
    enrollment = notification.enrollment
    learner = enrollment.learner
    if not learner.email:
        return None
    with translation.override(learner.preferred_language):
        context = {"notification": notification, "enrollment": enrollment, "learner": learner}
        subject = render_to_string("enrollment/email/subject.txt", context).strip()
        body = render_to_string("enrollment/email/body.txt", context)
    return EmailMultiAlternatives(subject=subject, body=body, to=[learner.email])


def notifications_send_due(*, batch: int = BATCH) -> int:
    """Send due messages. Rows are locked with SKIP LOCKED and marked sent in the same
    transaction, so two relays running at once, or one running twice, send each message once."""
    sent = 0
    while True:
        with transaction.atomic():
            due = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(sent_at__isnull=True)
                .select_related("enrollment__learner", "enrollment__course")
                .order_by("created_at", "pk")[:batch]
            )
            if not due:
                return sent
            for notification in due:
                message = _message(notification)
                notification.attempts += 1
                if message is None:
                    notification.skipped_reason = "no email address"
                else:
                    message.send()
                    sent += 1
                notification.sent_at = timezone.now()
                notification.save(update_fields=["attempts", "sent_at", "skipped_reason"])
