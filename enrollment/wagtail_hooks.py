from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from courses.roles import user_is_administrator, user_is_counter_staff, user_is_instructor

from . import certificate_admin, roster
from .certificate_admin_selectors import user_may_issue_certificates
from .reports import ParticipationReportView
from .staff_selectors import user_may_use_counter


class StaffViewSet(ViewSet):
    """/admin/enrollment/…: rosters, check-in, the counter and slips. Wagtail wraps these URLs
    in its admin-access check (anonymous → login, no admin access → refused); each view then
    narrows to what the user's role reaches."""

    name = "enrollment"
    # Not "enrollment": the citizens' URLs may claim that namespace.
    url_namespace = roster.NAMESPACE
    icon = "clipboard-list"

    def get_urlpatterns(self):
        session = "rosters/<int:course_id>/sessions/<int:session_id>/"
        return [
            path("rosters/", roster.RosterIndexView.as_view(), name="roster_index"),
            path("rosters/<int:course_id>/", roster.RosterView.as_view(), name="roster"),
            path(session, roster.RosterView.as_view(), name="roster_session"),
            path(f"{session}mark/", roster.RosterMarkView.as_view(), name="roster_mark"),
            path(f"{session}check-in/", roster.RosterCheckInView.as_view(), name="roster_check_in"),
            path("check-in/", roster.CheckInView.as_view(), name="check_in"),
            path("check-in/<str:code>/", roster.CheckInQrView.as_view(), name="check_in_qr"),
            path("counter/", roster.CounterView.as_view(), name="counter"),
            path(
                "counter/enrollments/<int:pk>/",
                roster.CounterDoneView.as_view(),
                name="counter_done",
            ),
            path("enrollments/<int:pk>/slip.pdf", roster.slip_view, name="slip"),
            path("participation/", ParticipationReportView.as_view(), name="participation"),
            *self.certificate_urlpatterns(),
        ]

    def certificate_urlpatterns(self):
        views = certificate_admin
        course = "certificates/<int:course_id>/"
        learner = f"{course}learners/<int:enrollment_id>/"
        certificate = f"{course}certificates/<int:certificate_id>/"
        return [
            path("certificates/", views.CertificateIndexView.as_view(), name="certificates"),
            path(
                "certificates/preview.pdf",
                views.certificate_preview_view,
                name="certificate_preview",
            ),
            path(course, views.CertificateCourseView.as_view(), name="certificates_course"),
            path(
                f"{course}issue/",
                views.CertificateIssueAllView.as_view(),
                name="certificates_issue_all",
            ),
            path(learner, views.CertificateHistoryView.as_view(), name="certificates_history"),
            path(
                f"{learner}issue/", views.CertificateIssueView.as_view(), name="certificate_issue"
            ),
            path(
                f"{certificate}certificate.pdf",
                views.CertificatePdfView.as_view(),
                name="certificate_pdf",
            ),
            path(
                f"{certificate}reissue/",
                views.CertificateReissueView.as_view(),
                name="certificate_reissue",
            ),
            path(
                f"{certificate}revoke/",
                views.CertificateRevokeView.as_view(),
                name="certificate_revoke",
            ),
            path(
                "counter/certificates/<int:certificate_id>/print/",
                views.certificate_counter_print_view,
                name="certificate_counter_print",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_staff_viewset():
    return StaffViewSet()


def _takes_rosters(request) -> bool:
    return user_is_instructor(request.user) or user_is_administrator(request.user)


class RostersMenuItem(MenuItem):
    def is_shown(self, request):
        return _takes_rosters(request)


class CheckInMenuItem(MenuItem):
    def is_shown(self, request):
        return _takes_rosters(request) or user_is_counter_staff(request.user)


class CounterMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_use_counter(user=request.user)


@hooks.register("register_admin_menu_item")
def register_rosters_menu_item():
    return RostersMenuItem(
        _("Rosters"),
        reverse("enrollment_admin:roster_index"),
        name="rosters",
        icon_name="clipboard-list",
        order=210,
    )


@hooks.register("register_admin_menu_item")
def register_check_in_menu_item():
    return CheckInMenuItem(
        _("Check in"),
        reverse("enrollment_admin:check_in"),
        name="check-in",
        icon_name="calendar-check",
        order=220,
    )


@hooks.register("register_admin_menu_item")
def register_counter_menu_item():
    return CounterMenuItem(
        _("Enroll at the counter"),
        reverse("enrollment_admin:counter"),
        name="counter",
        icon_name="user",
        order=230,
    )


class ParticipationMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_administrator(request.user)


@hooks.register("register_admin_menu_item")
def register_participation_menu_item():
    return ParticipationMenuItem(
        _("Participation"),
        reverse("enrollment_admin:participation"),
        name="participation",
        icon_name="table",
        order=230,
    )


class CertificatesMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_issue_certificates(user=request.user)


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return CertificatesMenuItem(
        _("Certificates"),
        reverse("enrollment_admin:certificates"),
        name="certificates",
        icon_name="doc-full",
        order=215,
    )
