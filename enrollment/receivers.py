"""Enrollment's own listeners to its signals (kept out of the services that send them)."""

from __future__ import annotations

from .certificates import certificate_issue_queue


def certificate_queue_on_course_completed(sender, *, enrollment, course, **kwargs) -> None:
    """Receiver of course_completed (sent after commit): queue the certificate's rendering.
    Quick; if the broker is down, certificates_sweep issues it later."""
    certificate_issue_queue([enrollment.pk])
