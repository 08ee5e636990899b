"""Thin Celery wrappers around survey services. Tasks take ids (or nothing), load fresh state
and may run twice: the service locks the invitation and checks `sent_at` / `reminded_at` in
the transaction that sends. Only transient database errors are retried here; a failed send is
recorded on the invitation and picked up by the sweep.

The beat schedule is CELERY_BEAT_SCHEDULE in ezlearn/settings/base.py (the invitation sweep,
reminders, and the stale report-summary sweep)."""

from __future__ import annotations

from celery import shared_task

from enrollment.tasks import TASK_OPTIONS

from . import services


@shared_task(**TASK_OPTIONS)
def invitation_send(invitation_id: int) -> str:
    """Email one invitation (queued after it is created)."""
    return services.invitation_email_send(invitation_id=invitation_id)


@shared_task(**TASK_OPTIONS)
def invitations_sweep() -> tuple[int, int]:
    """Invite for courses that ended recently and send what is still unsent."""
    return services.invitations_sweep()


@shared_task(**TASK_OPTIONS)
def invitation_reminders_send_due() -> int:
    """Remind, once, those who have not answered after SURVEYS_REMINDER_AFTER_DAYS."""
    return services.invitation_reminders_send_due()


@shared_task(**TASK_OPTIONS)
def report_summary_refresh_courses(course_ids: list[int]) -> int:
    """Recount the report summary of courses that got responses (queued after commit)."""
    return services.report_summary_refresh(course_ids=course_ids)


@shared_task(**TASK_OPTIONS)
def report_summaries_refresh_stale() -> int:
    """Beat's safety net: recount every course whose summary disagrees with its responses."""
    return services.report_summary_refresh_stale()
