"""The course page's admin form: instructors always teach the courses they write."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from .people import person_name
from .roles import INSTRUCTORS, user_is_administrator


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("instructor")
        if field is None:
            return
        field.queryset = (
            get_user_model()
            .objects.filter(groups__name=INSTRUCTORS, is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        field.label_from_instance = person_name
        user = self.for_user
        if user is not None and not user_is_administrator(user):
            # An instructor cannot hand a course to someone else (or take one over).
            field.disabled = True
            field.help_text = _("You teach this course. An administrator can reassign it.")
            if not self.instance.pk:
                self.initial["instructor"] = user.pk
                self.instance.instructor = user

    def clean_instructor(self):
        instructor = self.cleaned_data.get("instructor")
        user = self.for_user
        if user is not None and not user_is_administrator(user) and not self.instance.pk:
            return user
        return instructor
