"""`manage.py survey_links`: personal survey links of unanswered invitations, for trying the
form out in a demo or helping a learner whose email went astray. Links are personal: share
one only with its learner."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from surveys.models import Invitation
from surveys.selectors import invitation_url


class Command(BaseCommand):
    help = "Print the personal links of unanswered survey invitations (newest first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=5, help="How many (default 5).")
        parser.add_argument("--phone", default="", help="Only this learner (mobile, E.164).")
        parser.add_argument(
            "--language", default="", help="Only learners preferring this language (e.g. en)."
        )

    def handle(self, *args, **options) -> None:
        invitations = (
            Invitation.objects.filter(answered=False)
            .select_related("course", "enrollment__learner")
            .order_by("-created_at", "-pk")
        )
        if options["phone"]:
            invitations = invitations.filter(enrollment__learner__phone=options["phone"])
        if options["language"]:
            invitations = invitations.filter(
                enrollment__learner__preferred_language=options["language"]
            )
        for invitation in invitations[: options["limit"]]:
            learner = invitation.enrollment.learner
            self.stdout.write(
                f"{learner.name} ({learner.preferred_language}) · {invitation.course.title}\n"
                f"  {invitation_url(invitation=invitation)}"
            )
