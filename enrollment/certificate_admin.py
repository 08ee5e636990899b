"""Certificates in the Wagtail admin: a course's certificates (issue for everyone who
completed, issue one, download, re-issue after a name correction, revoke, the audit history),
a preview of the design from the site settings, and printing at the counter.

Instructors see and issue the certificates of the courses they teach; administrators reach
every course and alone re-issue, revoke and preview. Counter staff print a learner's valid
certificate from the counter page. Objects are looked up inside the querysets of
certificate_admin_selectors, so another instructor's course answers 404; every change goes
through a service in enrollment.certificates."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import View

from wagtail.admin import messages
from wagtail.models import Site

from courses.models import CoursePage

from .certificate_admin_selectors import (
    certificate_counts,
    certificate_course_list,
    certificate_history,
    certificate_rows_for_course,
    certificates_for_counter,
    certificates_of_course,
    courses_for_certificates,
    enrollments_for_certificates,
    user_may_issue_certificates,
    user_may_manage_certificates,
)
from .exceptions import EnrollmentError
from .forms import PersonNameField
from .models import Certificate, Enrollment
from .roster import StaffView, url
from .services import learner_name_correct

COURSES_PER_PAGE = 50

# enrollment.certificates is imported inside the views that use it: it brings WeasyPrint,
# which takes over a second to import, and every other admin page would pay for it.


class CertificateReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please give the reason. It is kept in the history.")},
    )

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = help_text


class CertificateReissueForm(CertificateReasonForm):
    """The reason, and the learner's name as it should be printed: corrected here, it is
    corrected on the learner's record too (counter-registered learners have no account to do
    it themselves)."""

    name = PersonNameField(
        label=_("Name as on the ID card"),
        help_text=_("Printed on the new certificate and kept on the learner's record."),
    )
    alternate_name = PersonNameField(
        label=_("Other name (optional)"),
        required=False,
        help_text=_("E.g. a traditional indigenous name or its Chinese transliteration."),
    )
    field_order = ["name", "alternate_name", "reason"]


def _pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Certificates carry a citizen's name: no shared cache may keep them.
    response["Cache-Control"] = "private, no-store"
    return response


def _certificate_filename(certificate: Certificate) -> str:
    return f"ezlearn-certificate-{certificate.code}.pdf"


# --- the list of courses --------------------------------------------------------------------


class IssuerOnlyMixin:
    """Instructors and administrators; counter staff and others are refused (Wagtail sends
    them back to the dashboard with a message)."""

    def dispatch(self, request, *args, **kwargs):
        if not user_may_issue_certificates(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CertificateIndexView(IssuerOnlyMixin, StaffView):
    """The user's finished courses with how many learners completed and hold a certificate;
    for administrators also the way to the design (site settings) and its preview."""

    page_title = _("Certificates")
    template_name = "enrollment/admin/certificates_index.html"
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = self.request.GET.get("q", "")[:100]
        courses = certificate_course_list(user=self.request.user, search=search)
        page = Paginator(courses, COURSES_PER_PAGE).get_page(self.request.GET.get("p"))
        manages = user_may_manage_certificates(user=self.request.user)
        context.update(
            search=search,
            page=page,
            courses=page.object_list,
            manages=manages,
        )
        if manages:
            context.update(
                sites=list(Site.objects.order_by("-is_default_site", "hostname", "port")),
                preview_url=url("certificate_preview"),
                settings_url=reverse(
                    "wagtailsettings:edit", args=["enrollment", "certificatesettings"]
                ),
            )
        return context


# --- one course -----------------------------------------------------------------------------


class CertificateCourseMixin:
    """Finds the course among the user's own (404 otherwise)."""

    @cached_property
    def course(self) -> CoursePage:
        return get_object_or_404(
            courses_for_certificates(user=self.request.user), pk=self.kwargs["course_id"]
        )

    @cached_property
    def manages(self) -> bool:
        return user_may_manage_certificates(user=self.request.user)

    def course_url(self) -> str:
        return url("certificates_course", course_id=self.course.pk)

    def breadcrumbs(self) -> list[dict]:
        return [
            {"url": url("certificates"), "label": gettext("Certificates")},
            {"url": self.course_url(), "label": self.course.title},
            {"url": "", "label": self.get_page_title()},
        ]


class CertificateCourseView(CertificateCourseMixin, StaffView):
    """A course's learners whose completion is decided, each with their certificate."""

    template_name = "enrollment/admin/certificates_course.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return self.course.title

    def get_page_subtitle(self):
        return gettext("Certificates")

    def breadcrumbs(self):
        return [
            {"url": url("certificates"), "label": gettext("Certificates")},
            {"url": "", "label": self.course.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = certificate_rows_for_course(course=self.course)
        context.update(
            course=self.course,
            rows=rows,
            counts=certificate_counts(rows=rows),
            manages=self.manages,
            bulk_url=url("certificates_issue_all", course_id=self.course.pk),
            roster_url=url("roster", course_id=self.course.pk),
        )
        return context


class CertificateIssueAllView(CertificateCourseMixin, StaffView):
    """GET asks for confirmation; POST queues a certificate for every learner who completed
    the course and holds none yet (those who hold one, valid or revoked, are left alone)."""

    template_name = "enrollment/admin/certificates_issue_all.html"
    header_icon = "doc-full"
    page_title = _("Issue certificates")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = certificate_counts(rows=certificate_rows_for_course(course=self.course))
        context.update(course=self.course, counts=counts, cancel_url=self.course_url())
        return context

    def post(self, request, *args, **kwargs):
        from .certificates import certificates_issue_for_course

        try:
            queued = certificates_issue_for_course(course=self.course, actor=request.user)
        except EnrollmentError as error:
            messages.error(request, error.message)
        else:
            if queued:
                text = ngettext(
                    "%(count)s certificate is being issued. Reload this page in a minute to "
                    "see it.",
                    "%(count)s certificates are being issued. Reload this page in a minute "
                    "to see them.",
                    queued,
                )
                messages.success(request, text % {"count": queued})
            else:
                messages.success(
                    request, gettext("Everyone who completed the course already has one.")
                )
        return redirect(self.course_url())


class CertificateEnrollmentMixin(CertificateCourseMixin):
    """One learner (enrollment) of the course whose completion is decided."""

    @cached_property
    def enrollment(self) -> Enrollment:
        return get_object_or_404(
            enrollments_for_certificates(course=self.course), pk=self.kwargs["enrollment_id"]
        )


class CertificateIssueView(CertificateEnrollmentMixin, View):
    """POST: issue (render now) the certificate of one learner who completed the course."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        from .certificates import certificate_issue

        name = self.enrollment.learner.name
        try:
            _certificate, created = certificate_issue(
                enrollment=self.enrollment, actor=request.user
            )
        except EnrollmentError as error:
            messages.error(request, error.message)
        else:
            if created:
                messages.success(
                    request, gettext("Certificate issued for %(name)s.") % {"name": name}
                )
            else:
                messages.success(
                    request, gettext("%(name)s already has a certificate.") % {"name": name}
                )
        return redirect(f"{self.course_url()}#learner-{self.enrollment.pk}")


class CertificateHistoryView(CertificateEnrollmentMixin, StaffView):
    """Every certificate of one learner in the course, and who did what to it, and why."""

    template_name = "enrollment/admin/certificates_history.html"
    header_icon = "history"

    def get_page_title(self):
        return self.enrollment.learner.name

    def get_page_subtitle(self):
        return gettext("Certificate history")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            course=self.course,
            enrollment=self.enrollment,
            learner=self.enrollment.learner,
            certificates=certificate_history(enrollment=self.enrollment),
            manages=self.manages,
        )
        return context


# --- one certificate ------------------------------------------------------------------------


class CertificateMixin(CertificateCourseMixin):
    """One certificate of the course. Views that change it are for administrators only."""

    administrators_only = False

    def dispatch(self, request, *args, **kwargs):
        # The course and the certificate are looked up first: outside the user's courses,
        # everything answers 404 before any question of role.
        self.certificate  # noqa: B018
        if self.administrators_only and not self.manages:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def certificate(self) -> Certificate:
        return get_object_or_404(
            certificates_of_course(course=self.course), pk=self.kwargs["certificate_id"]
        )

    def history_url(self) -> str:
        return url(
            "certificates_history",
            course_id=self.course.pk,
            enrollment_id=self.certificate.enrollment_id,
        )


class CertificatePdfView(CertificateMixin, View):
    """The PDF of a valid certificate, to download or print."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        from .certificates import certificate_pdf

        if self.certificate.status != Certificate.Status.VALID:
            raise Http404
        return _pdf_response(
            certificate_pdf(self.certificate), filename=_certificate_filename(self.certificate)
        )


class CertificateReasonView(CertificateMixin, StaffView):
    """A form with a required reason that changes a valid certificate through a service."""

    administrators_only = True
    template_name = "enrollment/admin/certificates_action.html"
    header_icon = "doc-full"
    reason_help = ""
    submit_label = ""
    danger = False

    def get(self, request, *args, **kwargs):
        return self.render_page(self.make_form())

    def post(self, request, *args, **kwargs):
        form = self.form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        try:
            self.perform(reason=form.cleaned_data["reason"])
        except EnrollmentError as error:
            form.add_error(None, error.message)
            return self.render_page(form)
        return redirect(self.history_url())

    def make_form(self, data=None) -> CertificateReasonForm:
        return CertificateReasonForm(data, help_text=self.reason_help)

    def perform(self, *, reason: str) -> None:
        raise NotImplementedError

    def render_page(self, form: CertificateReasonForm):
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        learner = self.certificate.enrollment.learner
        context.update(
            course=self.course,
            certificate=self.certificate,
            learner=learner,
            is_valid=self.certificate.status == Certificate.Status.VALID,
            submit_label=self.submit_label,
            danger=self.danger,
            cancel_url=self.history_url(),
        )
        return context


class CertificateReissueView(CertificateReasonView):
    """Re-issue after a name correction: a new certificate (new code) from the learner's
    record as it is now; the old one is superseded and says so when verified."""

    page_title = _("Re-issue certificate")
    reason_help = _("E.g. “Name corrected: 陳阿士 → 陳阿土, as on the learner's ID card.”")
    submit_label = _("Re-issue certificate")
    action = "reissue"

    def make_form(self, data=None) -> CertificateReissueForm:
        learner = self.certificate.enrollment.learner
        return CertificateReissueForm(
            data,
            help_text=self.reason_help,
            initial={"name": learner.name, "alternate_name": learner.alternate_name},
        )

    def perform(self, *, reason: str) -> None:
        from .certificates import certificate_reissue

        data = self.form.cleaned_data
        with transaction.atomic():
            learner_name_correct(
                learner=self.certificate.enrollment.learner,
                name=data["name"],
                alternate_name=data["alternate_name"],
                actor=self.request.user,
            )
            new = certificate_reissue(
                certificate=Certificate.objects.get(pk=self.certificate.pk),
                actor=self.request.user,
                reason=reason,
            )
        messages.success(
            self.request,
            gettext("Certificate re-issued for %(name)s with the new code %(code)s.")
            % {"name": new.learner_name, "code": new.display_code},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        learner = context["learner"]
        context.update(
            action=self.action,
            name_unchanged=(
                learner.name == self.certificate.learner_name
                and learner.alternate_name == self.certificate.learner_other_name
            ),
        )
        return context


class CertificateRevokeView(CertificateReasonView):
    """Revoke with a reason: the certificate stays on record and its verification page says
    it was revoked; it is no longer offered for download or printing."""

    page_title = _("Revoke certificate")
    reason_help = _(
        "Say why, e.g. “Issued by mistake: the learner did not attend.” Public verification "
        "only says the certificate was revoked; the reason stays in the admin."
    )
    submit_label = _("Revoke certificate")
    danger = True
    action = "revoke"

    def perform(self, *, reason: str) -> None:
        from .certificates import certificate_revoke

        certificate_revoke(certificate=self.certificate, actor=self.request.user, reason=reason)
        messages.success(
            self.request,
            gettext("The certificate %(code)s of %(name)s is revoked.")
            % {"code": self.certificate.display_code, "name": self.certificate.learner_name},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action"] = self.action
        return context


# --- the design's preview -------------------------------------------------------------------


def certificate_preview_view(request) -> HttpResponse:
    """A sample certificate with the current site's settings (or ?site=<id>), as a PDF.
    Administrators only."""
    from .certificates import certificate_sample_pdf

    if not user_may_manage_certificates(user=request.user):
        raise PermissionDenied
    site_id = request.GET.get("site")
    if site_id:
        if not site_id.isdigit():
            raise Http404
        site = get_object_or_404(Site, pk=int(site_id))
    else:
        site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise Http404
    pdf = certificate_sample_pdf(site=site)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _pdf_response(pdf, filename=f"ezlearn-certificate-preview-{site.pk}-{stamp}.pdf")


# --- the counter ----------------------------------------------------------------------------


@require_POST
def certificate_counter_print_view(request, certificate_id: int) -> HttpResponse:
    """POST from the counter page: the learner's valid certificate as a PDF to print; the
    print is recorded in the certificate's history. A POST, so that link previews and
    prefetching never record a print."""
    from .certificates import certificate_pdf, certificate_print_recorded

    certificate = get_object_or_404(certificates_for_counter(user=request.user), pk=certificate_id)
    certificate_print_recorded(certificate=certificate, actor=request.user)
    return _pdf_response(certificate_pdf(certificate), filename=_certificate_filename(certificate))
