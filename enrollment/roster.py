"""Staff screens in the Wagtail admin: rosters, check-in, enrollment at a counter, slips.

Views are thin: objects are looked up inside the querysets of staff_selectors (so another
instructor's course or learner answers 404) and every change goes through a service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.models import CoursePage, CourseSession

from .admin_forms import (
    CheckInCodeForm,
    CounterEnrollForm,
    CounterNewLearnerForm,
    PhoneSearchForm,
)
from .attendance import (
    CheckInCodeUnknown,
    attendance_check_in_by_code,
    attendance_record,
    counter_enroll,
)
from .certificate_admin_selectors import learner_valid_certificates
from .exceptions import EnrollmentError
from .models import Attendance, Enrollment, Learner
from .phone import phone_display
from .services import waitlist_position
from .staff_selectors import (
    course_sessions,
    courses_for_roster,
    enrollment_for_check_in,
    enrollments_for_slip,
    learner_by_phone,
    learner_live_enrollments,
    learners_by_landline,
    roster_course_list,
    roster_for_session,
    session_default,
    session_today,
    taipei_date,
    user_may_use_counter,
    waitlist_for_course,
)

NAMESPACE = "enrollment_admin"


def url(name: str, **kwargs) -> str:
    return reverse(f"{NAMESPACE}:{name}", kwargs=kwargs)


class StaffView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "clipboard-list"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, *self.breadcrumbs()]

    def breadcrumbs(self) -> list[dict]:
        return [{"url": "", "label": self.get_page_title()}]


# --- rosters --------------------------------------------------------------------------------


class RosterIndexView(StaffView):
    """The courses whose roster the user takes: their own, or all for an administrator."""

    page_title = _("Rosters")
    template_name = "enrollment/admin/roster_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context.update(courses=roster_course_list(user=self.request.user, now=now), now=now)
        return context


class CourseSessionMixin:
    """Finds the course among the user's own (404 otherwise) and one of its sessions."""

    def course_queryset(self):
        return courses_for_roster(user=self.request.user)

    @cached_property
    def course(self) -> CoursePage:
        return get_object_or_404(self.course_queryset(), pk=self.kwargs["course_id"])

    @cached_property
    def sessions(self) -> list[CourseSession]:
        return course_sessions(course=self.course)

    @cached_property
    def session(self) -> CourseSession:
        session_id = self.kwargs.get("session_id")
        if session_id is None:
            session = session_default(sessions=self.sessions)
        else:
            session = next((s for s in self.sessions if s.pk == session_id), None)
        if session is None:
            raise Http404
        return session

    def session_url(self, name: str = "roster_session") -> str:
        return url(name, course_id=self.course.pk, session_id=self.session.pk)


class RosterView(CourseSessionMixin, StaffView):
    """A session's roster: one-tap present/absent per learner, the waiting list apart."""

    template_name = "enrollment/admin/roster.html"

    def get_page_title(self):
        return self.course.title

    def breadcrumbs(self):
        return [
            {"url": url("roster_index"), "label": gettext("Rosters")},
            {"url": "", "label": self.course.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = roster_for_session(course=self.course, session=self.session)
        today = taipei_date(timezone.now())
        context.update(
            course=self.course,
            session=self.session,
            sessions=self.sessions,
            session_number=self.sessions.index(self.session) + 1,
            rows=rows,
            waitlist=waitlist_for_course(course=self.course),
            present_count=sum(1 for row in rows if row.present is True),
            absent_count=sum(1 for row in rows if row.present is False),
            unmarked_count=sum(1 for row in rows if row.present is None),
            can_mark=taipei_date(self.session.start) <= today,
            is_today=taipei_date(self.session.start) == today,
            mark_url=self.session_url("roster_mark"),
            check_in_url=self.session_url("roster_check_in"),
        )
        return context


class RosterMarkView(CourseSessionMixin, View):
    """POST: mark one learner present or absent, then back to the roster at their row."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        enrollment = get_object_or_404(
            Enrollment.objects.select_related("learner").only(
                "pk", "status", "course_id", "learner__name"
            ),
            pk=_int_or_404(request.POST.get("enrollment")),
            course=self.course,
        )
        present = request.POST.get("present") == "1"
        try:
            attendance_record(
                enrollment=enrollment,
                session=self.session,
                present=present,
                method=Attendance.Method.ROSTER,
                actor=request.user,
            )
        except EnrollmentError as error:
            messages.error(request, error.message)
        else:
            text = _("%(name)s: present") if present else _("%(name)s: absent")
            messages.success(request, text % {"name": enrollment.learner.name})
        return HttpResponseRedirect(f"{self.session_url()}#learner-{enrollment.pk}")


def _int_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


class CheckInFormMixin:
    """A typed-code check-in form; the session is fixed by the subclass or today's."""

    form: CheckInCodeForm

    def fixed_session(self) -> CourseSession | None:
        return None

    def get(self, request, *args, **kwargs):
        self.form = CheckInCodeForm()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.form = CheckInCodeForm(request.POST)
        if self.form.is_valid():
            try:
                check_in = attendance_check_in_by_code(
                    code=self.form.cleaned_data["code"],
                    actor=request.user,
                    method=Attendance.Method.CODE,
                    session=self.fixed_session(),
                )
            except EnrollmentError as error:
                self.form.add_error("code", error.message)
            else:
                _check_in_message(request, check_in)
                return redirect(request.path)
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        return context


def _check_in_message(request, check_in) -> None:
    name = check_in.enrollment.learner.name
    if check_in.already:
        messages.success(request, _("%(name)s was already checked in.") % {"name": name})
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": name})


class RosterCheckInView(CheckInFormMixin, CourseSessionMixin, StaffView):
    """Check learners in for one session of the user's course by typing their code."""

    template_name = "enrollment/admin/check_in.html"
    header_icon = "calendar-check"

    def fixed_session(self):
        return self.session

    def get_page_title(self):
        return gettext("Check in")

    def breadcrumbs(self):
        return [
            {"url": url("roster_index"), "label": gettext("Rosters")},
            {"url": self.session_url(), "label": self.course.title},
            {"url": "", "label": gettext("Check in")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = roster_for_session(course=self.course, session=self.session)
        context.update(
            course=self.course,
            session=self.session,
            roster_url=self.session_url(),
            present_count=sum(1 for row in rows if row.present),
            learner_count=len(rows),
        )
        return context


class CheckInView(CheckInFormMixin, StaffView):
    """Type a code: the learner is checked in for their course's session today."""

    page_title = _("Check in")
    template_name = "enrollment/admin/check_in.html"
    header_icon = "calendar-check"


class CheckInQrView(StaffView):
    """Where a slip's QR code leads. GET shows who and which session; one tap (POST) records
    it. A GET never records: link previews and prefetching must not take attendance."""

    page_title = _("Check in")
    template_name = "enrollment/admin/check_in_qr.html"
    header_icon = "calendar-check"

    @cached_property
    def enrollment(self) -> Enrollment | None:
        return enrollment_for_check_in(user=self.request.user, code=self.kwargs["code"])

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        try:
            check_in = attendance_check_in_by_code(
                code=self.kwargs["code"], actor=request.user, method=Attendance.Method.QR
            )
        except EnrollmentError as error:
            return self.render_page(error=error.message)
        _check_in_message(request, check_in)
        return redirect(request.path)

    def render_page(self, error=None):
        if self.enrollment is None:
            return self.render_to_response(
                self.get_context_data(error=CheckInCodeUnknown.message), status=404
            )
        course = self.enrollment.course
        session = session_today(sessions=course_sessions(course=course))
        present = (
            session is not None
            and Attendance.objects.filter(
                enrollment=self.enrollment, session=session, present=True
            ).exists()
        )
        return self.render_to_response(
            self.get_context_data(
                error=error,
                enrollment=self.enrollment,
                course=course,
                session=session,
                present=present,
                holds_seat=self.enrollment.status == Enrollment.Status.CONFIRMED,
            )
        )


# --- the counter ----------------------------------------------------------------------------


class CounterMixin:
    def dispatch(self, request, *args, **kwargs):
        if not user_may_use_counter(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CounterView(CounterMixin, StaffView):
    """Enroll a citizen at a counter: find them by mobile number, or register them; choose a
    course; enroll (outside the online window too); then print their slip."""

    page_title = _("Enroll at the counter")
    template_name = "enrollment/admin/counter.html"
    header_icon = "user"

    def get(self, request, *args, **kwargs):
        search = PhoneSearchForm(request.GET or None)
        context = {"search": search}
        if search.is_valid():
            number = search.cleaned_data["phone"]
            if search.kind == "mobile":
                learner = learner_by_phone(phone=number)
                context.update(self._forms_for(learner=learner, phone=number))
            else:
                context.update(self._landline_step(number))
        return self.render_to_response(self.get_context_data(**context))

    def _landline_step(self, landline: str) -> dict:
        """A household shares its landline: staff choose who is at the counter among the
        learners with this number, or register someone new with it."""
        matches = learners_by_landline(landline=landline)
        chosen = next(
            (one for one in matches if str(one.pk) == self.request.GET.get("learner")), None
        )
        if chosen is not None:
            return self._forms_for(learner=chosen, phone="")
        if matches and not self.request.GET.get("new"):
            return {"matches": matches, "landline": phone_display(landline)}
        return {"form": CounterNewLearnerForm(initial={"landline": phone_display(landline)})}

    def post(self, request, *args, **kwargs):
        learner = None
        if learner_id := request.POST.get("learner"):
            learner = get_object_or_404(Learner, pk=_int_or_404(learner_id))
            form = CounterEnrollForm(request.POST)
        else:
            form = CounterNewLearnerForm(request.POST)
        if form.is_valid():
            try:
                if learner is not None:
                    enrollment = counter_enroll(
                        course=form.cleaned_data["course"], actor=request.user, learner=learner
                    )
                else:
                    enrollment = counter_enroll(
                        course=form.cleaned_data["course"],
                        actor=request.user,
                        new_learner=form.to_new_learner(),
                    )
            except EnrollmentError as error:
                form.add_error(None, error.message)
            else:
                return redirect(url("counter_done", pk=enrollment.pk))
        if learner is not None:
            phone = learner.phone or learner.landline
        else:
            phone = request.POST.get("phone") or request.POST.get("landline", "")
        search = PhoneSearchForm(initial={"phone": phone_display(phone)})
        # Leave the focus to the form with the errors, not the search box at the top.
        search.fields["phone"].widget.attrs.pop("autofocus", None)
        context = {"search": search, "learner": learner, "form": form}
        if learner is not None:
            context["enrollments"] = learner_live_enrollments(learner=learner)
            context["certificates"] = learner_valid_certificates(learner=learner)
            context["learner_phone"] = phone_display(learner.phone or learner.landline)
        return self.render_to_response(self.get_context_data(**context))

    def _forms_for(self, *, learner: Learner | None, phone: str) -> dict:
        if learner is None:
            return {"form": CounterNewLearnerForm(initial={"phone": phone_display(phone)})}
        return {
            "learner": learner,
            "learner_phone": phone_display(learner.phone or learner.landline),
            "enrollments": learner_live_enrollments(learner=learner),
            "certificates": learner_valid_certificates(learner=learner),
            "form": CounterEnrollForm(),
        }


class CounterDoneView(CounterMixin, StaffView):
    page_title = _("Enrolled")
    template_name = "enrollment/admin/counter_done.html"
    header_icon = "user"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrollment = get_object_or_404(
            enrollments_for_slip(user=self.request.user), pk=self.kwargs["pk"]
        )
        context.update(
            enrollment=enrollment,
            learner=enrollment.learner,
            course=enrollment.course,
            sessions=course_sessions(course=enrollment.course),
            position=waitlist_position(enrollment=enrollment),
            slip_url=url("slip", pk=enrollment.pk),
            counter_url=url("counter"),
        )
        return context

    def breadcrumbs(self):
        return [
            {"url": url("counter"), "label": gettext("Enroll at the counter")},
            {"url": "", "label": self.get_page_title()},
        ]


# --- slips ----------------------------------------------------------------------------------


def slip_view(request, pk: int) -> HttpResponse:
    """The enrollment's printable slip (PDF): A5, or A4 with ?size=a4."""
    # Imported here: WeasyPrint takes over a second to import, which every other admin page
    # and management command would otherwise pay at start-up.
    from .slips import enrollment_slip_pdf

    enrollment = get_object_or_404(enrollments_for_slip(user=request.user), pk=pk)
    size = "a4" if request.GET.get("size") == "a4" else "a5"
    pdf = enrollment_slip_pdf(enrollment=enrollment, size=size)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"ezlearn-slip-{enrollment.check_in_code}-{size}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
