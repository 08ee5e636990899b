"""`manage.py seed_demo`: a catalogue that looks alive, with demo logins for the admin."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from courses import demo
from courses.models import CoursePage
from courses.services import site_setup


class Command(BaseCommand):
    help = (
        "Create the site (like ezlearn_setup), demo users, venues, categories, terms and "
        f"{demo.DEFAULT_COURSE_COUNT} courses. Idempotent: only what is missing is created."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=demo.DEFAULT_COURSE_COUNT,
            metavar="N",
            help=f"Number of courses (default {demo.DEFAULT_COURSE_COUNT}); e.g. for benchmarks.",
        )

    def handle(self, *args, **options) -> None:
        count = options["scale"]
        if count < 0:
            raise CommandError("--scale must be 0 or more.")
        began = time.monotonic()
        with transaction.atomic():
            catalogue = site_setup()
            report = demo.demo_seed(catalogue=catalogue, count=count)
            # Apps built on the catalogue (enrollment, surveys) add their demo data here.
            demo.demo_data_seeded.send(sender=self.__class__, report=report)
        if connection.vendor == "sqlite":
            # Without table statistics SQLite probes the full-text index once per indexed row
            # (150 ms instead of 3 ms for a search at 2,000 courses). PostgreSQL's autovacuum
            # keeps its own statistics.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - began

        for kind in report.kinds():
            self.stdout.write(
                f"{kind:<11} {report.created[kind]:>5} created, "
                f"{report.existing[kind]:>5} already there"
            )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))
        if count and not CoursePage.objects.live().search("手機").count():
            self.stdout.write(
                self.style.WARNING(
                    "The search index finds no courses; run `manage.py update_index`."
                )
            )
        self._credentials()

    def _credentials(self) -> None:
        base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
        last = demo.INSTRUCTORS_DEMO[-1].username
        lines = [
            f"  Admin:              {base_url.rstrip('/')}/admin/",
            f"  Administrator:      username {demo.ADMIN_USERNAME}"
            f"    password {demo.ADMIN_PASSWORD}",
            f"  Demo instructor:    username {demo.INSTRUCTOR_USERNAME}"
            f"    password {demo.INSTRUCTOR_PASSWORD}",
            f"  Other instructors:  username instructor2 … {last}"
            f"    password {demo.INSTRUCTOR_PASSWORD}",
            f"  Counter staff:      username {demo.COUNTER_USERNAME}"
            f"    password {demo.COUNTER_PASSWORD}",
        ]
        # The demo citizen (made by enrollment's demo receiver) signs in on the public site
        # with an email address or a mobile number, not a username.
        citizen = (
            get_user_model().objects.filter(username="learner").values_list("email", flat=True)
        ).first()
        if citizen:
            lines += [
                f"  Citizen:            {base_url.rstrip('/')}/accounts/login/",
                f"                      email {citizen}    password ezlearn-learner",
            ]
        lines.append("  (Users that already existed keep their own passwords.)")
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING("Demo logins (demo data only, never in production):")
        )
        for line in lines:
            self.stdout.write(line)
