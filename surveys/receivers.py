"""Surveys listen to enrollment; enrollment never calls surveys."""

from __future__ import annotations

import logging

from django.db import transaction

from .services import invitation_create

logger = logging.getLogger(__name__)


def invitation_send_queue(invitation_id: int) -> None:
    """Queue the invitation email after commit. If the broker is unreachable nothing is lost:
    the invitation row exists and the periodic sweep sends it."""

    def queue() -> None:
        from .tasks import invitation_send

        try:
            invitation_send.delay(invitation_id)
        except Exception:  # any broker failure
            logger.warning(
                "Could not queue survey invitation %s; the sweep will send it.",
                invitation_id,
                exc_info=True,
            )

    transaction.on_commit(queue)


def invite_on_course_completed(sender, *, enrollment, course, **kwargs) -> None:
    """Receiver of enrollment.signals.course_completed: invite the learner (once) and queue
    the email. Quick: one or two queries and a task on the queue."""
    invitation, created = invitation_create(enrollment=enrollment)
    if invitation is not None and created:
        invitation_send_queue(invitation.pk)
