"""The invitation email and its reminder, in the learner's language (pure: rows in, message
out; services.invitation_email_send decides when and records that it went)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Invitation
from .selectors import invitation_url, survey_questions

SUBJECT = _("How was your course? %(course)s")
SUBJECT_REMINDER = _("Reminder: please tell us how your course went: %(course)s")


def _tidy(text: str) -> str:
    """Plain-text templates leave blank lines where tags stood: at most one blank line."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def invitation_email_compose(
    *, invitation: Invitation, reminder: bool = False
) -> EmailMultiAlternatives:
    learner = invitation.enrollment.learner
    language = learner.preferred_language or settings.LANGUAGE_CODE
    site = settings.SITE_URL.rstrip("/")
    with translation.override(language):
        context = {
            "language": language,
            "learner": learner,
            "course": invitation.course,
            "survey": invitation.survey,
            "question_count": len(survey_questions(survey=invitation.survey)),
            "url": invitation_url(invitation=invitation),
            "my_url": f"{site}/my/",
            "reminder": reminder,
        }
        subject = str(SUBJECT_REMINDER if reminder else SUBJECT) % {
            "course": invitation.course.title
        }
        text = _tidy(render_to_string("surveys/email/invitation.txt", context))
        html = render_to_string("surveys/email/invitation.html", context)
    domain = urlsplit(settings.SITE_URL).hostname or "ezlearn"
    kind = "reminder" if reminder else "invitation"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[learner.email],
        headers={
            "Message-ID": f"<survey-{kind}-{invitation.pk}@{domain}>",
            "Content-Language": language,
            # RFC 3834: no out-of-office replies to an automatic message.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
