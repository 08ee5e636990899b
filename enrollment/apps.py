from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrollmentConfig(AppConfig):
    name = "enrollment"
    verbose_name = _("Enrollment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.demo import demo_data_seeded

        from .demo import demo_enrollment_seed
        from .receivers import certificate_queue_on_course_completed
        from .signals import course_completed

        demo_data_seeded.connect(demo_enrollment_seed, dispatch_uid="enrollment-demo")
        course_completed.connect(
            certificate_queue_on_course_completed, dispatch_uid="enrollment-certificate"
        )
