"""`manage.py survey_report_refresh [--all] [--course ID ...]`: recount the satisfaction
reports' summary rows. By default only the courses whose summary disagrees with their
responses or invitations (what Celery beat does every ten minutes); `--all` after a restore
or an upgrade, `--course` for one course."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from surveys.report_selectors import report_summary_stale_course_ids
from surveys.services import report_summary_refresh


class Command(BaseCommand):
    help = (
        "Recount the survey report summaries: courses whose summary is out of date, every "
        "course with --all, or the courses given with --course."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Recount every course with invitations or responses, up to date or not.",
        )
        parser.add_argument(
            "--course",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="Recount this course (page id); may be given more than once.",
        )

    def handle(self, *args, **options) -> None:
        began = time.monotonic()
        if options["all"]:
            course_ids = None
        elif options["course"]:
            course_ids = options["course"]
        else:
            course_ids = report_summary_stale_course_ids()
        refreshed = report_summary_refresh(course_ids=course_ids)
        elapsed = time.monotonic() - began
        self.stdout.write(
            self.style.SUCCESS(
                f"Report summaries of {refreshed} courses refreshed in {elapsed:.1f} s."
            )
        )
