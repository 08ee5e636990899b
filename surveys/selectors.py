"""Reads for surveys: which survey a course uses, an invitation by its token, who is invited,
what staff may key in. Who may see what is decided here, never in a template."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from courses.models import CoursePage, CourseSession
from courses.roles import user_is_administrator, user_is_counter_staff
from enrollment.models import Attendance, Enrollment

from .models import Invitation, Question, Response, Survey
from .tokens import invitation_token, token_hash, token_is_well_formed

User = AbstractBaseUser | AnonymousUser
Status = Enrollment.Status

# Learners who held a seat in a course (the roster's rows once completion is decided).
HELD_A_SEAT = (Status.CONFIRMED, Status.COMPLETED, Status.NOT_COMPLETED)


# --- which survey, which questions --------------------------------------------------------


def survey_for_course(*, course: CoursePage) -> Survey | None:
    """The survey the course is listed on, else the default survey (None if neither)."""
    own = Survey.objects.filter(courses=course).order_by("-pk").first()
    if own is not None:
        return own
    return Survey.objects.filter(is_default=True).first()


def survey_questions(*, survey: Survey) -> list[Question]:
    """The questions asked now, in their order."""
    return list(survey.questions.filter(active=True).order_by("sort_order", "pk"))


def survey_has_responses(*, survey: Survey) -> bool:
    return Response.objects.filter(survey=survey).exists()


def survey_is_in_use(*, survey: Survey) -> bool:
    """Invited or answered: deleting it would lose that history."""
    return survey_has_responses(survey=survey) or Invitation.objects.filter(survey=survey).exists()


# --- invitations ----------------------------------------------------------------------------


def enrollments_to_invite(*, course: CoursePage) -> QuerySet[Enrollment]:
    """Who is asked about a course: learners who completed it, and those who held a seat and
    were present at its last session (whatever the completion decision says)."""
    last = CourseSession.objects.filter(page=course).order_by("-end", "-pk").first()
    condition = Q(status=Status.COMPLETED)
    if last is not None:
        at_last_session = Attendance.objects.filter(
            enrollment=OuterRef("pk"), session=last, present=True
        )
        condition |= Q(Exists(at_last_session), status__in=HELD_A_SEAT)
    return Enrollment.objects.filter(course=course).filter(condition)


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a personal link belongs to, or None for a malformed, altered or
    unknown token (all alike: nothing tells them apart)."""
    if not token_is_well_formed(token):
        return None
    return (
        Invitation.objects.select_related(
            "survey", "course", "enrollment__learner__district", "enrollment__course"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_url(*, invitation: Invitation) -> str:
    """The absolute personal link: <SITE_URL>/surveys/<token>/."""
    path = reverse("surveys:answer", kwargs={"token": invitation_token(invitation.nonce)})
    return settings.SITE_URL.rstrip("/") + path


def learner_survey_invitations(*, user: User) -> list[Invitation]:
    """The signed-in learner's invitations, newest first, each with its `url` (one query).
    For /my/: the open ones link to the form, the answered ones say thank you."""
    if not user.is_authenticated:
        return []
    invitations = list(
        Invitation.objects.filter(enrollment__learner__user=user)
        .select_related("course", "survey")
        .order_by("answered", "-created_at", "-pk")
    )
    for invitation in invitations:
        invitation.url = invitation_url(invitation=invitation)
    return invitations


# --- paper forms keyed in by staff ------------------------------------------------------------


def user_may_key_in_paper(*, user: User) -> bool:
    """Administrators and counter staff key in paper questionnaires; instructors do not (they
    would see their own learners' answers)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user_is_administrator(user) or user_is_counter_staff(user))
    )


def courses_for_paper_entry(
    *, user: User, query: str = "", now: datetime | None = None, limit: int = 40
) -> list[CoursePage]:
    """Courses whose last class has begun (paper forms are handed out there), the most recent
    first, with `held_seats` and `answered` counted (one query). Empty for users who may not
    key in paper forms."""
    if not user_may_key_in_paper(user=user):
        return []
    now = now or timezone.now()
    courses = (
        CoursePage.objects.annotate(
            last_start=Max("sessions__start"),
            last_end=Max("sessions__end"),
        )
        .filter(last_start__lte=now)
        .select_related("venue", "term")
        .annotate(
            held_seats=Count(
                "enrollments", filter=Q(enrollments__status__in=HELD_A_SEAT), distinct=True
            ),
            answered=Count(
                "survey_invitations",
                filter=Q(survey_invitations__answered=True),
                distinct=True,
            ),
        )
        .order_by("-last_end", "-pk")
    )
    if query:
        courses = courses.filter(title__icontains=query.strip())
    return list(courses[:limit])


def course_for_paper_entry(*, user: User, pk: int) -> CoursePage | None:
    if not user_may_key_in_paper(user=user):
        return None
    return CoursePage.objects.filter(pk=pk).select_related("venue", "term").first()


def paper_entry_enrollments(*, course: CoursePage) -> list[Enrollment]:
    """The course's seat holders, with their invitation (if any) and `invited_by_rule` (they
    completed or came to the last session), by name. Two queries."""
    to_invite = set(enrollments_to_invite(course=course).values_list("pk", flat=True))
    enrollments = list(
        Enrollment.objects.filter(course=course, status__in=HELD_A_SEAT)
        .select_related("learner", "survey_invitation__response")
        .order_by("learner__name", "pk")
    )
    for enrollment in enrollments:
        enrollment.invited_by_rule = enrollment.pk in to_invite
        enrollment.invitation = getattr(enrollment, "survey_invitation", None)
    return enrollments


def enrollment_for_paper_entry(*, user: User, course: CoursePage, pk: int) -> Enrollment | None:
    if not user_may_key_in_paper(user=user):
        return None
    return (
        Enrollment.objects.filter(course=course, status__in=HELD_A_SEAT, pk=pk)
        .select_related("learner")
        .first()
    )


def invitation_for_paper_entry(*, user: User, pk: int) -> Invitation | None:
    if not user_may_key_in_paper(user=user):
        return None
    return (
        Invitation.objects.select_related(
            "survey", "course", "enrollment__learner__district", "enrollment__course"
        )
        .filter(pk=pk, enrollment__status__in=HELD_A_SEAT)
        .first()
    )
