"""A citizen's pages: enroll from a course page, "My courses", the enrollment's result page,
cancelling, and the learner profile. Views read through learner_selectors, change through
services, and turn a refused change (EnrollmentError) into its message on the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses.models import CoursePage
from courses.selectors import course_detail

from .accounts import current_language
from .certificate_selectors import learner_certificate_get, learner_certificates
from .certificates import certificate_pdf
from .exceptions import EnrollmentError
from .forms import ProfileForm
from .learner_selectors import (
    learner_course_enrollment,
    learner_enrollment_get,
    learner_enrollment_list,
    learner_for_user,
)
from .models import CONSENT_TEXT, CONSENT_VERSION, Enrollment
from .services import (
    enrollment_cancel,
    enrollment_create,
    learner_profile_save,
    waitlist_position,
)

Status = Enrollment.Status


def _next_url(request: HttpRequest) -> str:
    """A local address to come back to (after the profile), or ''."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _course_or_404(course_id: int) -> CoursePage:
    course = CoursePage.objects.live().public().filter(pk=course_id).first()
    if course is None:
        raise Http404
    return course_detail(course=course)


def _own_enrollment_or_404(request: HttpRequest, pk: int) -> Enrollment:
    enrollment = learner_enrollment_get(user=request.user, pk=pk)
    if enrollment is None:
        raise Http404
    return enrollment


def _cancel_deadline_passed(enrollment: Enrollment, now=None) -> bool:
    deadline = enrollment.course.cancellation_closes_at()
    return (
        enrollment.status == Status.CONFIRMED
        and deadline is not None
        and (now or timezone.now()) > deadline
    )


# --- Enroll -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def enroll(request: HttpRequest, course_id: int) -> HttpResponse:
    """GET: "Enroll in this course?" with one big button (where the login and profile steps
    come back to). POST: enroll, then show the result. Clicking twice gives one enrollment."""
    course = _course_or_404(course_id)
    here = reverse("enrollment:enroll", args=[course.pk])
    learner = learner_for_user(user=request.user)
    if learner is None:
        messages.info(
            request, _("Before you enroll, please tell us who you are. It takes a minute.")
        )
        return redirect(reverse("enrollment:profile") + "?" + urlencode({"next": here}))
    if existing := learner_course_enrollment(user=request.user, course_id=course.pk):
        return redirect("enrollment:detail", pk=existing.pk)

    error = None
    if request.method == "POST":
        try:
            enrollment = enrollment_create(learner=learner, course=course)
        except EnrollmentError as refused:
            error = refused.message
        else:
            return redirect("enrollment:detail", pk=enrollment.pk)
    return render(
        request,
        "enrollment/enroll.html",
        {
            "course": course,
            "learner": learner,
            "error": error,
            "state": course.registration_state(),
        },
    )


# --- My courses ---------------------------------------------------------------------------


@login_required
def my_courses(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    upcoming, past = [], []
    for enrollment in learner_enrollment_list(user=request.user):
        last = enrollment.course.last_session
        if enrollment.is_live and (last is None or last.end >= now):
            upcoming.append(enrollment)
        else:
            past.append(enrollment)
    far_future = now.replace(year=now.year + 100)
    upcoming.sort(
        key=lambda e: e.course.first_session.start if e.course.first_session else far_future
    )
    return render(
        request,
        "enrollment/my_courses.html",
        {
            "learner": learner_for_user(user=request.user),
            "upcoming": upcoming,
            "past": past,
            "now": now,
            "certificates": list(learner_certificates(user=request.user)),
        },
    )


@login_required
@require_http_methods(["GET"])
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the learner's own valid certificates as a PDF (another's answers 404)."""
    certificate = learner_certificate_get(user=request.user, pk=pk)
    if certificate is None:
        raise Http404
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.display_code}.pdf"'
    )
    return response


@login_required
def enrollment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The result page: confirmed or waiting (and where in the queue), what happens next."""
    enrollment = _own_enrollment_or_404(request, pk)
    return render(
        request,
        "enrollment/enrollment_detail.html",
        {
            "enrollment": enrollment,
            "course": enrollment.course,
            "position": waitlist_position(enrollment=enrollment),
            "cancel_too_late": _cancel_deadline_passed(enrollment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a seat or leave the waiting list: a confirmation page, then a POST."""
    enrollment = _own_enrollment_or_404(request, pk)
    if not enrollment.is_live:
        return redirect("enrollment:detail", pk=enrollment.pk)
    error = None
    if request.method == "POST":
        was_waiting = enrollment.status == Status.WAITLISTED
        try:
            enrollment_cancel(enrollment=enrollment)
        except EnrollmentError as refused:
            error = refused.message
        else:
            if was_waiting:
                messages.success(request, _("You have left the waiting list."))
            else:
                messages.success(
                    request,
                    _("Your seat is cancelled. Thank you for letting someone else have it."),
                )
            return redirect("enrollment:my_courses")
    return render(
        request,
        "enrollment/enrollment_cancel.html",
        {"enrollment": enrollment, "course": enrollment.course, "error": error},
    )


# --- Profile ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    learner = learner_for_user(user=request.user)
    next_url = _next_url(request)
    if request.method == "POST":
        form = ProfileForm(request.POST, learner=learner)
        if form.is_valid():
            try:
                learner = learner_profile_save(user=request.user, data=form.cleaned_data)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, _("Your details are saved."))
                if form.answers_dropped:
                    messages.info(
                        request,
                        _(
                            "Your answers to the optional questions were not saved, because "
                            "the consent box was not ticked."
                        ),
                    )
                return redirect(next_url or reverse("enrollment:my_courses"))
    elif learner is not None:
        form = ProfileForm(learner=learner)
    else:
        form = ProfileForm(initial=_profile_initial(request))
    return render(
        request,
        "enrollment/profile.html",
        {
            "form": form,
            "learner": learner,
            "next": next_url,
            "consent_text": CONSENT_TEXT,
            "consent_version": CONSENT_VERSION,
        },
    )


def _profile_initial(request: HttpRequest) -> dict:
    """A new learner's form starts with what the account already knows."""
    user = request.user
    return {
        "name": user.get_full_name(),
        "email": user.email,
        "preferred_language": current_language(),
    }
