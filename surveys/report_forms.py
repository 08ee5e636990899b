"""The satisfaction dashboard's filters: a GET form whose choices come from the report
selectors, so a user can only pick what they may see (an instructor has no instructor field,
and only their own courses)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from courses.models import Category, CoursePage, District, TargetGroup, Term

from .report_selectors import TARGET_GROUPS, ReportFilters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class InstructorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class ReportFilterForm(forms.Form):
    """Empty fields mean "all". Choices outside the user's reach are invalid, so a hand-made
    query string (?course=… of someone else's course) gets an error, never another's data."""

    term = forms.ModelChoiceField(
        label=_("Term"),
        queryset=Term.objects.none(),
        required=False,
        empty_label=_("All terms"),
        help_text=_("Courses of this term."),
    )
    date_from = forms.DateField(
        label=_("Courses starting from"),
        required=False,
        widget=DateInput,
        help_text=_("Courses whose first class is on or after this day."),
    )
    date_to = forms.DateField(
        label=_("Courses starting until"),
        required=False,
        widget=DateInput,
        help_text=_("Courses whose first class is on or before this day."),
    )
    district = forms.ModelChoiceField(
        label=_("District of the venue"),
        queryset=District.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All districts"),
        help_text=_("Courses held in this district."),
    )
    category = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Category.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
        help_text=_("Courses on this topic."),
    )
    instructor = InstructorChoiceField(
        label=_("Instructor"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("All instructors"),
        help_text=_("Courses taught by this instructor."),
    )
    target_group = forms.ChoiceField(
        label=_("Respondents"),
        required=False,
        help_text=_("Only the answers of respondents in this group when they answered."),
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        required=False,
        empty_label=_("All courses"),
        help_text=_("One course only. Choose it by clicking its row under “By course”."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        options: dict[str, Any],
        courses: Any,
        show_instructor: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["term"].queryset = _queryset(options.get("terms"), Term)
        self.fields["district"].queryset = _queryset(options.get("districts"), District)
        self.fields["category"].queryset = _queryset(options.get("categories"), Category)
        self.fields["course"].queryset = courses
        if show_instructor:
            self.fields["instructor"].queryset = _queryset(
                options.get("instructors"), get_user_model()
            )
        else:
            del self.fields["instructor"]
        groups = options.get("target_groups") or [
            (code, str(TargetGroup.Code(code).label)) for code in TARGET_GROUPS
        ]
        self.fields["target_group"].choices = [("", _("All respondents")), *groups]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to",
                _("This day is before “%(field)s”. Swap the two days or clear one.")
                % {"field": self.fields["date_from"].label},
            )
        return data

    def to_filters(self) -> ReportFilters:
        """The filters of a valid form (call is_valid() first)."""
        data = self.cleaned_data
        term, district, category = data.get("term"), data.get("district"), data.get("category")
        instructor, course = data.get("instructor"), data.get("course")
        return ReportFilters(
            term=term.pk if term else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            district=district.slug if district else "",
            category=category.slug if category else "",
            instructor=instructor.pk if instructor else None,
            target_group=data.get("target_group") or "",
            course=course.pk if course else None,
        )

    def applied(self) -> list[tuple[str, str]]:
        """(label, value) of every filter in use, for the PDF's cover and file names."""
        labels = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                value = dict(field.choices).get(value, value)
            elif isinstance(field, forms.ModelChoiceField):
                value = field.label_from_instance(value)
            labels.append((str(field.label), str(value)))
        return labels


def _queryset(value: Any, model) -> Any:
    """The selectors may hand over a queryset or a list; ModelChoiceField needs a queryset."""
    if value is None:
        return model.objects.none()
    if hasattr(value, "model") and hasattr(value, "all"):
        return value.all()
    return model.objects.filter(pk__in=[item.pk for item in value])
