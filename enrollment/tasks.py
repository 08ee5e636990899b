"""Thin Celery wrappers around enrollment services."""

from celery import shared_task

from .notifications import notifications_send_due as _send_due


@shared_task(acks_late=True, ignore_result=True)
def notifications_send_due() -> int:
    """Send every message waiting in the outbox (also run by Celery beat every minute)."""
    return _send_due()
