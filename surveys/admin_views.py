"""Keying in paper questionnaires in the Wagtail admin: choose a course, then the learner
whose form it is, then type their answers. Administrators and counter staff only.

Views are thin: objects are found through the selectors (which return nothing to anyone else)
and every change goes through a service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .exceptions import AlreadyAnswered, AnswersInvalid
from .forms import SurveyAnswerForm
from .models import Response
from .selectors import (
    course_for_paper_entry,
    courses_for_paper_entry,
    enrollment_for_paper_entry,
    invitation_for_paper_entry,
    paper_entry_enrollments,
    survey_questions,
    user_may_key_in_paper,
)
from .services import invitation_create, response_submit

NAMESPACE = "surveys_paper"


def url(name: str, **kwargs) -> str:
    return reverse(f"{NAMESPACE}:{name}", kwargs=kwargs)


class PaperEntryMixin:
    """Refuses everyone but administrators and counter staff (Wagtail sends them back to the
    dashboard with a message)."""

    def dispatch(self, request, *args, **kwargs):
        if not user_may_key_in_paper(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PaperView(PaperEntryMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, *self.breadcrumbs()]

    def breadcrumbs(self) -> list[dict]:
        return [{"url": "", "label": self.get_page_title()}]


def _int_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


class PaperIndexView(PaperView):
    """Step 1: the course the paper forms come from (recently finished first, or search)."""

    page_title = _("Key in paper surveys")
    template_name = "surveys/admin/paper_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")[:100]
        context.update(
            query=query,
            courses=courses_for_paper_entry(user=self.request.user, query=query),
        )
        return context


class CourseMixin:
    @cached_property
    def course(self):
        course = course_for_paper_entry(user=self.request.user, pk=self.kwargs["course_id"])
        if course is None:
            raise Http404
        return course


class PaperCourseView(CourseMixin, PaperView):
    """Step 2: the learner whose form it is. Answered forms are marked (online or paper)."""

    template_name = "surveys/admin/paper_course.html"

    def get_page_title(self):
        return self.course.title

    def breadcrumbs(self):
        return [
            {"url": url("index"), "label": gettext("Key in paper surveys")},
            {"url": "", "label": self.course.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrollments = paper_entry_enrollments(course=self.course)
        context.update(
            course=self.course,
            enrollments=enrollments,
            answered_count=sum(1 for e in enrollments if e.invitation and e.invitation.answered),
        )
        return context


class PaperStartView(CourseMixin, PaperEntryMixin, View):
    """POST: the learner was chosen; make sure they are invited, then open their form."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        enrollment = enrollment_for_paper_entry(
            user=request.user,
            course=self.course,
            pk=_int_or_404(request.POST.get("enrollment")),
        )
        if enrollment is None:
            raise Http404
        invitation, _created = invitation_create(enrollment=enrollment)
        if invitation is None:
            messages.error(request, gettext("No survey applies to this course yet."))
            return redirect(url("course", course_id=self.course.pk))
        return redirect(url("entry", pk=invitation.pk))


class PaperEntryView(PaperView):
    """Step 3: the learner's answers, typed from their paper form. Saved once (a second
    save, or a learner who answered online meanwhile, is refused with a message)."""

    template_name = "surveys/admin/paper_entry.html"

    @cached_property
    def invitation(self):
        invitation = invitation_for_paper_entry(user=self.request.user, pk=self.kwargs["pk"])
        if invitation is None:
            raise Http404
        return invitation

    @cached_property
    def learner(self):
        return self.invitation.enrollment.learner

    def get_page_title(self):
        return gettext("Paper survey of %(name)s") % {"name": self.learner.name}

    def breadcrumbs(self):
        course = self.invitation.course
        return [
            {"url": url("index"), "label": gettext("Key in paper surveys")},
            {"url": url("course", course_id=course.pk), "label": course.title},
            {"url": "", "label": self.learner.name},
        ]

    def form(self, data=None) -> SurveyAnswerForm:
        return SurveyAnswerForm(
            data,
            questions=survey_questions(survey=self.invitation.survey),
            language=translation.get_language(),
            paper=True,
        )

    def get(self, request, *args, **kwargs):
        if self.invitation.answered:
            return self._already_answered()
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                response_submit(
                    invitation=self.invitation,
                    answers=form.answers(),
                    channel=Response.Channel.PAPER,
                    keyed_by=request.user,
                )
            except AlreadyAnswered:
                return self._already_answered()
            except AnswersInvalid as error:
                form.add_answer_errors(error.errors)
            else:
                messages.success(
                    request,
                    gettext("Saved the paper survey of %(name)s.") % {"name": self.learner.name},
                )
                return redirect(url("course", course_id=self.invitation.course_id))
        return self.render_to_response(self.get_context_data(form=form))

    def _already_answered(self) -> HttpResponseRedirect:
        messages.error(
            self.request,
            gettext("%(name)s has already answered this survey; nothing was saved.")
            % {"name": self.learner.name},
        )
        return redirect(url("course", course_id=self.invitation.course_id))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs["form"]
        context.update(
            invitation=self.invitation,
            survey=self.invitation.survey,
            course=self.invitation.course,
            learner=self.learner,
            rows=form.rows(),
        )
        return context
