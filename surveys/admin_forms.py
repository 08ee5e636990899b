"""The survey's admin form: the rules that keep past answers meaningful once people have
answered (no deleting or re-kinding an answered question, no removing its answers to choose
from, no switching anonymity), and a course on one survey only."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm


def _course_label(course) -> str:
    term = course.term.display_name if course.term_id else ""
    return f"{course.title} ({term})" if term else course.title


class SurveyAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("courses")
        if field is not None:
            from courses.models import CoursePage

            # Courses of current and coming terms, and those already chosen: the list stays
            # short enough to tick through, whatever the size of the archive.
            recent = timezone.localdate() - timedelta(days=120)
            chosen = [course.pk for course in self.instance.courses.all()] if self.instance else []
            field.queryset = (
                CoursePage.objects.filter(
                    Q(term__ends_on__gte=recent) | Q(term__isnull=True) | Q(pk__in=chosen)
                )
                .select_related("term")
                .order_by("-term__starts_on", "title", "pk")
            )
            field.label_from_instance = _course_label

    def clean(self):
        cleaned_data = super().clean()
        from .models import Answer, Response, Survey

        survey = self.instance
        answered = survey.pk is not None and Response.objects.filter(survey=survey).exists()
        if (
            answered
            and "anonymous" in cleaned_data
            and cleaned_data["anonymous"]
            != Survey.objects.filter(pk=survey.pk).values_list("anonymous", flat=True).first()
        ):
            self.add_error(
                "anonymous",
                _("People have already answered this survey, so this can no longer change."),
            )

        courses = cleaned_data.get("courses")
        if courses:
            taken = (
                Survey.courses.through.objects.filter(coursepage__in=courses)
                .exclude(survey_id=survey.pk)
                .select_related("coursepage", "survey")
            )
            clashes = [f"{row.coursepage.title} → {row.survey}" for row in taken]
            if clashes:
                self.add_error(
                    "courses",
                    _(
                        "A course can use only one survey. Remove these courses from their "
                        "other survey first: %(courses)s"
                    )
                    % {"courses": "; ".join(clashes)},
                )

        formset = self.formsets.get("questions")
        if formset is not None and survey.pk is not None:
            formset.is_valid()  # cleans the question forms, so their data can be checked
            answered_ids = set(
                Answer.objects.filter(question__survey=survey)
                .values_list("question_id", flat=True)
                .distinct()
            )
            for form in formset.forms:
                question = form.instance
                if question.pk is None or question.pk not in answered_ids:
                    continue
                if not _keep_answered_question(form, question):
                    self.add_error(
                        None,
                        _(
                            "“%(question)s” has been answered, so it cannot be deleted. It is "
                            "back in the list below: untick “Ask this question” to stop asking it."
                        )
                        % {"question": question.text},
                    )
        return cleaned_data


def _keep_answered_question(form, question) -> bool:
    """Add errors to the form of a question people have answered where a change would break
    their answers. False if the question was to be deleted (it is kept instead)."""
    from .models import Question

    data = getattr(form, "cleaned_data", None) or {}
    if data.get("DELETE"):
        # Undo the deletion, in the data too, so the form shows the question again.
        form.cleaned_data["DELETE"] = False
        form.data = form.data.copy()
        form.data[form.add_prefix("DELETE")] = ""
        form.add_error(None, _("This question has been answered, so it cannot be deleted."))
        return False
    saved = Question.objects.get(pk=question.pk)
    if "kind" in data and data["kind"] != saved.kind:
        form.add_error(
            "kind",
            _("People have answered this question, so its kind can no longer change."),
        )
    if saved.kind in Question.CHOICE_KINDS:
        before = len(Question.split_options(saved.options_zh_hant))
        for field in ("options_zh_hant", "options_en", "options_vi"):
            if data.get(field) and len(Question.split_options(data[field])) < before:
                form.add_error(
                    field,
                    _(
                        "People have answered this question: keep its %(count)s answers to "
                        "choose from (you may correct their wording or add more at the end)."
                    )
                    % {"count": before},
                )
    return True
