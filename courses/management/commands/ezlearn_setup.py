from django.core.management.base import BaseCommand

from courses.services import site_setup


class Command(BaseCommand):
    help = (
        "Create the page tree, the Instructors and Administrators groups and the approval "
        "workflow (idempotent)."
    )

    def handle(self, *args, **options):
        catalogue = site_setup()
        self.stdout.write(self.style.SUCCESS(f"Site ready; catalogue at {catalogue.url_path}"))
