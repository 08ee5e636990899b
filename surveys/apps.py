from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from courses.demo import demo_data_seeded
        from enrollment.signals import course_completed

        from .demo import demo_surveys_seed
        from .models import Response, Survey
        from .permissions import AdministratorsManagePolicy, AdministratorsViewOnlyPolicy
        from .receivers import invite_on_course_completed

        # Before wagtail_hooks registers the viewsets (which would create default policies).
        register_permission_policy(Survey, AdministratorsManagePolicy(Survey))
        register_permission_policy(Response, AdministratorsViewOnlyPolicy(Response))

        course_completed.connect(invite_on_course_completed, dispatch_uid="surveys-invite")
        # Connected after enrollment's seeder (INSTALLED_APPS order: courses → enrollment →
        # surveys), so the demo learners and their attendance exist when this one runs.
        demo_data_seeded.connect(demo_surveys_seed, dispatch_uid="surveys-demo")
