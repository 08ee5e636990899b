"""The Surveys menu of the Wagtail admin: surveys (snippets with their questions inline), the
responses (read-only; paper ones marked), keying in paper forms and the satisfaction reports
(with their panel on the admin home)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, UpdatedAtColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from . import admin_views, report_selectors, report_views
from .models import Response, Survey
from .selectors import survey_is_in_use, user_may_key_in_paper


class SurveyDeleteView(DeleteView):
    """A survey that was sent or answered, or the default one, stays: deleting it would lose
    history (or leave courses without a survey)."""

    def form_valid(self, form):
        if self.object.is_default or survey_is_in_use(survey=self.object):
            messages.error(
                self.request,
                _(
                    "This survey is the default one, or people have been invited to it, so it "
                    "cannot be deleted. Remove its courses, or make another survey the default."
                ),
            )
            return redirect(self.get_success_url())
        return super().form_valid(form)


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "form"
    menu_label = _("Surveys")
    menu_name = "surveys-list"
    list_display = [
        "title",
        BooleanColumn("is_default", label=_("Default")),
        BooleanColumn("anonymous", label=_("Anonymous")),
        UpdatedAtColumn(),
    ]
    delete_view_class = SurveyDeleteView
    # A copy would carry the original's question ids into the new survey's form.
    copy_view_enabled = False
    # In the Surveys menu, not under Snippets.
    menu_item_is_registered = True


class ResponseIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("course", "survey", "keyed_by", "invitation__enrollment__learner")
        )


class ResponseViewSet(ModelViewSet):
    model = Response
    icon = "list-ul"
    menu_label = _("Responses")
    name = "survey_responses"
    url_prefix = "surveys/responses"
    index_view_class = ResponseIndexView
    list_display = [
        "__str__",  # the course and the day
        "survey",
        "channel",
        "keyed_by",
        Column("respondent", label=_("Respondent")),
    ]
    list_filter = ["channel", "survey", "submitted_at"]
    ordering = ["-submitted_at", "-pk"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "survey",
        "course",
        "channel",
        "keyed_by",
        "submitted_at",
        "district",
        "senior",
        "indigenous",
        "new_immigrant",
    ]
    copy_view_enabled = False
    # Never reachable (the permission policy grants "view" only); ModelViewSet needs a form.
    form_fields = ["channel"]


class PaperMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_key_in_paper(user=request.user)


class PaperEntryViewSet(ViewSet):
    """/admin/surveys/paper/…: choose a course, a learner, then key in their answers."""

    name = "surveys_paper"
    url_prefix = "surveys/paper"
    url_namespace = admin_views.NAMESPACE
    icon = "doc-full"
    menu_label = _("Key in paper surveys")
    menu_item_class = PaperMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.PaperIndexView.as_view(), name="index"),
            path("courses/<int:course_id>/", admin_views.PaperCourseView.as_view(), name="course"),
            path(
                "courses/<int:course_id>/start/",
                admin_views.PaperStartView.as_view(),
                name="start",
            ),
            path("invitations/<int:pk>/", admin_views.PaperEntryView.as_view(), name="entry"),
        ]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return report_selectors.user_can_read_reports(request.user)


class SatisfactionReportViewSet(ViewSet):
    """/admin/surveys/reports/…: the dashboard, its exports and the PDF report, for
    administrators (everything) and instructors (their own courses)."""

    name = "survey_reports"
    url_prefix = "surveys/reports"
    url_namespace = report_views.NAMESPACE
    icon = "table"
    menu_label = _("Satisfaction reports")
    menu_item_class = ReportsMenuItem

    def get_urlpatterns(self):
        export = report_views.ReportExportView
        return [
            path("", report_views.SatisfactionReportView.as_view(), name="index"),
            path("export.csv", export.as_view(kind="csv"), name="export_csv"),
            path("export.xlsx", export.as_view(kind="xlsx"), name="export_xlsx"),
            path("report.pdf", export.as_view(kind="pdf"), name="report_pdf"),
        ]


class SurveysMenu(ViewSetGroup):
    menu_label = _("Surveys")
    menu_icon = "form"
    menu_name = "surveys"
    menu_order = 240
    items = (SurveyViewSet, ResponseViewSet, PaperEntryViewSet, SatisfactionReportViewSet)


register_snippet(SurveysMenu)


@hooks.register("construct_homepage_panels")
def add_satisfaction_panel(request, panels):
    panel = report_views.home_panel(request)
    if panel is not None:
        panels.append(panel)
